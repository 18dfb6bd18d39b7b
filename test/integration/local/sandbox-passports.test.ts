import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseMrz } from 'mrz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SandboxDocumentText } from '../../../src/adapters/local/sandbox-document-text.ts';
import { SandboxFaceComparison } from '../../../src/adapters/local/sandbox-face-comparison.ts';
import { readMrz } from '../../../src/domain/identity/photo-id/automated-checks.ts';
import { sniffMediaType } from '../../../src/domain/identity/photo-id/media-store.ts';
import { PdsSandbox } from '../../../src/local/sandboxes/pds-sandbox.ts';
import { createTestPatientPages } from '../../../src/local/sandboxes/test-patient-pages.ts';
import { loadTestPatients } from '../../../src/local/sandboxes/test-patients.ts';

/** The sandpit's sandbox passports: a download per test patient that the automated checks' sandboxes read. */
describe('the test patients’ sandbox passports', () => {
  let base: string;
  const server = createServer();
  beforeAll(async () => {
    const seed = loadTestPatients();
    const pages = createTestPatientPages(new PdsSandbox({ patients: seed, clock: () => new Date() }), seed);
    server.on('request', (request, response) => {
      if (!pages(request, response)) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('lists a sandbox passport for each patient, whose zone is the patient’s with every check digit right', async () => {
    // Act
    const list = await (await fetch(`${base}/_dev/test-patients`)).text();
    const response = await fetch(`${base}/_dev/test-patients/9000000009/passport.jpg`);
    const photo = new Uint8Array(await response.arrayBuffer());
    const lines = await new SandboxDocumentText().detect(photo);
    const zone = lines.slice(-2).map((line) => line.text);
    const reading = readMrz(
      'passport',
      lines,
      { details: { birthDate: '1980-10-22', givenName: 'Jane', familyName: 'Smith', postcode: 'LS1 4AP' } },
      new Date(),
    );
    const face = await new SandboxFaceComparison().compare(photo, photo);

    // Assess
    expect(list).toContain('href="/_dev/test-patients/9000000009/passport.jpg"');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="sandbox-passport-9000000009.jpg"',
    );
    expect(sniffMediaType(photo)).toBe('image/jpeg');
    expect(parseMrz(zone).valid).toBe(true);
    expect(reading).toMatchObject({
      kind: 'read',
      valid: true,
      surnameMatches: true,
      birthDateMatches: true,
    });
    expect(face).toMatchObject({ kind: 'compared', similarity: 98.6 });
  });

  it('has no passport for an NHS number that is not a test patient’s', async () => {
    // Act
    const response = await fetch(`${base}/_dev/test-patients/9999999999/passport.jpg`);

    // Assess
    expect(response.status).toBe(404);
  });
});

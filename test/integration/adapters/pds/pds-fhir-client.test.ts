import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generatePrivateJwk, LocalTokenSigner } from '../../../../src/adapters/local/local-token-signer.ts';
import { PdsFhirClient } from '../../../../src/adapters/pds/pds-fhir-client.ts';
import {
  DemographicsInvalidatedError,
  DemographicsNotFoundError,
  DemographicsUnavailableError,
  InvalidNhsNumberError,
} from '../../../../src/domain/identity/demographics.ts';
import { PdsSandbox } from '../../../../src/local/sandboxes/pds-sandbox.ts';
import { loadTestPatients } from '../../../../src/local/sandboxes/test-patients.ts';

const clock = () => new Date('2026-12-01T10:00:00Z');

describe('the PDS FHIR client against the local PDS sandbox, over HTTP', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** The sandbox on a port of its own, and a client with the signed-JWT exchange; `seen` keeps each request's headers. */
  const start = async (options: { auth?: boolean; timeoutMs?: number; delayMs?: number } = {}) => {
    const sandbox = new PdsSandbox({ patients: loadTestPatients(), clock });
    const seen: Record<string, string | string[] | undefined>[] = [];
    server = createServer((request, response) => {
      seen.push(request.headers);
      setTimeout(() => {
        if (!sandbox.handle(request, response)) response.writeHead(404).end();
      }, options.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_dev/pds`;
    const signer = await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]);
    const client = new PdsFhirClient({
      baseUrl: `${base}/FHIR/R4`,
      ...(options.auth === false
        ? {}
        : { auth: { tokenUrl: `${base}/oauth2/token`, apiKey: 'test-api-key', signer } }),
      clock,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { client, sandbox, seen };
  };

  it('retrieves a record by NHS number with the headers PDS asks for, and reads what the service needs', async () => {
    // Prepare
    const { client, seen } = await start();

    // Act
    const record = await client.retrieve('9000000009', 'correlation-1');

    // Assess
    expect(record).toEqual({
      nhsNumber: '9000000009',
      givenNames: ['Jane'],
      familyName: 'Smith',
      birthDate: '1980-10-22',
      deceased: false,
      postalCodes: ['LS1 6AE'],
      gpOdsCode: 'Y12345',
      mobileNumbers: ['07700900001'],
      nhsNumberVerified: true,
      restricted: false,
    });
    const fhirRequest = seen.at(-1) ?? {};
    expect(fhirRequest.accept).toBe('application/fhir+json');
    expect(fhirRequest['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(fhirRequest['x-correlation-id']).toBe('correlation-1');
    expect(fhirRequest.authorization).toMatch(/^Bearer \S+$/);
  });

  it('exchanges one signed JWT for a token and reuses it until it nearly expires', async () => {
    // Prepare
    const { client, seen } = await start();

    // Act
    await client.retrieve('9000000009');
    await client.retrieve('9000000017');

    // Assess: one token request, then two record requests with the same token
    expect(seen).toHaveLength(3);
    expect(seen[1]?.authorization).toBe(seen[2]?.authorization);
  });

  it('is refused without an access token', async () => {
    // Prepare
    const { client } = await start({ auth: false });

    // Act
    const refused = client.retrieve('9000000009');

    // Assess
    await expect(refused).rejects.toBeInstanceOf(DemographicsUnavailableError);
    await expect(refused).rejects.toMatchObject({ logDetail: 'status 401 ACCESS_DENIED' });
  });

  it('follows a superseded NHS number to the record that replaced it', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const record = await client.retrieve('9000000041');

    // Assess
    expect(record.nhsNumber).toBe('9000000068');
  });

  it('reads a restricted record without its location fields, a death and an unverified number', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const [restricted, deceased, unverified] = await Promise.all([
      client.retrieve('9000000033'),
      client.retrieve('9000000025'),
      client.retrieve('9000000084'),
    ]);

    // Assess
    expect(restricted).toMatchObject({
      restricted: true,
      postalCodes: [],
      mobileNumbers: [],
      gpOdsCode: undefined,
    });
    expect(deceased.deceased).toBe(true);
    expect(unverified.nhsNumberVerified).toBe(false);
  });

  it.each([
    ['an invalidated record', '9000000076', DemographicsInvalidatedError],
    ['a number no record has', '9000000254', DemographicsNotFoundError],
    ['a number with a wrong check digit', '9000000010', InvalidNhsNumberError],
    ['a busy PDS (429)', '9000000114', DemographicsUnavailableError],
  ])('answers %s with its own error', async (_case, nhsNumber, expected) => {
    // Prepare
    const { client } = await start();

    // Act
    const answer = client.retrieve(nhsNumber);

    // Assess
    await expect(answer).rejects.toBeInstanceOf(expected);
  });

  it('says when PDS asked to wait, for a 429', async () => {
    // Prepare
    const { client } = await start();

    // Act
    const busy = client.retrieve('9000000114');

    // Assess
    await expect(busy).rejects.toMatchObject({
      retryAfterSeconds: 1,
      logDetail: 'status 429 TOO_MANY_REQUESTS',
    });
  });

  it('counts a PDS that does not answer in time as unavailable', async () => {
    // Prepare
    const { client } = await start({ timeoutMs: 100, delayMs: 500 });

    // Act
    const late = client.retrieve('9000000009');

    // Assess
    await expect(late).rejects.toBeInstanceOf(DemographicsUnavailableError);
  });

  it('finds the single record that matches details, and nothing where none or several do', async () => {
    // Prepare
    const { client } = await start();
    const details = { givenName: 'Jane', familyName: 'smith', birthDate: '1980-10-22', postcode: 'ls16ae' };

    // Act
    const found = await client.search(details);
    const wrongBirthDate = await client.search({ ...details, birthDate: '1980-10-23' });
    const several = await client.search({
      givenName: 'Lee',
      familyName: 'Jones',
      birthDate: '1970-08-08',
      postcode: 'SW1A 1AA',
    });
    const restrictedByPostcode = await client.search({
      givenName: 'Alex',
      familyName: 'Green',
      birthDate: '1990-07-09',
      postcode: 'EH1 1YZ',
    });

    // Assess
    expect(found?.nhsNumber).toBe('9000000009');
    expect(wrongBirthDate).toBeUndefined();
    expect(several).toBeUndefined();
    expect(restrictedByPostcode).toBeUndefined();
  });

  it('sees a change to a test patient made while it runs', async () => {
    // Prepare
    const { client, sandbox } = await start();
    await client.retrieve('9000000009');

    // Act
    sandbox.update('9000000009', { invalidated: true });
    const after = client.retrieve('9000000009');

    // Assess
    await expect(after).rejects.toBeInstanceOf(DemographicsInvalidatedError);
  });
});

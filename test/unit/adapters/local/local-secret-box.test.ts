import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSecretBox } from '../../../../src/adapters/local/local-secret-box.ts';
import { openGpCredentials, sealGpCredentials } from '../../../../src/domain/identity/secret-box.ts';

const PURPOSE = { purpose: 'gp-integration-credentials' };
const CREDENTIALS = { gpUserId: '100000009', gpLinkageKey: 'JSM7T4Q2WX9KD', gpOdsCode: 'Y12345' };

describe('the local secret box', () => {
  it('opens what it sealed, and the sealed value shows nothing of the secret', async () => {
    // Prepare
    const box = new LocalSecretBox(randomBytes(32));

    // Act
    const sealed = await sealGpCredentials(box, CREDENTIALS);
    const opened = await openGpCredentials(box, sealed);

    // Assess
    expect(opened).toEqual(CREDENTIALS);
    expect(sealed).not.toContain('JSM7T4Q2WX9KD');
    // A fresh nonce each time
    expect(await sealGpCredentials(box, CREDENTIALS)).not.toBe(sealed);
  });

  it.each([
    ['another purpose', (sealed: string) => ({ context: { purpose: 'something-else' }, sealed })],
    ['a changed byte', (sealed: string) => ({ context: PURPOSE, sealed: `${sealed.slice(0, -3)}AAA` })],
    ['a value of another scheme', () => ({ context: PURPOSE, sealed: 'kms.AAAA' })],
  ])('refuses to open it with %s', async (_case, tamper) => {
    // Prepare
    const box = new LocalSecretBox(randomBytes(32));
    const { context, sealed } = tamper(await sealGpCredentials(box, CREDENTIALS));

    // Act
    const opening = box.open(sealed, context);

    // Assess
    await expect(opening).rejects.toThrow();
  });

  it('refuses to open with another key', async () => {
    // Prepare
    const sealed = await sealGpCredentials(new LocalSecretBox(randomBytes(32)), CREDENTIALS);

    // Act
    const opening = openGpCredentials(new LocalSecretBox(randomBytes(32)), sealed);

    // Assess
    await expect(opening).rejects.toThrow();
  });

  it('keeps its key in the data folder, readable by its owner only, and finds it again', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'secret-box-')), 'gp-credentials-key');
    const sealed = await sealGpCredentials(await LocalSecretBox.loadOrCreate(path), CREDENTIALS);

    // Act
    const opened = await openGpCredentials(await LocalSecretBox.loadOrCreate(path), sealed);

    // Assess
    expect(opened).toEqual(CREDENTIALS);
    expect((await stat(path)).mode & 0o077).toBe(0);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url')).toHaveLength(32);
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalSecretBox } from '../../../../src/adapters/local/local-secret-box.ts';
import { openGpCredentials, sealGpCredentials } from '../../../../src/domain/identity/secret-box.ts';

const CREDENTIALS = { gpUserId: '100000009', gpLinkageKey: 'JSM7T4Q2WX9KD', gpOdsCode: 'Y12345' };

describe('the local secret box', () => {
  it('opens what it sealed, and the sealed value shows nothing of the secret', async () => {
    // Prepare
    const box = new LocalSecretBox(randomBytes(32));

    // Act
    const sealed = await sealGpCredentials(box, '9000000009', CREDENTIALS);
    const opened = await openGpCredentials(box, '9000000009', sealed);

    // Assess
    expect(opened).toEqual(CREDENTIALS);
    expect(sealed).not.toContain('JSM7T4Q2WX9KD');
    expect(sealed).not.toContain('9000000009');
    // A fresh nonce each time
    expect(await sealGpCredentials(box, '9000000009', CREDENTIALS)).not.toBe(sealed);
  });

  it.each([
    ['another NHS number', (sealed: string) => ({ nhsNumber: '9000000017', sealed })],
    [
      'a changed byte',
      (sealed: string) => ({ nhsNumber: '9000000009', sealed: `${sealed.slice(0, -3)}AAA` }),
    ],
    ['a value of another scheme', () => ({ nhsNumber: '9000000009', sealed: 'kms.AAAA' })],
  ])('refuses to open it with %s', async (_case, tamper) => {
    // Prepare
    const box = new LocalSecretBox(randomBytes(32));
    const { nhsNumber, sealed } = tamper(await sealGpCredentials(box, '9000000009', CREDENTIALS));

    // Act
    const opening = openGpCredentials(box, nhsNumber, sealed);

    // Assess
    await expect(opening).rejects.toThrow();
  });

  it('refuses to open with another key', async () => {
    // Prepare
    const sealed = await sealGpCredentials(new LocalSecretBox(randomBytes(32)), '9000000009', CREDENTIALS);

    // Act
    const opening = openGpCredentials(new LocalSecretBox(randomBytes(32)), '9000000009', sealed);

    // Assess
    await expect(opening).rejects.toThrow();
  });

  it('keeps its key in the data folder, readable by its owner only, and finds it again', async () => {
    // Prepare
    const path = join(await mkdtemp(join(tmpdir(), 'secret-box-')), 'gp-credentials-key');
    const sealed = await sealGpCredentials(
      await LocalSecretBox.loadOrCreate(path),
      '9000000009',
      CREDENTIALS,
    );

    // Act
    const opened = await openGpCredentials(await LocalSecretBox.loadOrCreate(path), '9000000009', sealed);

    // Assess
    expect(opened).toEqual(CREDENTIALS);
    expect((await stat(path)).mode & 0o077).toBe(0);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url')).toHaveLength(32);
  });
});

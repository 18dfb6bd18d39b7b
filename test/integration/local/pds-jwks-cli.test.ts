import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTokenSigner } from '../../../src/adapters/local/local-token-signer.ts';
import { dataPaths } from '../../../src/local/local-stack.ts';

const run = promisify(execFile);

describe('npm run pds-jwks', () => {
  let dataDirectory: string | undefined;
  afterEach(() => (dataDirectory ? rm(dataDirectory, { recursive: true, force: true }) : undefined));

  it('prints the public JWKS of the local PDS key, which verifies what the PDS client signs, and no private part', async () => {
    // Prepare
    dataDirectory = await mkdtemp(join(tmpdir(), 'pds-jwks-'));

    // Act
    const { stdout } = await run(process.execPath, ['src/local/pds-jwks-cli.ts'], {
      env: { ...process.env, DATA_DIR: dataDirectory },
    });
    const jwks = JSON.parse(stdout) as { keys: Record<string, unknown>[] };
    const signer = await LocalTokenSigner.loadOrCreate(dataPaths(dataDirectory).pdsKey);
    const assertion = await signer.sign({ iss: 'api-key', sub: 'api-key', aud: 'https://pds.test/token' });
    const verified = await jwtVerify(assertion, createLocalJWKSet(jwks as never));

    // Assess
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS512', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(verified.payload.iss).toBe('api-key');
  });
});

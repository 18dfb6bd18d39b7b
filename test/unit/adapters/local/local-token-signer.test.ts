import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatePrivateJwk, LocalTokenSigner } from '../../../../src/adapters/local/local-token-signer.ts';
import { toPublicJwk } from '../../../../src/domain/tokens/compact-jws.ts';

describe('LocalTokenSigner', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-token-signer-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates the key file, readable by its owner only, at first start', async () => {
    // Prepare
    const path = join(directory, '.data', 'signing-keys.json');

    // Act
    await LocalTokenSigner.loadOrCreate(path);

    // Assess
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const file = JSON.parse(await readFile(path, 'utf8'));
    expect(file.keys).toHaveLength(1);
  });

  it('loads the same key at the next start', async () => {
    // Prepare
    const path = join(directory, 'signing-keys.json');
    const first = await LocalTokenSigner.loadOrCreate(path);

    // Act
    const second = await LocalTokenSigner.loadOrCreate(path);

    // Assess
    const [firstKey] = (await first.jwks()).keys;
    const [secondKey] = (await second.jwks()).keys;
    expect(secondKey?.kid).toBe(firstKey?.kid);
  });

  it('signs an RS512 JWT that verifies against its JWKS', async () => {
    // Prepare
    const signer = await LocalTokenSigner.loadOrCreate(join(directory, 'signing-keys.json'));

    // Act
    const token = await signer.sign({ sub: 'patient-1', aud: 'client-1' });

    // Assess
    const jwks = await signer.jwks();
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      algorithms: ['RS512'],
    });
    expect(protectedHeader).toEqual({ alg: 'RS512', typ: 'JWT', kid: jwks.keys[0]?.kid });
    expect(payload).toEqual({ sub: 'patient-1', aud: 'client-1' });
  });

  it('publishes only public key members', async () => {
    // Prepare
    const signer = await LocalTokenSigner.loadOrCreate(join(directory, 'signing-keys.json'));

    // Act
    const jwks = await signer.jwks();

    // Assess
    expect(jwks.keys).toHaveLength(1);
    for (const key of jwks.keys) {
      expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(member);
    }
  });

  it('signs with the first key of the file and publishes them all', async () => {
    // Prepare
    const path = join(directory, 'signing-keys.json');
    const [active, previous] = [await generatePrivateJwk(), await generatePrivateJwk()];
    await writeFile(path, JSON.stringify({ keys: [active, previous] }), { mode: 0o600 });
    const expectedKids = [(await toPublicJwk(active)).kid, (await toPublicJwk(previous)).kid];

    // Act
    const signer = await LocalTokenSigner.loadOrCreate(path);
    const token = await signer.sign({ sub: 'patient-1' });

    // Assess
    const jwks = await signer.jwks();
    expect(jwks.keys.map((key) => key.kid)).toEqual(expectedKids);
    expect(decodeProtectedHeader(token).kid).toBe(expectedKids[0]);
    await expect(jwtVerify(token, createLocalJWKSet(jwks))).resolves.toBeDefined();
  });

  it('refuses a key file with no keys', async () => {
    // Prepare
    const path = join(directory, 'signing-keys.json');
    await writeFile(path, JSON.stringify({ keys: [] }));

    // Act
    const outcome = LocalTokenSigner.loadOrCreate(path);

    // Assess
    await expect(outcome).rejects.toThrow('A signing key file needs at least one key');
  });
});

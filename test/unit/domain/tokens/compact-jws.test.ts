import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { toPublicJwk } from '../../../../src/domain/tokens/compact-jws.ts';

describe('toPublicJwk', () => {
  it('keeps only the public members of an RSA key and names it by its thumbprint', async () => {
    // Prepare
    const privateJwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      format: 'jwk',
    }) as JWK;

    // Act
    const publicJwk = await toPublicJwk(privateJwk);

    // Assess
    expect(publicJwk).toEqual({
      kty: 'RSA',
      n: privateJwk.n,
      e: privateJwk.e,
      kid: await calculateJwkThumbprint({ kty: 'RSA', n: privateJwk.n, e: privateJwk.e }, 'sha256'),
      alg: 'RS512',
      use: 'sig',
    });
  });

  it.each([
    [
      'an EC key',
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }) as JWK,
    ],
    ['an Ed25519 key', generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }) as JWK],
    ['an RSA key without its modulus', { kty: 'RSA', e: 'AQAB' }],
  ])('rejects %s', async (_label, jwk) => {
    // Act
    const outcome = toPublicJwk(jwk);

    // Assess
    await expect(outcome).rejects.toThrow('Signing keys must be RSA keys');
  });
});

import { generateKeyPairSync } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { describe, expect, it } from 'vitest';
import { registerClient } from '../../../../src/domain/clients/client-registration.ts';
import { ecKeyPair, jwkOf, jwksText, rsaKeyPair, spkiPem } from './keys.ts';
import { fixedContext, problemsOf, refusal, validRequest } from './registration.ts';

const RSA_ALGORITHMS = ['RS512', 'RS256', 'PS256'];

/** Every run of `length` characters of the PEM's base64 body, to show none is echoed back. */
const base64Fragments = (pem: string, length = 12): string[] => {
  const body = pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s/g, '');
  return Array.from({ length: body.length - length + 1 }, (_, start) => body.slice(start, start + length));
};

describe('registerClient: accepted public keys', () => {
  it('accepts an RSA 2048 SPKI PEM and names it by its SHA-256 thumbprint', async () => {
    // Prepare
    const { publicKey } = rsaKeyPair();
    const jwk = jwkOf(publicKey);

    // Act
    const client = await registerClient(validRequest({ publicKey: spkiPem(publicKey) }), fixedContext);

    // Assess
    expect(client.publicKeys).toEqual([
      {
        kid: await calculateJwkThumbprint({ kty: 'RSA', n: jwk.n as string, e: jwk.e as string }, 'sha256'),
        jwk: { kty: 'RSA', n: jwk.n, e: jwk.e },
        algorithms: RSA_ALGORITHMS,
      },
    ]);
  });

  it('accepts a PKCS#1 "BEGIN RSA PUBLIC KEY" PEM as the same key', async () => {
    // Prepare
    const { publicKey } = rsaKeyPair();
    const pkcs1 = publicKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const fromSpki = await registerClient(validRequest({ publicKey: spkiPem(publicKey) }), fixedContext);

    // Act
    const client = await registerClient(validRequest({ publicKey: pkcs1 }), fixedContext);

    // Assess
    expect(pkcs1).toContain('-----BEGIN RSA PUBLIC KEY-----');
    expect(client.publicKeys).toEqual(fromSpki.publicKeys);
  });

  it('accepts a JWKS with an RSA key, keeps its kid and limits it to the alg it declares', async () => {
    // Prepare
    const jwk = jwkOf(rsaKeyPair().publicKey);

    // Act
    const client = await registerClient(
      validRequest({ publicKey: jwksText({ ...jwk, kid: 'rsa-2025', use: 'sig', alg: 'RS512' }) }),
      fixedContext,
    );

    // Assess
    expect(client.publicKeys).toEqual([
      { kid: 'rsa-2025', jwk: { kty: 'RSA', n: jwk.n, e: jwk.e }, algorithms: ['RS512'] },
    ]);
  });

  it('refuses a key that declares an alg it cannot use', async () => {
    // Prepare
    const jwk = jwkOf(rsaKeyPair().publicKey);

    // Act
    const problems = await problemsOf(validRequest({ publicKey: jwksText({ ...jwk, alg: 'ES256' }) }));

    // Assess
    expect(problems).toEqual([
      'The key declares "alg": "ES256", which this key cannot use (it can use RS512, RS256, PS256).',
    ]);
  });

  it('accepts a JWKS with an EC P-256 key, for ES256 only', async () => {
    // Prepare
    const jwk = jwkOf(ecKeyPair('P-256').publicKey);

    // Act
    const client = await registerClient(
      validRequest({ publicKey: jwksText({ ...jwk, kid: 'ec-1' }) }),
      fixedContext,
    );

    // Assess
    expect(client.publicKeys).toEqual([
      { kid: 'ec-1', jwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, algorithms: ['ES256'] },
    ]);
  });

  it('accepts a single JWK that is not wrapped in a JWKS', async () => {
    // Prepare
    const jwk = jwkOf(rsaKeyPair().publicKey);

    // Act
    const client = await registerClient(
      validRequest({ publicKey: JSON.stringify({ ...jwk, kid: 'single' }) }),
      fixedContext,
    );

    // Assess
    expect(client.publicKeys.map((key) => key.kid)).toEqual(['single']);
    expect(client.publicKeys[0]?.jwk).toEqual({ kty: 'RSA', n: jwk.n, e: jwk.e });
  });

  it('accepts a JWKS of several keys and keeps them in order', async () => {
    // Prepare
    const first = { ...jwkOf(rsaKeyPair().publicKey), kid: 'current' };
    const second = { ...jwkOf(ecKeyPair('P-256').publicKey), kid: 'next' };

    // Act
    const client = await registerClient(validRequest({ publicKey: jwksText(first, second) }), fixedContext);

    // Assess
    expect(client.publicKeys.map((key) => [key.kid, key.algorithms])).toEqual([
      ['current', RSA_ALGORITHMS],
      ['next', ['ES256']],
    ]);
  });
});

describe('registerClient: refused public keys', () => {
  it.each([
    ['PKCS#8', 'pkcs8'],
    ['PKCS#1', 'pkcs1'],
  ] as const)('refuses a %s private key PEM and does not echo it', async (_label, type) => {
    // Prepare
    const privatePem = rsaKeyPair().privateKey.export({ type, format: 'pem' }).toString();

    // Act
    const error = await refusal(validRequest({ publicKey: privatePem }));

    // Assess
    expect(error.problems).toEqual([
      'This is a private key, which must stay with the relying party. Give the public key instead: openssl pkey -in private.pem -pubout -out public.pem',
    ]);
    const echoed = base64Fragments(privatePem).filter((fragment) => error.message.includes(fragment));
    expect(echoed).toEqual([]);
  });

  it('refuses a JWK holding the private exponent d and does not echo it', async () => {
    // Prepare
    const privateJwk = jwkOf(rsaKeyPair().privateKey);

    // Act
    const error = await refusal(validRequest({ publicKey: jwksText(privateJwk) }));

    // Assess
    expect(error.problems).toEqual(['The key contains private key material; publish only the public key.']);
    expect(error.message).not.toContain(privateJwk.d as string);
  });

  it('refuses a PEM that does not hold a key', async () => {
    // Act
    const problems = await problemsOf(
      validRequest({ publicKey: '-----BEGIN PUBLIC KEY-----\nbm90IGEga2V5\n-----END PUBLIC KEY-----\n' }),
    );

    // Assess
    expect(problems).toEqual(['The PEM could not be read as a public key; check it was copied whole.']);
  });

  it('refuses text that is neither a PEM nor JSON', async () => {
    // Act
    const problems = await problemsOf(validRequest({ publicKey: 'ssh-rsa AAAAB3NzaC1yc2E user@host' }));

    // Assess
    expect(problems).toEqual([
      'The public key is neither a PEM (-----BEGIN PUBLIC KEY-----) nor a JWKS in JSON.',
    ]);
  });

  it('refuses an empty public key', async () => {
    // Act
    const problems = await problemsOf(validRequest({ publicKey: '  \n' }));

    // Assess
    expect(problems).toEqual(['Give the public key: a PEM file or a JWKS.']);
  });

  it('refuses a JWKS that is not valid JSON', async () => {
    // Act
    const problems = await problemsOf(validRequest({ publicKey: '{"keys": [' }));

    // Assess
    expect(problems).toEqual(['The JWKS is not valid JSON.']);
  });

  it('refuses a JWKS with no keys', async () => {
    // Act
    const problems = await problemsOf(validRequest({ publicKey: '{"keys": []}' }));

    // Assess
    expect(problems).toEqual(['The JWKS has no keys.']);
  });

  it('refuses a JWKS of more than five keys', async () => {
    // Prepare
    const keys = Array.from({ length: 6 }, (_, index) => ({
      ...jwkOf(ecKeyPair('P-256').publicKey),
      kid: `key-${index}`,
    }));

    // Act
    const problems = await problemsOf(validRequest({ publicKey: jwksText(...keys) }));

    // Assess
    expect(problems).toEqual(['A client may have at most 5 keys.']);
  });

  it('refuses two keys with the same kid', async () => {
    // Prepare
    const first = { ...jwkOf(rsaKeyPair().publicKey), kid: 'same' };
    const second = { ...jwkOf(ecKeyPair('P-256').publicKey), kid: 'same' };

    // Act
    const problems = await problemsOf(validRequest({ publicKey: jwksText(first, second) }));

    // Assess
    expect(problems).toEqual(['Two keys of the JWKS have the same kid.']);
  });

  it('refuses an RSA key of 1024 bits', async () => {
    // Act
    const problems = await problemsOf(validRequest({ publicKey: spkiPem(rsaKeyPair(1024).publicKey) }));

    // Assess
    expect(problems).toEqual(['The public key is an RSA key of 1024 bits; it must have at least 2048.']);
  });

  it('refuses an EC key on P-384', async () => {
    // Act
    const problems = await problemsOf(
      validRequest({ publicKey: jwksText({ ...jwkOf(ecKeyPair('P-384').publicKey), kid: 'p384' }) }),
    );

    // Assess
    expect(problems).toEqual(['The key is an elliptic-curve key on a curve other than P-256.']);
  });

  it('refuses an Ed25519 key and names the algorithms it accepts', async () => {
    // Prepare
    const { publicKey } = generateKeyPairSync('ed25519');

    // Act
    const problems = await problemsOf(validRequest({ publicKey: spkiPem(publicKey) }));

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^The public key is an Ed25519 key; use RSA \(2048 bits or more\) or EC P-256\.$/,
    );
  });

  it('refuses a key whose use is enc', async () => {
    // Prepare
    const jwk = { ...jwkOf(rsaKeyPair().publicKey), kid: 'encryption', use: 'enc' };

    // Act
    const problems = await problemsOf(validRequest({ publicKey: jwksText(jwk) }));

    // Assess
    expect(problems).toEqual(['The key is not for signatures (its "use" is not "sig").']);
  });

  it('names the key at fault in a JWKS of several', async () => {
    // Prepare
    const good = { ...jwkOf(rsaKeyPair().publicKey), kid: 'good' };
    const weak = { ...jwkOf(rsaKeyPair(1024).publicKey), kid: 'weak' };

    // Act
    const problems = await problemsOf(validRequest({ publicKey: jwksText(good, weak) }));

    // Assess
    expect(problems).toEqual(['Key 2 of the JWKS is an RSA key of 1024 bits; it must have at least 2048.']);
  });
});

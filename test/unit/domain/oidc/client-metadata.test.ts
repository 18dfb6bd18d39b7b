import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generatedClientUserMetadata } from '../../../../src/domain/oidc/client-metadata.ts';

describe('generatedClientUserMetadata', () => {
  it('encrypts a random number to the client’s RSA key with RSA-OAEP (SHA-1), base64url-encoded', () => {
    // Prepare
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const fixed = (size: number) => Buffer.alloc(size, 0xff);

    // Act
    const value = generatedClientUserMetadata([{ jwk }], fixed) ?? '';

    // Assess: 16 bytes of 0xff is 2^128 - 1
    const opened = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(value, 'base64url'),
    ).toString();
    expect(opened).toBe((2n ** 128n - 1n).toString());
  });

  it('uses the first RSA key when the client also has an EC key', () => {
    // Prepare
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

    // Act
    const value = generatedClientUserMetadata([
      { jwk: ec as Record<string, string> },
      { jwk: rsa.publicKey.export({ format: 'jwk' }) as Record<string, string> },
    ]);

    // Assess
    const opened = privateDecrypt(
      { key: rsa.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
      Buffer.from(value ?? '', 'base64url'),
    ).toString();
    expect(opened).toMatch(/^\d+$/);
  });

  it('gives nothing for a client with EC keys only: there is nothing to encrypt to', () => {
    // Prepare
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });

    // Act
    const value = generatedClientUserMetadata([{ jwk: ec as Record<string, string> }]);

    // Assess
    expect(value).toBeUndefined();
  });
});

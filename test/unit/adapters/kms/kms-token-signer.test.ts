import { constants, createHash, generateKeyPairSync, type KeyObject, privateEncrypt } from 'node:crypto';
import {
  DisabledException,
  GetPublicKeyCommand,
  KMSClient,
  KMSServiceException,
  NotFoundException,
  SignCommand,
  type SignCommandInput,
} from '@aws-sdk/client-kms';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { KmsTokenSigner } from '../../../../src/adapters/kms/kms-token-signer.ts';
import { MisconfigurationError, ServiceUnavailableError } from '../../../../src/domain/errors.ts';

/** The DER prefix PKCS#1 v1.5 puts before a SHA-512 digest (RFC 8017, section 9.2, note 1). */
const SHA512_DIGEST_INFO = Buffer.from('3051300d060960864801650304020305000440', 'hex');

interface KmsKey {
  readonly keyId: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const kmsKey = (keyId: string): KmsKey => ({
  keyId,
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }),
});

/** What KMS does for RSASSA_PKCS1_V1_5_SHA_512 over a DIGEST: pad the DigestInfo and apply the private key. */
const signDigest = (privateKey: KeyObject, digest: Uint8Array): Uint8Array =>
  privateEncrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([SHA512_DIGEST_INFO, digest]),
  );

const publicKeyResponse = (key: KmsKey) => ({
  KeyId: key.keyId,
  PublicKey: new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' })),
  KeySpec: 'RSA_2048' as const,
  KeyUsage: 'SIGN_VERIFY' as const,
});

/** A KMS that holds the given keys: it serves their public keys and signs digests with them. */
const kmsHolding = (...keys: KmsKey[]): { client: KMSClient; kms: AwsClientStub<KMSClient> } => {
  const client = new KMSClient({ region: 'eu-west-2' });
  const kms = mockClient(client);
  for (const key of keys) {
    kms.on(GetPublicKeyCommand, { KeyId: key.keyId }).resolves(publicKeyResponse(key));
    kms.on(SignCommand, { KeyId: key.keyId }).callsFake((input: SignCommandInput) => ({
      KeyId: key.keyId,
      Signature: signDigest(key.privateKey, input.Message ?? new Uint8Array()),
      SigningAlgorithm: input.SigningAlgorithm,
    }));
  }
  return { client, kms };
};

const sdkError = (name: string) =>
  new KMSServiceException({ name, $fault: 'client', $metadata: {}, message: `${name} from KMS` });

const outcomeOf = <T>(promise: Promise<T>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('KmsTokenSigner', () => {
  it('signs an RS512 JWT that verifies against its own JWKS', async () => {
    // Prepare
    const key = kmsKey('key-a');
    const { client } = kmsHolding(key);
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

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

  it('asks KMS to sign the SHA-512 digest of the signing input with RSASSA_PKCS1_V1_5_SHA_512', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-a'));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const token = await signer.sign({ sub: 'patient-1' });

    // Assess
    const signingInput = token.split('.').slice(0, 2).join('.');
    const [call] = kms.commandCalls(SignCommand);
    expect(call?.args[0].input).toEqual({
      KeyId: 'key-a',
      Message: createHash('sha512').update(signingInput).digest(),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_512',
    });
  });

  it('sets the typ header a profile asks for', async () => {
    // Prepare
    const { client } = kmsHolding(kmsKey('key-a'));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const token = await signer.sign({ sub: 'patient-1' }, { typ: 'logout+jwt' });

    // Assess
    expect(decodeProtectedHeader(token).typ).toBe('logout+jwt');
  });

  it('publishes every published key and signs with the active one', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-current'), kmsKey('key-next'));
    const signer = new KmsTokenSigner({
      client,
      activeKeyId: 'key-next',
      publishedKeyIds: ['key-current', 'key-next'],
    });

    // Act
    const jwks = await signer.jwks();
    const token = await signer.sign({ sub: 'patient-1' });

    // Assess
    const kids = jwks.keys.map((key) => key.kid);
    expect(new Set(kids).size).toBe(2);
    const { protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks));
    expect(protectedHeader.kid).toBe(kids[1]);
    expect(kms.commandCalls(SignCommand).map((call) => call.args[0].input.KeyId)).toEqual(['key-next']);
  });

  it('fetches each public key once and reuses it', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-a'));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const [first, second] = await Promise.all([signer.jwks(), signer.jwks()]);
    await signer.sign({ sub: 'patient-1' });
    await signer.sign({ sub: 'patient-2' });

    // Assess
    expect(second).toEqual(first);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('fetches a public key again after a failed fetch', async () => {
    // Prepare
    const key = kmsKey('key-a');
    const { client, kms } = kmsHolding();
    kms.on(GetPublicKeyCommand).rejectsOnce(sdkError('ThrottlingException')).resolves(publicKeyResponse(key));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });
    const failed = await outcomeOf(signer.jwks());

    // Act
    const jwks = await signer.jwks();

    // Assess
    expect(failed).toBeInstanceOf(ServiceUnavailableError);
    expect(jwks.keys).toHaveLength(1);
    expect(kms.commandCalls(GetPublicKeyCommand)).toHaveLength(2);
  });

  it('reports a throttled Sign as a service to retry', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-a'));
    kms.on(SignCommand).rejects(sdkError('ThrottlingException'));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const outcome = await outcomeOf(signer.sign({ sub: 'patient-1' }));

    // Assess
    expect(outcome).toBeInstanceOf(ServiceUnavailableError);
  });

  it('reports a missing key as a misconfiguration', async () => {
    // Prepare
    const { client, kms } = kmsHolding();
    kms
      .on(GetPublicKeyCommand)
      .rejects(
        new NotFoundException({ $metadata: {}, message: 'Key arn:aws:kms:eu-west-2:1:key/x not found' }),
      );
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const outcome = await outcomeOf(signer.sign({ sub: 'patient-1' }));

    // Assess
    expect(outcome).toBeInstanceOf(MisconfigurationError);
  });

  it('reports a disabled key as a misconfiguration', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-a'));
    kms.on(SignCommand).rejects(new DisabledException({ $metadata: {}, message: 'key is disabled' }));
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const outcome = await outcomeOf(signer.sign({ sub: 'patient-1' }));

    // Assess
    expect(outcome).toBeInstanceOf(MisconfigurationError);
  });

  it('refuses a Sign answer with no signature', async () => {
    // Prepare
    const { client, kms } = kmsHolding(kmsKey('key-a'));
    kms.on(SignCommand).resolves({ KeyId: 'key-a' });
    const signer = new KmsTokenSigner({ client, activeKeyId: 'key-a', publishedKeyIds: ['key-a'] });

    // Act
    const outcome = signer.sign({ sub: 'patient-1' });

    // Assess
    await expect(outcome).rejects.toThrow('KMS returned no signature');
  });

  it('cannot be built with an active key that is not published', () => {
    // Prepare
    const client = new KMSClient({ region: 'eu-west-2' });

    // Act
    const build = () =>
      new KmsTokenSigner({ client, activeKeyId: 'key-next', publishedKeyIds: ['key-current'] });

    // Assess
    expect(build).toThrow('The active signing key must be one of the published keys');
  });
});

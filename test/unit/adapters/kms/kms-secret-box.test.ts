import {
  DecryptCommand,
  EncryptCommand,
  KMSClient,
  KMSInvalidStateException,
  KMSServiceException,
} from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { KmsSecretBox } from '../../../../src/adapters/kms/kms-secret-box.ts';
import { MisconfigurationError, ServiceUnavailableError } from '../../../../src/domain/errors.ts';

const CONTEXT = { purpose: 'gp-integration-credentials', patient: 'digest' };

describe('the KMS secret box', () => {
  it('encrypts with the key and the context, and decrypts only with the same context', async () => {
    // Prepare
    const kms = mockClient(KMSClient);
    kms.on(EncryptCommand).resolves({ CiphertextBlob: Buffer.from('ciphertext') });
    kms.on(DecryptCommand, { EncryptionContext: CONTEXT }).resolves({ Plaintext: Buffer.from('secret') });
    kms
      .on(DecryptCommand, { EncryptionContext: { ...CONTEXT, patient: 'other' } })
      .rejects(new Error('InvalidCiphertextException'));
    const box = new KmsSecretBox({ keyId: 'arn:key/gp', client: new KMSClient({}) });

    // Act
    const sealed = await box.seal('secret', CONTEXT);
    const opened = await box.open(sealed, CONTEXT);
    const wrong = box.open(sealed, { ...CONTEXT, patient: 'other' });

    // Assess
    expect(sealed).toBe(`kms.${Buffer.from('ciphertext').toString('base64url')}`);
    expect(opened).toBe('secret');
    await expect(wrong).rejects.toThrow();
    const encrypt = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(encrypt).toMatchObject({ KeyId: 'arn:key/gp', EncryptionContext: CONTEXT });
    expect(Buffer.from(encrypt?.Plaintext ?? []).toString()).toBe('secret');
    kms.restore();
  });

  it.each([
    [
      'throttled',
      new KMSServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: {},
        message: 'slow down',
      }),
      ServiceUnavailableError,
    ],
    [
      'a disabled key',
      new KMSInvalidStateException({ message: 'pending deletion', $metadata: {} }),
      MisconfigurationError,
    ],
  ])('says what to do when KMS is %s', async (_case, error, expected) => {
    // Prepare
    const kms = mockClient(KMSClient);
    kms.on(EncryptCommand).rejects(error);
    const box = new KmsSecretBox({ keyId: 'arn:key/gp', client: new KMSClient({}) });

    // Act
    const sealing = box.seal('secret', CONTEXT);

    // Assess
    await expect(sealing).rejects.toBeInstanceOf(expected);
    kms.restore();
  });

  it('refuses a value that was not sealed with KMS, and asks KMS nothing', async () => {
    // Prepare
    const kms = mockClient(KMSClient);
    const box = new KmsSecretBox({ keyId: 'arn:key/gp', client: new KMSClient({}) });

    // Act
    const opening = box.open('local.a.b.c', CONTEXT);

    // Assess
    await expect(opening).rejects.toThrow('not sealed with KMS');
    expect(kms.calls()).toHaveLength(0);
    kms.restore();
  });
});

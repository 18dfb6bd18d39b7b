import { DecryptCommand, EncryptCommand, KMSClient } from '@aws-sdk/client-kms';
import type { SecretBox } from '../../domain/identity/secret-box.ts';
import { translateKmsError } from './kms-errors.ts';

/**
 * A secret box on a symmetric KMS key: the context is the KMS encryption context, so KMS refuses
 * to decrypt under any other. Sealing needs only kms:Encrypt and opening kms:Decrypt, so a
 * function can be allowed one without the other.
 */
export class KmsSecretBox implements SecretBox {
  readonly #client: KMSClient;
  readonly #keyId: string;

  constructor(options: { readonly keyId: string; readonly client?: KMSClient }) {
    this.#client = options.client ?? new KMSClient({});
    this.#keyId = options.keyId;
  }

  async seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string> {
    try {
      const { CiphertextBlob } = await this.#client.send(
        new EncryptCommand({
          KeyId: this.#keyId,
          Plaintext: Buffer.from(plaintext, 'utf8'),
          EncryptionContext: { ...context },
        }),
      );
      if (!CiphertextBlob) throw new Error('KMS returned no ciphertext');
      return `kms.${Buffer.from(CiphertextBlob).toString('base64url')}`;
    } catch (error) {
      throw translateKmsError(error);
    }
  }

  async open(sealed: string, context: Readonly<Record<string, string>>): Promise<string> {
    if (!sealed.startsWith('kms.')) throw new Error('The value was not sealed with KMS');
    try {
      const { Plaintext } = await this.#client.send(
        new DecryptCommand({
          KeyId: this.#keyId,
          CiphertextBlob: Buffer.from(sealed.slice(4), 'base64url'),
          EncryptionContext: { ...context },
        }),
      );
      if (!Plaintext) throw new Error('KMS returned no plaintext');
      return Buffer.from(Plaintext).toString('utf8');
    } catch (error) {
      throw translateKmsError(error);
    }
  }
}

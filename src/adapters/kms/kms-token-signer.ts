import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { exportJWK, type JWTPayload } from 'jose';
import { signCompactJws, toPublicJwk } from '../../domain/tokens/compact-jws.ts';
import type { JsonWebKeySet, PublicJwk, SignOptions, TokenSigner } from '../../domain/tokens/token-signer.ts';
import { translateKmsError } from './kms-errors.ts';

export interface KmsTokenSignerOptions {
  readonly client: KMSClient;
  /** The key that signs (RSA 2048, SIGN_VERIFY). */
  readonly activeKeyId: string;
  /** Every key the JWKS publishes, the active one included (for example current and next). */
  readonly publishedKeyIds: readonly string[];
}

/**
 * Signs tokens with an asymmetric KMS key: the private key never leaves KMS. Public keys are
 * fetched once per container; a change of keys is a deployment, which starts new containers.
 */
export class KmsTokenSigner implements TokenSigner {
  readonly #client: KMSClient;
  readonly #activeKeyId: string;
  readonly #publishedKeyIds: readonly string[];
  readonly #publicKeys = new Map<string, Promise<PublicJwk>>();

  constructor(options: KmsTokenSignerOptions) {
    if (!options.publishedKeyIds.includes(options.activeKeyId)) {
      throw new Error('The active signing key must be one of the published keys');
    }
    this.#client = options.client;
    this.#activeKeyId = options.activeKeyId;
    this.#publishedKeyIds = options.publishedKeyIds;
  }

  async sign(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
    const { kid } = await this.#publicKey(this.#activeKeyId);
    return signCompactJws(payload, { kid, typ: options.typ ?? 'JWT' }, async (input) => {
      try {
        const { Signature } = await this.#client.send(
          new SignCommand({
            KeyId: this.#activeKeyId,
            Message: createHash('sha512').update(input).digest(),
            MessageType: 'DIGEST',
            SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_512',
          }),
        );
        if (!Signature) throw new Error('KMS returned no signature');
        return Signature;
      } catch (error) {
        throw translateKmsError(error);
      }
    });
  }

  async jwks(): Promise<JsonWebKeySet> {
    return { keys: await Promise.all(this.#publishedKeyIds.map((keyId) => this.#publicKey(keyId))) };
  }

  #publicKey(keyId: string): Promise<PublicJwk> {
    let cached = this.#publicKeys.get(keyId);
    if (!cached) {
      cached = this.#fetchPublicKey(keyId);
      // A failed fetch is not cached, so the next request tries again.
      cached.catch(() => this.#publicKeys.delete(keyId));
      this.#publicKeys.set(keyId, cached);
    }
    return cached;
  }

  async #fetchPublicKey(keyId: string): Promise<PublicJwk> {
    try {
      const { PublicKey } = await this.#client.send(new GetPublicKeyCommand({ KeyId: keyId }));
      if (!PublicKey) throw new Error('KMS returned no public key');
      const key = createPublicKey({ key: Buffer.from(PublicKey), format: 'der', type: 'spki' });
      return await toPublicJwk(await exportJWK(key));
    } catch (error) {
      throw translateKmsError(error);
    }
  }
}

/** The signer over the function's own KMS client, for a Lambda composition root. */
export const kmsTokenSigner = (keys: Omit<KmsTokenSignerOptions, 'client'>): KmsTokenSigner =>
  new KmsTokenSigner({ client: new KMSClient({}), ...keys });

import { constants, createPublicKey, type JsonWebKey, publicEncrypt, randomBytes } from 'node:crypto';
import type { ClientStore } from '../clients/relying-party-client.ts';
import { ConflictError, InvalidRequestError } from '../errors.ts';
import { InvalidTokenError } from './oidc-errors.ts';

/** NHS login's ceiling on `client_user_metadata` (EIS Table 11): a protocol constant, not a tunable limit. */
export const CLIENT_USER_METADATA_MAX_LENGTH = 1024;

/** Where each client's `client_user_metadata` for each patient is kept: an opaque string the client writes. */
export interface ClientMetadataStore {
  /** The value the client last wrote for the account, or undefined. */
  find(accountId: string, clientId: string): Promise<string | undefined>;
  /** Replaces the value; ConflictError when the account no longer exists. */
  save(accountId: string, clientId: string, value: string): Promise<void>;
  /**
   * Stores the value unless one is there already, and returns the one kept (so concurrent first
   * reads agree); undefined when the account no longer exists.
   */
  createIfAbsent(accountId: string, clientId: string, value: string): Promise<string | undefined>;
}

/**
 * NHS login's generated value (EIS Tables 11 and 14): a random number encrypted to the client's
 * RSA public key with RSA-OAEP (PKCS#1 OAEP with SHA-1, as PyCryptodome's PKCS1_OAEP, which NHS
 * login's examples use), base64url-encoded. Only the client can read it; undefined for a client
 * without an RSA key.
 */
export const generatedClientUserMetadata = (
  keys: readonly { readonly jwk: Readonly<Record<string, string>> }[],
  random: (size: number) => Buffer = randomBytes,
): string | undefined => {
  const rsa = keys.find((key) => key.jwk.kty === 'RSA');
  if (!rsa) return undefined;
  const number = BigInt(`0x${random(16).toString('hex')}`).toString();
  const key = createPublicKey({ key: { ...rsa.jwk } as JsonWebKey, format: 'jwk' });
  return publicEncrypt(
    { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(number),
  ).toString('base64url');
};

/**
 * `client_user_metadata`, read and written through /userinfo (reference 2.7): at most 1024
 * characters, the empty string clears it (the claim is then omitted), and `"auto"` replaces it
 * with a generated value (see generatedClientUserMetadata), which is also what a client reads
 * before it has written any.
 */
export class ClientMetadata {
  readonly #store: ClientMetadataStore;
  readonly #clients: Pick<ClientStore, 'find'>;

  constructor(options: { store: ClientMetadataStore; clients: Pick<ClientStore, 'find'> }) {
    this.#store = options.store;
    this.#clients = options.clients;
  }

  /** The client's value for the account: the one written, else a generated one, kept from then on. */
  async read(accountId: string, clientId: string): Promise<string | undefined> {
    const stored = await this.#store.find(accountId, clientId);
    if (stored !== undefined) return stored;
    const generated = await this.#generate(clientId);
    return generated === undefined ? undefined : this.#store.createIfAbsent(accountId, clientId, generated);
  }

  async write(accountId: string, clientId: string, written: string): Promise<void> {
    const value = written === 'auto' ? await this.#generate(clientId) : written;
    if (value === undefined)
      throw new InvalidRequestError(
        "client_user_metadata 'auto' needs an RSA public key registered for the client, to encrypt the value to.",
      );
    // Characters as a person counts them (code points), not UTF-16 units.
    if ([...value].length > CLIENT_USER_METADATA_MAX_LENGTH)
      throw new InvalidRequestError(
        `client_user_metadata must be at most ${CLIENT_USER_METADATA_MAX_LENGTH} characters.`,
      );
    // An empty value is kept, not deleted: cleared stays cleared, with no generated value after it.
    try {
      await this.#store.save(accountId, clientId, value);
    } catch (error) {
      // The account was deleted after the token was checked: the token no longer names anyone.
      if (error instanceof ConflictError)
        throw new InvalidTokenError('The access token is invalid.', {
          logDetail: 'account gone before metadata write',
          cause: error,
        });
      throw error;
    }
  }

  async #generate(clientId: string): Promise<string | undefined> {
    const client = await this.#clients.find(clientId);
    return client && generatedClientUserMetadata(client.publicKeys);
  }
}

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
  /** Removes the value; no error when there is none. */
  remove(accountId: string, clientId: string): Promise<void>;
}

/**
 * `client_user_metadata`, read and written through /userinfo: at most 1024 characters, and the
 * empty string clears it (reference 2.7). NHS login's `"auto"` (a new random value encrypted to
 * the client's key) is refused rather than stored as the literal text, which a client would take
 * for a generated value.
 */
export class ClientMetadata {
  readonly #store: ClientMetadataStore;

  constructor(store: ClientMetadataStore) {
    this.#store = store;
  }

  read(accountId: string, clientId: string): Promise<string | undefined> {
    return this.#store.find(accountId, clientId);
  }

  async write(accountId: string, clientId: string, value: string): Promise<void> {
    if (value === 'auto')
      throw new InvalidRequestError("client_user_metadata 'auto' (a generated value) is not supported.");
    // Characters as a person counts them (code points), not UTF-16 units.
    if ([...value].length > CLIENT_USER_METADATA_MAX_LENGTH)
      throw new InvalidRequestError(
        `client_user_metadata must be at most ${CLIENT_USER_METADATA_MAX_LENGTH} characters.`,
      );
    if (value === '') return this.#store.remove(accountId, clientId);
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
}

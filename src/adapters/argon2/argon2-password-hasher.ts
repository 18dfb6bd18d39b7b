import { type Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../domain/credentials/password-hasher.ts';
import { normalisePassword } from '../../domain/credentials/password-normalisation.ts';
import { type Argon2Parameters, defaultArgon2Parameters, needsArgon2Rehash } from './argon2-phc-string.ts';

export { type Argon2Parameters, defaultArgon2Parameters };

// The package declares its Algorithm as a const enum, which has no runtime object under type stripping.
const argon2id = 2 as Algorithm.Argon2id;

/** Hashes with argon2id through @node-rs/argon2, on libuv's thread pool so the event loop stays free. */
export class Argon2PasswordHasher implements PasswordHasher {
  readonly #parameters: Argon2Parameters;

  constructor(parameters: Partial<Argon2Parameters> = {}) {
    this.#parameters = { ...defaultArgon2Parameters, ...parameters };
  }

  hash(password: string): Promise<string> {
    return argon2Hash(normalisePassword(password), { algorithm: argon2id, ...this.#parameters });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2Verify(hash, normalisePassword(password));
    } catch {
      // The library throws for a hash it cannot decode; to the caller that is simply not a match.
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return needsArgon2Rehash(hash, this.#parameters);
  }
}

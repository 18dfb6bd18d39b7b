import { type Algorithm, hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { PasswordHasher } from '../../domain/credentials/password-hasher.ts';
import { normalisePassword } from '../../domain/credentials/password-normalisation.ts';

/** Argon2 cost parameters, as the PHC string names them: m (KiB), t (passes), p (lanes). */
export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id minimum: m=19 MiB, t=2, p=1 (docs/passwords.md). */
export const defaultArgon2Parameters: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// The package declares its Algorithm as a const enum, which has no runtime object under type stripping.
const argon2id = 2 as Algorithm.Argon2id;
const currentVersion = 19;

const phcPattern = /^\$([a-z0-9-]+)\$v=(\d+)\$m=(\d+),t=(\d+),p=(\d+)\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/;

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
    const match = phcPattern.exec(hash);
    if (!match) return true;
    const [, algorithm, version, memoryCost, timeCost, parallelism] = match;
    return (
      algorithm !== 'argon2id' ||
      Number(version) !== currentVersion ||
      Number(memoryCost) !== this.#parameters.memoryCost ||
      Number(timeCost) !== this.#parameters.timeCost ||
      Number(parallelism) !== this.#parameters.parallelism
    );
  }
}

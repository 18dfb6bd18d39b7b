import { randomBytes, timingSafeEqual } from 'node:crypto';
import { argon2d, argon2i, argon2id } from 'hash-wasm';
import type { PasswordHasher } from '../../domain/credentials/password-hasher.ts';
import { normalisePassword } from '../../domain/credentials/password-normalisation.ts';
import {
  type Argon2Parameters,
  currentArgon2Version,
  defaultArgon2Parameters,
  needsArgon2Rehash,
  parseArgon2PhcString,
} from './argon2-phc-string.ts';

const saltBytes = 16;
const hashBytes = 32;
const variants = { argon2id, argon2i, argon2d };

/**
 * Hashes with argon2id compiled to WebAssembly (hash-wasm): the same algorithm, parameters and PHC
 * strings as `Argon2PasswordHasher`, so either verifies the other's hashes. Lambda uses this one:
 * it needs no native binary for the target CPU, so the bundle builds offline on any machine. It
 * runs on the calling thread, so it suits a function that serves one request at a time.
 */
export class WasmArgon2PasswordHasher implements PasswordHasher {
  readonly #parameters: Argon2Parameters;

  constructor(parameters: Partial<Argon2Parameters> = {}) {
    this.#parameters = { ...defaultArgon2Parameters, ...parameters };
  }

  hash(password: string): Promise<string> {
    return argon2id({
      password: normalisePassword(password),
      salt: randomBytes(saltBytes),
      iterations: this.#parameters.timeCost,
      memorySize: this.#parameters.memoryCost,
      parallelism: this.#parameters.parallelism,
      hashLength: hashBytes,
      outputType: 'encoded',
    });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    const stored = parseArgon2PhcString(hash);
    // hash-wasm implements version 19 only; nothing of ours was ever hashed with another.
    if (!stored || stored.version !== currentArgon2Version) return false;
    try {
      const computed = await variants[stored.variant]({
        password: normalisePassword(password),
        salt: stored.salt,
        iterations: stored.timeCost,
        memorySize: stored.memoryCost,
        parallelism: stored.parallelism,
        hashLength: stored.hash.length,
        outputType: 'binary',
      });
      return timingSafeEqual(computed, stored.hash);
    } catch {
      // hash-wasm throws for parameters it refuses (a short salt, an empty password); not a match.
      return false;
    }
  }

  needsRehash(hash: string): boolean {
    return needsArgon2Rehash(hash, this.#parameters);
  }
}

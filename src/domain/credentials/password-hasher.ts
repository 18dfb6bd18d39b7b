/** Hashes and checks patient passwords (argon2id in every environment). */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password or a malformed hash; never throws for either. */
  verify(hash: string, password: string): Promise<boolean>;
  /** True when the hash was made with other parameters than the current ones (rehash at login). */
  needsRehash(hash: string): boolean;
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { type RandomBytes, systemRandomBytes } from './security-code.ts';

/**
 * How a security code is kept: HMAC-SHA256 keyed with a random salt of its own.
 *
 * A 6-digit code has a million values, so whoever can read the table can find a code from its
 * hash in moments; the hash is not what protects it. The attempt limit and the short life do.
 * Hashing keeps codes out of the table in clear (backups, exports, support tools), and the
 * per-code salt means one precomputed list of a million hashes does not read every item at once.
 */
export interface SecurityCodeDigest {
  /** base64url, 16 random bytes. */
  readonly salt: string;
  /** base64url HMAC-SHA256 of the code, keyed with the salt. */
  readonly hash: string;
}

const hmac = (salt: string, code: string): Buffer =>
  createHmac('sha256', Buffer.from(salt, 'base64url')).update(code, 'utf8').digest();

/** The digest to store for a code, under a fresh random salt. */
export const digestSecurityCode = (
  code: string,
  random: RandomBytes = systemRandomBytes,
): SecurityCodeDigest => {
  const salt = Buffer.from(random(16)).toString('base64url');
  return { salt, hash: hmac(salt, code).toString('base64url') };
};

/** Whether `code` is the one behind the digest, compared in constant time. */
export const matchesSecurityCode = (code: string, digest: SecurityCodeDigest): boolean => {
  const expected = Buffer.from(digest.hash, 'base64url');
  const actual = hmac(digest.salt, code);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

import { createHash } from 'node:crypto';
import { type RandomBytes, systemRandomBytes } from '../../security-codes/security-code.ts';

/** 32 random bytes in base64url, as every code and refresh token we hand out is. */
const OPAQUE_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * How a code or refresh token is kept: its SHA-256 digest. The token has 256 random bits, so a
 * plain digest cannot be reversed and a copy of the table gives no working token.
 */
export const digestOpaqueToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** A new 256-bit token and the digest to store for it. */
export const newOpaqueToken = (
  random: RandomBytes = systemRandomBytes,
): { token: string; digest: string } => {
  const token = Buffer.from(random(32)).toString('base64url');
  return { token, digest: digestOpaqueToken(token) };
};

/** Whether a presented value could be one of our tokens, so nothing else reaches the store. */
export const isOpaqueToken = (value: string | undefined): value is string =>
  value !== undefined && OPAQUE_TOKEN_PATTERN.test(value);

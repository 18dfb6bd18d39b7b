import { createHash, timingSafeEqual } from 'node:crypto';
import { InvalidGrantError } from '../oidc-errors.ts';

/** An S256 challenge: the base64url SHA-256 of a verifier, 43 characters (RFC 7636 4.2). */
const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
/** A verifier: 43 to 128 unreserved characters (RFC 7636 4.1). */
const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

export const isCodeChallenge = (value: string): boolean => CODE_CHALLENGE_PATTERN.test(value);

/** The S256 challenge of a verifier. */
export const s256CodeChallenge = (verifier: string): string =>
  createHash('sha256').update(verifier, 'ascii').digest('base64url');

/**
 * Checks the token request's code_verifier against the challenge the code was issued with
 * (S256 only). A verifier without a stored challenge is refused too: accepting it would let an
 * attacker strip the challenge from the authorization request unnoticed (RFC 9700 4.8.2).
 */
export const checkPkce = (challenge: string | undefined, verifier: string | undefined): void => {
  if (challenge === undefined) {
    if (verifier !== undefined)
      throw new InvalidGrantError(
        'code_verifier was sent, but the authorization request had no code_challenge.',
        {
          logDetail: 'pkce verifier without challenge',
        },
      );
    return;
  }
  if (verifier === undefined)
    throw new InvalidGrantError(
      'code_verifier is required: the authorization request had a code_challenge.',
      {
        logDetail: 'pkce verifier missing',
      },
    );
  if (!CODE_VERIFIER_PATTERN.test(verifier))
    throw new InvalidGrantError('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].', {
      logDetail: 'pkce verifier malformed',
    });
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(s256CodeChallenge(verifier));
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual))
    throw new InvalidGrantError('code_verifier does not match the code_challenge.', {
      logDetail: 'pkce verifier mismatch',
    });
};

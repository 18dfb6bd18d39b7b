import { describe, expect, it } from 'vitest';
import { checkPkce, s256CodeChallenge } from '../../../../../src/domain/oidc/grants/pkce.ts';
import { InvalidGrantError } from '../../../../../src/domain/oidc/oidc-errors.ts';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

describe('checkPkce', () => {
  it('computes the S256 challenge of RFC 7636 Appendix B', () => {
    // Act
    const challenge = s256CodeChallenge(VERIFIER);

    // Assess
    expect(challenge).toBe(CHALLENGE);
  });

  it('accepts the verifier of the challenge, and no verifier when there was no challenge', () => {
    // Act
    const outcomes = [() => checkPkce(CHALLENGE, VERIFIER), () => checkPkce(undefined, undefined)];

    // Assess
    for (const outcome of outcomes) expect(outcome).not.toThrow();
  });

  it.each([
    [
      'a wrong verifier',
      CHALLENGE,
      `${VERIFIER.slice(0, -1)}Y`,
      'code_verifier does not match the code_challenge.',
    ],
    [
      'a missing verifier',
      CHALLENGE,
      undefined,
      'code_verifier is required: the authorization request had a code_challenge.',
    ],
    [
      'a verifier of 42 characters',
      CHALLENGE,
      VERIFIER.slice(0, 42),
      'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].',
    ],
    [
      'a verifier of 129 characters',
      CHALLENGE,
      'a'.repeat(129),
      'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].',
    ],
    [
      'a verifier with other characters',
      CHALLENGE,
      `${VERIFIER.slice(0, -1)}+`,
      'code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~].',
    ],
    [
      'a verifier without a challenge',
      undefined,
      VERIFIER,
      'code_verifier was sent, but the authorization request had no code_challenge.',
    ],
  ])('refuses %s as invalid_grant', (_label, challenge, verifier, description) => {
    // Act
    const outcome = () => checkPkce(challenge, verifier);

    // Assess
    expect(outcome).toThrow(InvalidGrantError);
    expect(outcome).toThrow(description);
  });
});

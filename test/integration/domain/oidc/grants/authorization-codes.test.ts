import { describe, expect, it } from 'vitest';
import { DynamoAuthorizationCodeStore } from '../../../../../src/adapters/dynamodb/dynamo-authorization-code-store.ts';
import { keys } from '../../../../../src/adapters/dynamodb/keys.ts';
import { epochSeconds } from '../../../../../src/domain/clock.ts';
import { InvalidRequestError } from '../../../../../src/domain/errors.ts';
import {
  type AuthorizationCodeGrant,
  AuthorizationCodes,
} from '../../../../../src/domain/oidc/grants/authorization-codes.ts';
import { CodeReusedError } from '../../../../../src/domain/oidc/grants/grant-errors.ts';
import { digestOpaqueToken } from '../../../../../src/domain/oidc/grants/opaque-token.ts';
import { InvalidGrantError } from '../../../../../src/domain/oidc/oidc-errors.ts';
import { createTestTable } from '../../../../support/test-table.ts';

const START = new Date('2026-11-22T10:00:00Z');
// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

const grant: AuthorizationCodeGrant = {
  grantId: 'grant-1',
  clientId: 'client-1',
  redirectUri: 'https://rp.example.test/callback',
  accountId: 'account-1',
  scopes: ['openid', 'profile', 'email'],
  nonce: 'nonce-1',
  vot: 'P9.Cp.Cd',
  authTime: epochSeconds(START) - 20,
  sessionGeneration: 0,
};
const redemption = { clientId: grant.clientId, redirectUri: grant.redirectUri };

/** Codes on a fresh table, with a clock the test can move. */
const setUp = async () => {
  let now = START;
  const clock = () => now;
  const table = await createTestTable(clock);
  const codes = new AuthorizationCodes({
    store: new DynamoAuthorizationCodeStore(table),
    clock,
    lifetimeSeconds: 600,
  });
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  return { table, codes, advance };
};

const failure = (outcome: Promise<unknown>) =>
  outcome.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('AuthorizationCodes', () => {
  it('redeems a code for the grant it was issued for', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);

    // Act
    const redeemed = await codes.redeem(code, redemption);

    // Assess
    expect(redeemed).toEqual(grant);
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps only the digest of the code in the table', async () => {
    // Prepare
    const { codes, table } = await setUp();

    // Act
    const code = await codes.issue(grant);

    // Assess
    const item = await table.get(keys.authorizationCode(digestOpaqueToken(code)));
    expect(item).toMatchObject({ grant, expiresAt: epochSeconds(START) + 600 });
    expect(JSON.stringify(item)).not.toContain(code);
  });

  it('refuses a second use of a code and names the grant to revoke', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);
    await codes.redeem(code, redemption);

    // Act
    const error = await failure(codes.redeem(code, redemption));

    // Assess
    expect(error).toBeInstanceOf(CodeReusedError);
    expect(error).toMatchObject({
      code: 'invalid_grant',
      status: 400,
      grant: { grantId: 'grant-1', clientId: 'client-1', accountId: 'account-1' },
    });
  });

  it('lets exactly one of concurrent redemptions of a code win, and reports the others as reuse', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);

    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, () => codes.redeem(code, redemption)),
    );

    // Assess
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(losers).toHaveLength(7);
    for (const loser of losers)
      expect(loser).toMatchObject({
        code: 'invalid_grant',
        grant: { grantId: 'grant-1', clientId: 'client-1', accountId: 'account-1' },
      });
  });

  it('refuses a code presented by another client without using it up', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);

    // Act
    const error = await failure(codes.redeem(code, { ...redemption, clientId: 'client-2' }));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).not.toBeInstanceOf(CodeReusedError);
    expect(error).toMatchObject({ description: 'The authorization code was not issued to this client.' });
    expect(await codes.redeem(code, redemption)).toEqual(grant);
  });

  it('does not let another client set off the revocation of a used code', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);
    await codes.redeem(code, redemption);

    // Act
    const error = await failure(codes.redeem(code, { ...redemption, clientId: 'client-2' }));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).not.toBeInstanceOf(CodeReusedError);
  });

  it('refuses a redirect_uri other than the authorization request’s', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue(grant);

    // Act
    const outcomes = await Promise.all([
      failure(codes.redeem(code, { ...redemption, redirectUri: 'https://rp.example.test/callback/' })),
      failure(codes.redeem(code, { ...redemption, redirectUri: undefined })),
    ]);

    // Assess
    for (const error of outcomes) {
      expect(error).toBeInstanceOf(InvalidGrantError);
      expect(error).toMatchObject({ description: 'redirect_uri does not match the authorization request.' });
    }
  });

  it('redeems a code bound to a PKCE challenge with its verifier', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue({ ...grant, codeChallenge: CHALLENGE });

    // Act
    const redeemed = await codes.redeem(code, { ...redemption, codeVerifier: VERIFIER });

    // Assess
    expect(redeemed).toEqual(grant);
  });

  it.each([
    ['a wrong verifier', CHALLENGE, `${VERIFIER.slice(0, -1)}Y`],
    ['a missing verifier', CHALLENGE, undefined],
    ['a verifier when the request had no challenge', undefined, VERIFIER],
  ])('refuses %s', async (_label, codeChallenge, codeVerifier) => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue({ ...grant, codeChallenge });

    // Act
    const error = await failure(codes.redeem(code, { ...redemption, codeVerifier }));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ code: 'invalid_grant' });
  });

  it('leaves a code refused for a wrong verifier unused, so the client with the right one still redeems it', async () => {
    // Prepare
    const { codes } = await setUp();
    const code = await codes.issue({ ...grant, codeChallenge: CHALLENGE });
    const wrong = await failure(
      codes.redeem(code, { ...redemption, codeVerifier: `${VERIFIER.slice(0, -1)}Y` }),
    );

    // Act
    const redeemed = await codes.redeem(code, { ...redemption, codeVerifier: VERIFIER });

    // Assess
    expect(wrong).toMatchObject({ description: 'code_verifier does not match the code_challenge.' });
    expect(redeemed).toEqual(grant);
  });

  it('redeems, once, a code issued before codes kept their binding', async () => {
    // Prepare: the item as codes were stored before
    const { codes, table } = await setUp();
    const code = 'Ab'.repeat(21).concat('c');
    await table.create({
      ...keys.authorizationCode(digestOpaqueToken(code)),
      grant,
      expiresAt: epochSeconds(START) + 600,
    });

    // Act
    const redeemed = await codes.redeem(code, redemption);
    const again = await failure(codes.redeem(code, redemption));

    // Assess
    expect(redeemed).toEqual(grant);
    expect(again).toBeInstanceOf(CodeReusedError);
  });

  it('refuses to issue a code for a challenge that is not S256-shaped', async () => {
    // Prepare
    const { codes } = await setUp();

    // Act
    const error = await failure(codes.issue({ ...grant, codeChallenge: 'plain-verifier' }));

    // Assess
    expect(error).toBeInstanceOf(InvalidRequestError);
  });

  it('redeems a code until 10 minutes have passed, and refuses it from then on', async () => {
    // Prepare
    const { codes, advance } = await setUp();
    const early = await codes.issue({ ...grant, grantId: 'grant-early' });
    const late = await codes.issue({ ...grant, grantId: 'grant-late' });

    // Act
    advance(599);
    const justInTime = await codes.redeem(early, redemption);
    advance(1);
    const error = await failure(codes.redeem(late, redemption));

    // Assess
    expect(justInTime.grantId).toBe('grant-early');
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ description: 'The authorization code is unknown or has expired.' });
  });

  it.each([
    ['an unknown code', 'A'.repeat(43)],
    ['a malformed code', 'not a code'],
    ['no code', undefined],
  ])('refuses %s', async (_label, code) => {
    // Prepare
    const { codes } = await setUp();

    // Act
    const error = await failure(codes.redeem(code, redemption));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
  });
});

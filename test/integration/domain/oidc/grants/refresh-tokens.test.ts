import { describe, expect, it } from 'vitest';
import { DynamoAuthorizationCodeStore } from '../../../../../src/adapters/dynamodb/dynamo-authorization-code-store.ts';
import { DynamoRefreshTokenStore } from '../../../../../src/adapters/dynamodb/dynamo-refresh-token-store.ts';
import { keys } from '../../../../../src/adapters/dynamodb/keys.ts';
import { epochSeconds } from '../../../../../src/domain/clock.ts';
import { AuthorizationCodes } from '../../../../../src/domain/oidc/grants/authorization-codes.ts';
import type { Grant } from '../../../../../src/domain/oidc/grants/grant.ts';
import {
  CodeReusedError,
  RefreshTokenReusedError,
} from '../../../../../src/domain/oidc/grants/grant-errors.ts';
import { digestOpaqueToken } from '../../../../../src/domain/oidc/grants/opaque-token.ts';
import { RefreshTokens } from '../../../../../src/domain/oidc/grants/refresh-tokens.ts';
import { InvalidGrantError, InvalidScopeError } from '../../../../../src/domain/oidc/oidc-errors.ts';
import { createTestTable } from '../../../../support/test-table.ts';

const START = new Date('2026-11-22T10:00:00Z');
const day = 86_400;

const grant: Grant = {
  grantId: 'grant-1',
  clientId: 'client-1',
  accountId: 'account-1',
  scopes: ['openid', 'profile', 'email', 'phone'],
  vot: 'P9.Cp.Cd',
  authTime: epochSeconds(START) - 20,
  sessionGeneration: 0,
};
const client = { clientId: 'client-1' };

/** Refresh tokens (and codes, for the revocation contract) on a fresh table, with a movable clock. */
const setUp = async () => {
  let now = START;
  const clock = () => now;
  const table = await createTestTable(clock);
  const refreshTokens = new RefreshTokens({
    store: new DynamoRefreshTokenStore(table),
    clock,
    lifetimeSeconds: 30 * day,
  });
  const codes = new AuthorizationCodes({
    store: new DynamoAuthorizationCodeStore(table),
    clock,
    lifetimeSeconds: 600,
  });
  const advance = (seconds: number) => {
    now = new Date(now.getTime() + seconds * 1000);
  };
  return { table, refreshTokens, codes, advance };
};

const failure = (outcome: Promise<unknown>) =>
  outcome.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('RefreshTokens', () => {
  it('rotates a refresh token into a new one with the same grant', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);

    // Act
    const rotated = await refreshTokens.rotate(first, client);
    const again = await refreshTokens.rotate(rotated.refreshToken, client);

    // Assess
    expect(rotated.grant).toEqual(grant);
    expect(rotated.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.refreshToken).not.toBe(first);
    expect(again.grant).toEqual(grant);
  });

  it('keeps only digests of refresh tokens in the table', async () => {
    // Prepare
    const { refreshTokens, table } = await setUp();

    // Act
    const token = await refreshTokens.start(grant);

    // Assess
    const tokenItem = await table.get(keys.refreshToken(digestOpaqueToken(token)));
    const familyItem = await table.get(keys.refreshTokenFamily(grant.grantId));
    expect(tokenItem).toMatchObject({ grantId: 'grant-1', expiresAt: epochSeconds(START) + 30 * day });
    expect(familyItem).toMatchObject({ status: 'active', grant });
    expect(JSON.stringify([tokenItem, familyItem])).not.toContain(token);
  });

  it('revokes the whole family when a replaced token is presented again', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);
    const { refreshToken: second } = await refreshTokens.rotate(first, client);

    // Act
    const reuse = await failure(refreshTokens.rotate(first, client));
    const latest = await failure(refreshTokens.rotate(second, client));

    // Assess
    expect(reuse).toBeInstanceOf(RefreshTokenReusedError);
    expect(reuse).toMatchObject({
      code: 'invalid_grant',
      grant: { grantId: 'grant-1', clientId: 'client-1', accountId: 'account-1' },
    });
    expect(latest).toBeInstanceOf(InvalidGrantError);
    expect(latest).toMatchObject({ description: 'The refresh token has been revoked.' });
  });

  it('refuses every token of a revoked family', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);
    const { refreshToken: second } = await refreshTokens.rotate(first, client);
    await refreshTokens.revokeFamily(grant.grantId);

    // Act
    const outcomes = await Promise.all([
      failure(refreshTokens.rotate(first, client)),
      failure(refreshTokens.rotate(second, client)),
    ]);

    // Assess
    for (const error of outcomes) {
      expect(error).toBeInstanceOf(InvalidGrantError);
      expect(error).toMatchObject({ description: 'The refresh token has been revoked.' });
    }
  });

  it('cannot start a family that was revoked before it started', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    await refreshTokens.revokeFamily(grant.grantId);

    // Act
    const error = await failure(refreshTokens.start(grant));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ description: 'The grant has been revoked.' });
  });

  it('revokes the refresh tokens of a grant whose code is used a second time', async () => {
    // Prepare
    const { refreshTokens, codes } = await setUp();
    const redirectUri = 'https://rp.example.test/callback';
    const code = await codes.issue({ ...grant, redirectUri, nonce: 'nonce-1' });
    const redeemed = await codes.redeem(code, { clientId: 'client-1', redirectUri });
    const refreshToken = await refreshTokens.start(redeemed);
    const reuse = await failure(codes.redeem(code, { clientId: 'client-1', redirectUri }));

    // Act
    if (reuse instanceof CodeReusedError) await refreshTokens.revokeFamily(reuse.grant.grantId);
    const error = await failure(refreshTokens.rotate(refreshToken, client));

    // Assess
    expect(reuse).toBeInstanceOf(CodeReusedError);
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ description: 'The refresh token has been revoked.' });
  });

  it('lets exactly one of concurrent rotations of a token win, and then revokes the family', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);

    // Act
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => refreshTokens.rotate(first, client)),
    );

    // Assess
    const winners = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    expect(winners).toHaveLength(1);
    // A loser that reads the family after another loser revoked it is told "revoked", not "reused".
    for (const outcome of outcomes.filter((candidate) => candidate.status === 'rejected'))
      expect(outcome.reason).toBeInstanceOf(InvalidGrantError);
    expect(await failure(refreshTokens.rotate(winners[0]?.refreshToken, client))).toMatchObject({
      description: 'The refresh token has been revoked.',
    });
  });

  it('refuses a token presented by another client, without revoking it', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);
    const { refreshToken: second } = await refreshTokens.rotate(first, client);

    // Act
    const current = await failure(refreshTokens.rotate(second, { clientId: 'client-2' }));
    const replaced = await failure(refreshTokens.rotate(first, { clientId: 'client-2' }));

    // Assess
    for (const error of [current, replaced]) {
      expect(error).toBeInstanceOf(InvalidGrantError);
      expect(error).toMatchObject({ description: 'The refresh token was not issued to this client.' });
    }
    expect((await refreshTokens.rotate(second, client)).grant).toEqual(grant);
  });

  it('ends a family 30 days after it started, however often it was rotated', async () => {
    // Prepare
    const { refreshTokens, advance } = await setUp();
    const first = await refreshTokens.start(grant);
    advance(30 * day - 1);
    const { refreshToken: lastDay } = await refreshTokens.rotate(first, client);

    // Act
    advance(1);
    const error = await failure(refreshTokens.rotate(lastDay, client));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
    expect(error).toMatchObject({ description: 'The refresh token is unknown or has expired.' });
  });

  it('narrows the scopes of one refresh without narrowing the family', async () => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);

    // Act
    const narrowed = await refreshTokens.rotate(first, { ...client, scope: 'email openid' });
    const unnarrowed = await refreshTokens.rotate(narrowed.refreshToken, client);

    // Assess
    expect(narrowed.grant.scopes).toEqual(['openid', 'email']);
    expect(unnarrowed.grant.scopes).toEqual(['openid', 'profile', 'email', 'phone']);
  });

  it.each([
    ['a scope the grant lacks', 'openid landline'],
    ['an unknown scope', 'openid admin'],
  ])('refuses %s as invalid_scope, and the token still works', async (_label, scope) => {
    // Prepare
    const { refreshTokens } = await setUp();
    const first = await refreshTokens.start(grant);

    // Act
    const error = await failure(refreshTokens.rotate(first, { ...client, scope }));

    // Assess
    expect(error).toBeInstanceOf(InvalidScopeError);
    expect(error).toMatchObject({ code: 'invalid_scope', status: 400 });
    expect((await refreshTokens.rotate(first, client)).grant).toEqual(grant);
  });

  it.each([
    ['an unknown token', 'A'.repeat(43)],
    ['a malformed token', 'not a token'],
    ['no token', undefined],
  ])('refuses %s', async (_label, token) => {
    // Prepare
    const { refreshTokens } = await setUp();

    // Act
    const error = await failure(refreshTokens.rotate(token, client));

    // Assess
    expect(error).toBeInstanceOf(InvalidGrantError);
  });
});

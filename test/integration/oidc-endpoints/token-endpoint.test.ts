import { randomUUID } from 'node:crypto';
import { base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochSeconds } from '../../../src/domain/clock.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../../../src/domain/oidc/client-authentication.ts';
import type { Grant } from '../../../src/domain/oidc/grants/grant.ts';
import { type OidcEndpoints, rsaKeyPair, startOidcEndpoints } from './oidc-fixture.ts';

const CODE_VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

const invalidClient = { error: 'invalid_client', error_description: 'Client authentication failed' };

describe('the token endpoint', () => {
  let endpoints: OidcEndpoints;

  beforeAll(async () => {
    endpoints = await startOidcEndpoints();
  });

  afterAll(() => endpoints.stop());

  describe('with grant_type=authorization_code', () => {
    it('issues an ID token that verifies against the served JWKS, an access token and a refresh token', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const code = await endpoints.issueCode(testClient, account, {
        scopes: ['openid', 'email', 'phone'],
        codeVerifier: CODE_VERIFIER,
        nonce: 'nonce-happy',
      });

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: testClient.redirectUri,
        code_verifier: CODE_VERIFIER,
      });

      // Assess: the response
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const body = response.json as Record<string, unknown>;
      expect(Object.keys(body)).toEqual([
        'access_token',
        'token_type',
        'expires_in',
        'id_token',
        'refresh_token',
        'scope',
      ]);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'openid email phone' });
      expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

      // Assess: the ID token, as a relying party checks it
      const clientId = testClient.client.clientId;
      const { payload, protectedHeader } = await endpoints.verifyWithServedJwks(
        body.id_token as string,
        clientId,
      );
      expect(protectedHeader).toMatchObject({ alg: 'RS512', typ: 'JWT' });
      const now = epochSeconds(endpoints.clock());
      expect(payload).toEqual({
        iss: endpoints.issuer,
        sub: account.subject,
        aud: clientId,
        iat: now,
        exp: now + 3600,
        jti: expect.any(String),
        nonce: 'nonce-happy',
        auth_time: now - 60,
        vot: 'P0.Cp.Cd',
        vtm: `${endpoints.issuer}/trustmark/${new URL(endpoints.issuer).host}`,
      });

      // Assess: the access token is a JWT for /userinfo, and works there
      const access = await endpoints.verifyWithServedJwks(body.access_token as string, clientId);
      expect(access.payload).toMatchObject({
        sub: account.subject,
        scope: 'openid email phone',
        client_id: clientId,
        exp: now + 300,
      });
      const userinfo = await endpoints.userinfo(body.access_token as string);
      expect(userinfo.status).toBe(200);
      expect(userinfo.json?.sub).toBe(account.subject);
    });

    it('releases email and phone at /userinfo, never in the ID token', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();

      // Act
      const tokens = await endpoints.tokensFor(testClient, account, { scopes: ['openid', 'email', 'phone'] });
      const userinfo = await endpoints.userinfo(tokens.access_token);

      // Assess
      const { payload } = await endpoints.verifyWithServedJwks(
        tokens.id_token as string,
        testClient.client.clientId,
      );
      expect(payload).not.toHaveProperty('email');
      expect(payload).not.toHaveProperty('phone_number');
      expect(userinfo.json).toEqual({
        sub: account.subject,
        email: account.email,
        email_verified: true,
        phone_number: '+447700900123',
        phone_number_verified: true,
      });
    });

    it('issues no refresh token to a client not registered for them', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient({ refreshTokens: false });
      const account = await endpoints.createAccount();

      // Act
      const tokens = await endpoints.tokensFor(testClient, account);

      // Assess
      expect(Object.keys(tokens)).toEqual(['access_token', 'token_type', 'expires_in', 'id_token', 'scope']);
    });

    it('refuses a reused code and revokes the refresh tokens its first use issued', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const code = await endpoints.issueCode(testClient, account);
      const request = { grant_type: 'authorization_code', code, redirect_uri: testClient.redirectUri };
      const first = await endpoints.token(testClient, request);

      // Act
      const second = await endpoints.token(testClient, request);
      const refresh = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.json?.refresh_token as string,
      });

      // Assess
      expect(first.status).toBe(200);
      expect(second.status).toBe(400);
      expect(second.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The authorization code has been used already.',
      });
      expect(second.headers.get('cache-control')).toBe('no-store');
      expect(second.headers.get('pragma')).toBe('no-cache');
      expect(refresh.status).toBe(400);
      expect(refresh.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token has been revoked.',
      });
      // Events of the same second come in no set order.
      const trail = await endpoints.auditTrail(account.accountId);
      expect(trail).toHaveLength(2);
      expect(trail).toEqual(
        expect.arrayContaining([
          { type: 'service-tokens-issued', detail: testClient.client.clientId },
          { type: 'code-reused', detail: testClient.client.clientId },
        ]),
      );
    });

    it('refuses a code issued to another client', async () => {
      // Prepare
      const owner = await endpoints.registerTestClient();
      const other = await endpoints.registerTestClient();
      const code = await endpoints.issueCode(owner, await endpoints.createAccount());

      // Act
      const response = await endpoints.token(other, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: owner.redirectUri,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The authorization code was not issued to this client.',
      });
    });

    it('refuses a redirect_uri other than the authorization request’s', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const code = await endpoints.issueCode(testClient, await endpoints.createAccount());

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://service.example.test/other',
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'redirect_uri does not match the authorization request.',
      });
    });

    it('refuses a PKCE verifier that does not match the challenge', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const code = await endpoints.issueCode(testClient, await endpoints.createAccount(), {
        codeVerifier: CODE_VERIFIER,
      });

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: testClient.redirectUri,
        code_verifier: `${CODE_VERIFIER.slice(0, -1)}Y`,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'code_verifier does not match the code_challenge.',
      });
    });

    it('refuses a code whose account has been deleted since', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const code = await endpoints.issueCode(testClient, account);
      await endpoints.accounts.delete(account.accountId);

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: testClient.redirectUri,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The grant is no longer valid.',
      });
    });

    it('refuses a code from a login before the account’s sessions were revoked', async () => {
      // Prepare: a password reset between the login and the token request
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const code = await endpoints.issueCode(testClient, account);
      await endpoints.accounts.revokeSessions(account.accountId);

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: testClient.redirectUri,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The grant is no longer valid.',
      });
    });

    it('requires code and redirect_uri', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const code = await endpoints.issueCode(testClient, await endpoints.createAccount());

      // Act
      const withoutCode = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        redirect_uri: testClient.redirectUri,
      });
      const withoutRedirectUri = await endpoints.token(testClient, {
        grant_type: 'authorization_code',
        code,
      });

      // Assess
      expect(withoutCode.status).toBe(400);
      expect(withoutCode.json).toEqual({ error: 'invalid_request', error_description: 'code is required.' });
      expect(withoutRedirectUri.status).toBe(400);
      expect(withoutRedirectUri.json).toEqual({
        error: 'invalid_request',
        error_description: 'redirect_uri is required.',
      });
    });
  });

  describe('with grant_type=refresh_token', () => {
    it('rotates the refresh token and issues a new access token without an ID token', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const first = await endpoints.tokensFor(testClient, account);

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      const body = response.json as Record<string, string>;
      expect(Object.keys(body)).toEqual([
        'access_token',
        'token_type',
        'expires_in',
        'refresh_token',
        'scope',
      ]);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 300, scope: 'openid email phone' });
      expect(body.refresh_token).not.toBe(first.refresh_token);
      const userinfo = await endpoints.userinfo(body.access_token);
      expect(userinfo.json?.sub).toBe(account.subject);
    });

    it('revokes the whole family when a replaced refresh token is used again', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const first = await endpoints.tokensFor(testClient, account);
      const rotated = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });

      // Act
      const reuse = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });
      const latest = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: rotated.json?.refresh_token as string,
      });

      // Assess
      expect(reuse.status).toBe(400);
      expect(reuse.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token has been used already.',
      });
      expect(latest.status).toBe(400);
      expect(latest.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token has been revoked.',
      });
      // Events of the same second come in no set order.
      const trail = await endpoints.auditTrail(account.accountId);
      expect(trail).toHaveLength(2);
      expect(trail).toEqual(
        expect.arrayContaining([
          { type: 'service-tokens-issued', detail: testClient.client.clientId },
          { type: 'refresh-token-reused', detail: testClient.client.clientId },
        ]),
      );
    });

    it('revokes the family once the account’s sessions are revoked (password reset or change)', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const first = await endpoints.tokensFor(testClient, account);
      await endpoints.accounts.revokeSessions(account.accountId);

      // Act
      const refused = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });
      const again = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
      });

      // Assess: refused, and the family is revoked rather than left to a later check
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The grant is no longer valid.',
      });
      expect(again.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token has been revoked.',
      });
    });

    it('still refreshes a family stored before grants recorded a session generation', async () => {
      // Prepare: a family as stored before, without sessionGeneration
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const { sessionGeneration: _absent, ...legacy }: Grant = {
        grantId: randomUUID(),
        clientId: testClient.client.clientId,
        accountId: account.accountId,
        scopes: ['openid', 'email'],
        vot: 'P0.Cp.Cd',
        authTime: epochSeconds(endpoints.clock()) - 60,
        sessionGeneration: 0,
      };
      const refreshToken = await endpoints.services.refreshTokens.start(legacy as Grant);

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
      });

      // Assess
      expect(response.status).toBe(200);
      expect(response.json?.scope).toBe('openid email');
    });

    it('narrows the scopes on request and refuses to widen them', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const first = await endpoints.tokensFor(testClient, await endpoints.createAccount(), {
        scopes: ['openid', 'email'],
      });

      // Act
      const narrowed = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token as string,
        scope: 'openid',
      });
      const widened = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: narrowed.json?.refresh_token as string,
        scope: 'openid phone',
      });

      // Assess
      expect(narrowed.status).toBe(200);
      expect(narrowed.json?.scope).toBe('openid');
      expect(widened.status).toBe(400);
      expect(widened.json).toEqual({
        error: 'invalid_scope',
        error_description: 'scope may only name scopes of the original grant.',
      });
    });

    it('refuses a refresh token of another client', async () => {
      // Prepare
      const owner = await endpoints.registerTestClient();
      const other = await endpoints.registerTestClient();
      const tokens = await endpoints.tokensFor(owner, await endpoints.createAccount());

      // Act
      const response = await endpoints.token(other, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_grant',
        error_description: 'The refresh token was not issued to this client.',
      });
    });

    it('refuses the grant to a client not registered for refresh tokens', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient({ refreshTokens: false });

      // Act
      const response = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: 'A'.repeat(43),
      });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'unauthorized_client',
        error_description: 'This client is not registered for refresh tokens.',
      });
    });

    it('requires refresh_token', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();

      // Act
      const response = await endpoints.token(testClient, { grant_type: 'refresh_token' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_request',
        error_description: 'refresh_token is required.',
      });
    });
  });

  describe('client authentication', () => {
    /** A token request for a fresh code, authenticated with the given assertion. */
    const requestWith = async (
      assertion: string,
      testClient: Awaited<ReturnType<OidcEndpoints['registerTestClient']>>,
    ) =>
      endpoints.postForm(endpoints.discovery.token_endpoint, {
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertion,
        grant_type: 'authorization_code',
        code: await endpoints.issueCode(testClient, await endpoints.createAccount()),
        redirect_uri: testClient.redirectUri,
      });

    it('refuses an expired client assertion', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const now = epochSeconds(endpoints.clock());
      const assertion = await endpoints.clientAssertion(testClient, {
        claims: { iat: now - 400, exp: now - 60 },
      });

      // Act
      const response = await requestWith(assertion, testClient);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidClient);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
    });

    it('accepts an assertion signed to live an hour, as stock client libraries sign them, and never twice', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const now = epochSeconds(endpoints.clock());
      const assertion = await endpoints.clientAssertion(testClient, {
        claims: { iat: now, exp: now + 3600 },
      });
      const first = await requestWith(assertion, testClient);
      endpoints.clock.advance(59 * 60);

      // Act
      const replayed = await requestWith(assertion, testClient);

      // Assess
      expect(first.status).toBe(200);
      expect(replayed.status).toBe(401);
      expect(replayed.json).toEqual(invalidClient);
    });

    it('refuses an assertion living longer than an hour (and the 30 s clock skew)', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const now = epochSeconds(endpoints.clock());
      const assertion = await endpoints.clientAssertion(testClient, {
        claims: { iat: now, exp: now + 3631 },
      });

      // Act
      const response = await requestWith(assertion, testClient);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidClient);
    });

    it('refuses a replayed client assertion', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const assertion = await endpoints.clientAssertion(testClient);
      const first = await requestWith(assertion, testClient);

      // Act
      const replay = await requestWith(assertion, testClient);

      // Assess
      expect(first.status).toBe(200);
      expect(replay.status).toBe(401);
      expect(replay.json).toEqual(invalidClient);
    });

    it('refuses an assertion signed with a key the client did not register', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const assertion = await endpoints.clientAssertion(testClient, { key: rsaKeyPair().privateKey });

      // Act
      const response = await requestWith(assertion, testClient);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidClient);
    });

    it('refuses an unsigned assertion (alg none)', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const clientId = testClient.client.clientId;
      const now = epochSeconds(endpoints.clock());
      const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
      const assertion = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({
        iss: clientId,
        sub: clientId,
        aud: endpoints.discovery.token_endpoint,
        iat: now,
        exp: now + 60,
        jti: randomUUID(),
      })}.`;

      // Act
      const response = await requestWith(assertion, testClient);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidClient);
    });

    it('refuses client_secret_basic with a 401 challenge in the scheme the client used', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const basic = Buffer.from(`${testClient.client.clientId}:secret`).toString('base64');

      // Act
      const response = await endpoints.postForm(
        endpoints.discovery.token_endpoint,
        { grant_type: 'authorization_code', code: 'x', redirect_uri: testClient.redirectUri },
        { authorization: `Basic ${basic}` },
      );

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidClient);
      expect(response.headers.get('www-authenticate')).toBe(`Basic realm="${endpoints.issuer}"`);
    });
  });

  describe('the request itself', () => {
    it('refuses an unsupported grant type', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();

      // Act
      const response = await endpoints.token(testClient, { grant_type: 'password' });

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'unsupported_grant_type',
        error_description:
          "The grant_type 'password' is not supported; use authorization_code or refresh_token.",
      });
    });

    it('requires grant_type', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();

      // Act
      const response = await endpoints.token(testClient, {});

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_request',
        error_description: 'grant_type is required.',
      });
    });

    it('refuses a repeated parameter', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();
      const form = new URLSearchParams({
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: await endpoints.clientAssertion(testClient),
        grant_type: 'authorization_code',
        code: await endpoints.issueCode(testClient, await endpoints.createAccount()),
        redirect_uri: testClient.redirectUri,
      });
      form.append('redirect_uri', 'https://attacker.example.test/callback');

      // Act
      const response = await endpoints.postForm(endpoints.discovery.token_endpoint, form);

      // Assess
      expect(response.status).toBe(400);
      expect(response.json).toEqual({
        error: 'invalid_request',
        error_description: 'Invalid body: redirect_uri: must be sent once, as a string',
      });
    });

    it('refuses a body that is not a form', async () => {
      // Prepare
      const testClient = await endpoints.registerTestClient();

      // Act
      const response = await fetch(endpoints.discovery.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
          client_assertion: await endpoints.clientAssertion(testClient),
          grant_type: 'refresh_token',
        }),
      });

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'The token request must be application/x-www-form-urlencoded.',
      });
    });
  });
});

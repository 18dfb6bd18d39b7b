import { constants, type KeyObject, privateDecrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scope } from '../../../src/domain/oidc/scopes.ts';
import { type OidcEndpoints, startOidcEndpoints } from './oidc-fixture.ts';

const invalidToken = (description: string) => ({
  body: { error: 'invalid_token', error_description: description },
  challenge: `Bearer error="invalid_token", error_description="${description}"`,
});

/** What a relying party does with a generated client_user_metadata: decrypt it with its key (PKCS1_OAEP). */
const openedWith = (privateKey: KeyObject, value: string): string =>
  privateDecrypt(
    { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' },
    Buffer.from(value, 'base64url'),
  ).toString();

describe('the UserInfo endpoint', () => {
  let endpoints: OidcEndpoints;

  beforeAll(async () => {
    endpoints = await startOidcEndpoints();
  });

  afterAll(() => endpoints.stop());

  /** A client, a patient and a fresh access token of the client for the patient. */
  const signedIn = async (scopes?: readonly Scope[]) => {
    const testClient = await endpoints.registerTestClient();
    const account = await endpoints.createAccount();
    const tokens = await endpoints.tokensFor(testClient, account, scopes ? { scopes } : {});
    return { testClient, account, tokens };
  };

  describe('GET and POST', () => {
    it('returns the claims of the token’s scopes, omitting absent ones, never cached', async () => {
      // Prepare: no phone number confirmed yet, so the phone claims are absent
      const testClient = await endpoints.registerTestClient();
      const account = await endpoints.createAccount({ phoneNumber: undefined });
      const tokens = await endpoints.tokensFor(testClient, account, { scopes: ['openid', 'email', 'phone'] });

      // Act
      const response = await endpoints.userinfo(tokens.access_token);

      // Assess
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.json).toEqual({ sub: account.subject, email: account.email, email_verified: true });
    });

    it('answers a POST with the token in the Authorization header or in the form body', async () => {
      // Prepare
      const { account, tokens } = await signedIn(['openid']);

      // Act
      const withHeader = await endpoints.userinfo(tokens.access_token, { method: 'POST' });
      const withForm = await endpoints.postForm(endpoints.discovery.userinfo_endpoint, {
        access_token: tokens.access_token,
      });

      // Assess
      expect(withHeader.status).toBe(200);
      expect(withHeader.json).toEqual({ sub: account.subject });
      expect(withForm.status).toBe(200);
      expect(withForm.json).toEqual({ sub: account.subject });
    });

    it('refuses a token sent two ways at once', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid']);

      // Act
      const response = await endpoints.postForm(
        endpoints.discovery.userinfo_endpoint,
        { access_token: tokens.access_token },
        { authorization: `Bearer ${tokens.access_token}` },
      );

      // Assess
      const description = 'Send the access token one way only: the header or the form body.';
      expect(response.status).toBe(400);
      expect(response.json).toEqual({ error: 'invalid_request', error_description: description });
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="invalid_request", error_description="${description}"`,
      );
    });

    it('refuses a token in the query string', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid']);

      // Act
      const response = await fetch(
        `${endpoints.discovery.userinfo_endpoint}?access_token=${tokens.access_token}`,
      );

      // Assess
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: 'invalid_request',
        error_description: 'Send the access token in the Authorization header, not the query string.',
      });
    });

    it('answers a request without a token with a bare Bearer challenge', async () => {
      // Act
      const response = await endpoints.userinfo(undefined);

      // Assess
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(response.text).toBe('');
    });

    it('refuses an expired access token', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid']);
      endpoints.clock.advance(300 + 6);

      // Act
      const response = await endpoints.userinfo(tokens.access_token);

      // Assess
      const expected = invalidToken('The access token has expired.');
      expect(response.status).toBe(401);
      expect(response.json).toEqual(expected.body);
      expect(response.headers.get('www-authenticate')).toBe(expected.challenge);
    });

    it('refuses a tampered access token', async () => {
      // Prepare: the payload swapped for another patient's, the signature kept
      const { tokens } = await signedIn(['openid']);
      const other = await signedIn(['openid']);
      const [header, , signature] = tokens.access_token.split('.') as [string, string, string];
      const [, otherPayload] = other.tokens.access_token.split('.') as [string, string, string];

      // Act
      const response = await endpoints.userinfo(`${header}.${otherPayload}.${signature}`);

      // Assess
      const expected = invalidToken('The access token is invalid.');
      expect(response.status).toBe(401);
      expect(response.json).toEqual(expected.body);
      expect(response.headers.get('www-authenticate')).toBe(expected.challenge);
    });

    it('refuses an ID token presented as an access token', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid']);

      // Act
      const response = await endpoints.userinfo(tokens.id_token);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidToken('The access token is invalid.').body);
    });

    it('refuses an access token without the openid scope with insufficient_scope', async () => {
      // Prepare: a refresh narrowed to email alone gives an access token without openid
      const testClient = await endpoints.registerTestClient();
      const tokens = await endpoints.tokensFor(testClient, await endpoints.createAccount(), {
        scopes: ['openid', 'email'],
      });
      const narrowed = await endpoints.token(testClient, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token as string,
        scope: 'email',
      });

      // Act
      const response = await endpoints.userinfo(narrowed.json?.access_token as string);

      // Assess
      const description = 'The access token does not have the openid scope.';
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ error: 'insufficient_scope', error_description: description });
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="insufficient_scope", error_description="${description}", scope="openid"`,
      );
    });

    it('refuses the token of an account deleted since', async () => {
      // Prepare
      const { account, tokens } = await signedIn(['openid']);
      await endpoints.accounts.delete(account.accountId);

      // Act
      const response = await endpoints.userinfo(tokens.access_token);

      // Assess
      expect(response.status).toBe(401);
      expect(response.json).toEqual(invalidToken('The access token is invalid.').body);
    });
  });

  describe('PATCH client_user_metadata', () => {
    it('stores the metadata, returns it with the client_metadata scope, and clears it with an empty string', async () => {
      // Prepare
      const { account, tokens } = await signedIn(['openid', 'client_metadata']);

      // Act
      const set = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: 'linked:1234' });
      const afterSet = await endpoints.userinfo(tokens.access_token);
      const cleared = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: '' });
      const afterClear = await endpoints.userinfo(tokens.access_token);

      // Assess
      expect(set.status).toBe(204);
      expect(set.text).toBe('');
      expect(afterSet.json).toEqual({ sub: account.subject, client_user_metadata: 'linked:1234' });
      expect(cleared.status).toBe(204);
      expect(afterClear.json).toEqual({ sub: account.subject });
    });

    it('keeps each client’s metadata to that client', async () => {
      // Prepare
      const first = await endpoints.registerTestClient();
      const second = await endpoints.registerTestClient();
      const account = await endpoints.createAccount();
      const scopes = { scopes: ['openid', 'client_metadata'] } as const;
      const firstTokens = await endpoints.tokensFor(first, account, scopes);
      const secondTokens = await endpoints.tokensFor(second, account, scopes);
      await endpoints.patchMetadata(firstTokens.access_token, { client_user_metadata: 'first only' });

      // Act
      const seenBySecond = await endpoints.userinfo(secondTokens.access_token);

      // Assess: the second client has its own (generated) value, which only its key opens
      const generated = seenBySecond.json?.client_user_metadata as string;
      expect(generated).not.toBe('first only');
      expect(openedWith(second.privateKey, generated)).toMatch(/^\d+$/);
    });

    it('generates a value encrypted to the client’s key before any is written, and keeps it', async () => {
      // Prepare
      const { testClient, tokens } = await signedIn(['openid', 'client_metadata']);

      // Act
      const first = await endpoints.userinfo(tokens.access_token);
      const second = await endpoints.userinfo(tokens.access_token);

      // Assess
      const value = first.json?.client_user_metadata as string;
      expect(value).toMatch(/^[A-Za-z0-9_-]{342}$/);
      expect(openedWith(testClient.privateKey, value)).toMatch(/^\d{1,39}$/);
      expect(second.json?.client_user_metadata).toBe(value);
    });

    it('replaces the value with a new generated one on "auto"', async () => {
      // Prepare
      const { testClient, tokens } = await signedIn(['openid', 'client_metadata']);
      await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: 'linked:1234' });

      // Act
      const auto = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: 'auto' });
      const after = await endpoints.userinfo(tokens.access_token);

      // Assess
      expect(auto.status).toBe(204);
      const value = after.json?.client_user_metadata as string;
      expect(value).not.toBe('auto');
      expect(openedWith(testClient.privateKey, value)).toMatch(/^\d+$/);
    });

    it('accepts 1024 characters and refuses more', async () => {
      // Prepare
      const { account, tokens } = await signedIn(['openid', 'client_metadata']);
      const longest = '€'.repeat(1024);

      // Act
      const accepted = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: longest });
      const refused = await endpoints.patchMetadata(tokens.access_token, {
        client_user_metadata: `${longest}x`,
      });
      const stored = await endpoints.userinfo(tokens.access_token);

      // Assess
      expect(accepted.status).toBe(204);
      expect(refused.status).toBe(400);
      expect(refused.json).toEqual({
        error: 'invalid_request',
        error_description: 'client_user_metadata must be at most 1024 characters.',
      });
      expect(stored.json).toEqual({ sub: account.subject, client_user_metadata: longest });
    });

    it('refuses an access token without the client_metadata scope', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid', 'email']);

      // Act
      const response = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: 'x' });

      // Assess
      const description = 'The access token does not have the client_metadata scope.';
      expect(response.status).toBe(403);
      expect(response.json).toEqual({ error: 'insufficient_scope', error_description: description });
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer error="insufficient_scope", error_description="${description}", scope="client_metadata"`,
      );
    });

    it('refuses other fields, and a value that is not a string', async () => {
      // Prepare
      const { tokens } = await signedIn(['openid', 'client_metadata']);

      // Act
      const otherField = await endpoints.patchMetadata(tokens.access_token, {
        client_user_metadata: 'x',
        email: 'someone@example.test',
      });
      const notString = await endpoints.patchMetadata(tokens.access_token, { client_user_metadata: 42 });

      // Assess
      const refusal = {
        error: 'invalid_request',
        error_description: 'The body must be a JSON object with client_user_metadata, a string, only.',
      };
      expect(otherField.status).toBe(400);
      expect(otherField.json).toEqual(refusal);
      expect(notString.status).toBe(400);
      expect(notString.json).toEqual(refusal);
    });

    it('checks the token before the body, so a caller without one learns nothing of the body rules', async () => {
      // Act
      const response = await endpoints.userinfo(undefined, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'someone@example.test' }),
      });

      // Assess
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    });
  });
});

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION_TYPE } from '../../../src/domain/oidc/client-authentication.ts';
import { pageFunctionNames, routes } from '../../../src/routes.ts';
import { createAccount, firstLogin, PageClient } from '../../support/page-client.ts';
import { type OidcEndpoints, startOidcEndpoints } from '../oidc-endpoints/oidc-fixture.ts';

/**
 * Property tests over every parser a request meets: whatever a client sends, the answer is never
 * a 5xx. A fixed seed and a bounded number of runs keep them repeatable and quick.
 */
describe('no input gives a server error', () => {
  let endpoints: OidcEndpoints;
  let testClient: Awaited<ReturnType<OidcEndpoints['registerTestClient']>>;
  const runs = { seed: 20261201, numRuns: 40, endOnFailure: true };

  beforeAll(async () => {
    endpoints = await startOidcEndpoints();
    testClient = await endpoints.registerTestClient();
  });
  afterAll(() => endpoints?.stop());

  /** Strings a client might send: empty, ordinary, unicode and control characters, and long ones. */
  const value = fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.integer({ min: 2000, max: 12_000 }).map((length) => 'a'.repeat(length)),
    fc.constantFrom('openid', 'code', 'none', 'login', 'S256', '["P9.Cp.Cd"]', '[“P0.Cp.Cd”]', 'null', '{}'),
  );
  /** Parameters with the names the endpoints read, and a few they do not. */
  const parameters = (names: readonly string[]) =>
    fc.dictionary(fc.constantFrom(...names, 'extra', '__proto__', 'constructor'), value, { maxKeys: 8 });

  const authorizeNames = [
    'client_id',
    'redirect_uri',
    'response_type',
    'scope',
    'state',
    'nonce',
    'vtr',
    'prompt',
    'max_age',
    'code_challenge',
    'code_challenge_method',
    'asserted_login_identity',
    'allow_registration',
    'request',
    'response_mode',
  ];

  it('answers any /authorize query, with or without the real client and redirect_uri, below 500', async () => {
    await fc.assert(
      fc.asyncProperty(parameters(authorizeNames), fc.boolean(), async (params, realClient) => {
        const query = new URLSearchParams({
          ...(realClient
            ? { client_id: testClient.client.clientId, redirect_uri: testClient.redirectUri }
            : {}),
          ...params,
        });
        const response = await fetch(`${endpoints.issuer}/authorize?${query}`, { redirect: 'manual' });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      runs,
    );
  });

  it('answers any /token form, with or without a real client assertion, below 500', async () => {
    const names = [
      'grant_type',
      'code',
      'redirect_uri',
      'refresh_token',
      'code_verifier',
      'scope',
      'client_id',
    ];
    await fc.assert(
      fc.asyncProperty(parameters(names), fc.boolean(), async (form, realAssertion) => {
        const response = await endpoints.postForm(endpoints.discovery.token_endpoint, {
          client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
          ...(realAssertion ? { client_assertion: await endpoints.clientAssertion(testClient) } : {}),
          ...form,
        });
        expect(response.status).toBeLessThan(500);
      }),
      runs,
    );
  });

  it('answers any /userinfo request below 500', async () => {
    const header = fc.stringMatching(/^[\x20-\x7e]{0,200}$/);
    await fc.assert(
      fc.asyncProperty(header, fc.constantFrom('GET', 'POST'), value, async (authorization, method, body) => {
        const response = await fetch(endpoints.discovery.userinfo_endpoint, {
          method,
          headers: {
            authorization,
            ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
          },
          ...(method === 'POST' ? { body: new URLSearchParams({ access_token: body }) } : {}),
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      runs,
    );
  });

  it('answers any form posted to any hosted page, by a logged-in patient with the session’s CSRF token, below 500', async () => {
    // Prepare
    const patient = new PageClient(endpoints.issuer);
    await createAccount(patient, endpoints.outbox, 'fuzz@example.com', 'correct horse battery');
    await firstLogin(patient, endpoints.outbox, {
      email: 'fuzz@example.com',
      password: 'correct horse battery',
      phoneNumber: '07700 900123',
    });
    const posts = routes.filter(
      (route) => (pageFunctionNames as readonly string[]).includes(route.function) && route.method === 'POST',
    );
    const names = [
      'email',
      'password',
      'code',
      'phoneNumber',
      'token',
      'decision',
      'deviceId',
      'newPassword',
      'terms',
    ];

    // Act and Assess
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), parameters(names), async (route, form) => {
        await patient.get('/settings');
        const response = await patient.post(route.path, form);
        expect(response.status, `${route.path} ${JSON.stringify(Object.keys(form))}`).toBeLessThan(500);
      }),
      { ...runs, numRuns: 60 },
    );
  });
});

import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_BEARER_ASSERTION_TYPE } from '../../../src/domain/oidc/client-authentication.ts';
import { type OidcEndpoints, startOidcEndpoints } from '../oidc-endpoints/oidc-fixture.ts';

/** What a relying party gets wrong on purpose: every oversized value a 4xx with the error its protocol names. */
describe('oversized and malformed input', () => {
  let endpoints: OidcEndpoints;
  let testClient: Awaited<ReturnType<OidcEndpoints['registerTestClient']>>;
  const long = (length: number) => 'x'.repeat(length);

  beforeAll(async () => {
    endpoints = await startOidcEndpoints();
    testClient = await endpoints.registerTestClient();
  });
  afterAll(() => endpoints?.stop());

  const get = (path: string) => fetch(`${endpoints.issuer}${path}`, { redirect: 'manual' });
  const authorize = (overrides: Record<string, string>) =>
    get(
      `/authorize?${new URLSearchParams({
        client_id: testClient.client.clientId,
        redirect_uri: testClient.redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 'state-1',
        nonce: 'nonce-1',
        ...overrides,
      })}`,
    );

  it('shows the unknown-service page (CID1004) for a client_id over 255 characters on /authorize', async () => {
    // Act
    const response = await authorize({ client_id: long(3000) });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('CID1004');
  });

  it('shows the cannot-send-you-back page for a redirect_uri over 2048 characters', async () => {
    // Act
    const response = await authorize({ redirect_uri: `https://service.example.test/${long(3000)}` });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('We cannot send you back to the website or app');
  });

  it.each([
    ['state', 2049],
    ['nonce', 2049],
    ['scope', 1025],
    ['vtr', 1025],
    ['code_challenge', 129],
  ])('returns invalid_request to the relying party for a %s of %i characters', async (name, length) => {
    // Act
    const response = await authorize({ [name]: long(length) });

    // Assess
    expect(response.status).toBe(303);
    const answer = new URL(response.headers.get('location') ?? '').searchParams;
    expect(answer.get('error')).toBe('invalid_request');
    expect(answer.get('error_description')).toContain(`${name} is too long`);
  });

  it('accepts a state and nonce of 2048 characters, as NHS login lets relying parties route through state', async () => {
    // Act
    const response = await authorize({ state: long(2048), nonce: long(2048) });

    // Assess
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('answers a nonce of half a megabyte, posted as a form, with a 400 page, not a 500', async () => {
    // Act
    const response = await fetch(`${endpoints.issuer}/authorize`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: testClient.client.clientId,
        redirect_uri: testClient.redirectUri,
        response_type: 'code',
        scope: 'openid',
        state: 'state-1',
        nonce: long(500_000),
      }),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('nonce is too long');
  });

  it('answers /end-session with a client_id of 3000 characters with a page, not a 500', async () => {
    // Act
    const response = await get(
      `/end-session?client_id=${long(3000)}&post_logout_redirect_uri=${encodeURIComponent(testClient.redirectUri)}`,
    );

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('You have logged out');
  });

  it('refuses a client assertion whose iss is over 2048 characters with invalid_client', async () => {
    // Prepare
    const assertion = await endpoints.clientAssertion(testClient, {
      claims: { iss: long(2100), sub: long(2100) },
    });

    // Act
    const response = await endpoints.postForm(endpoints.discovery.token_endpoint, {
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: assertion,
      grant_type: 'authorization_code',
      code: 'any',
      redirect_uri: testClient.redirectUri,
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.json).toMatchObject({ error: 'invalid_client' });
  });

  it.each([
    ['client_assertion', 8193],
    ['code', 257],
    ['code_verifier', 129],
    ['redirect_uri', 2049],
  ])('refuses a token request with a %s of %i characters with invalid_request', async (name, length) => {
    // Act
    const response = await endpoints.postForm(endpoints.discovery.token_endpoint, {
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await endpoints.clientAssertion(testClient),
      grant_type: 'authorization_code',
      code: 'any',
      redirect_uri: testClient.redirectUri,
      [name]: long(length),
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: 'invalid_request',
      error_description: `${name} is too long: at most ${length - 1} characters.`,
    });
  });

  it('refuses an asserted_login_identity whose iss is 3000 characters without a 500', async () => {
    // Prepare
    const handOff = await new SignJWT({ iss: long(3000), code: 'x', jti: 'j' })
      .setProtectedHeader({ alg: 'RS512' })
      .setIssuedAt()
      .setExpirationTime('1 minute')
      .sign(testClient.privateKey);

    // Act
    const response = await authorize({ asserted_login_identity: handOff, prompt: 'none' });

    // Assess
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location') ?? '').searchParams.get('error')).toBe(
      'sso_login_required',
    );
  });

  it('refuses an access token of over 8192 characters at /userinfo with invalid_request', async () => {
    // Act
    const response = await endpoints.userinfo(long(9000));

    // Assess
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_request' });
  });
});

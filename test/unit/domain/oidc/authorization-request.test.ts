import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RelyingPartyClient } from '../../../../src/domain/clients/relying-party-client.ts';
import {
  type AuthorizationOutcome,
  type AuthorizationParameters,
  errorRedirect,
  validateAuthorizationRequest,
} from '../../../../src/domain/oidc/authorization-request.ts';

const REDIRECT_URI = 'https://app.example/callback';
const STATE = 'af0ifjsldkj';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
/** RFC 6749's charset for error_description. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]+$/;

const aClient = (overrides: Partial<RelyingPartyClient> = {}): RelyingPartyClient => ({
  clientId: 'gp-booking',
  name: 'Example GP Booking',
  redirectUris: [REDIRECT_URI, 'https://app.example/other'],
  publicKeys: [],
  scopes: ['openid', 'profile', 'basic_demographics', 'email', 'phone'],
  vectorsOfTrust: ['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'],
  allowRegistration: true,
  pkceRequired: false,
  refreshTokens: false,
  createdAt: '2025-03-04T05:06:07.000Z',
  ...overrides,
});

const validParams = (overrides: AuthorizationParameters = {}): AuthorizationParameters => ({
  client_id: 'gp-booking',
  redirect_uri: REDIRECT_URI,
  response_type: 'code',
  scope: 'openid profile',
  state: STATE,
  nonce: 'n-0S6_WzA2Mj',
  ...overrides,
});

/** A lookup over some clients that records the client_ids it was asked for. */
const lookupOf = (...clients: RelyingPartyClient[]) => {
  const asked: string[] = [];
  const lookup = async (clientId: string) => {
    asked.push(clientId);
    return clients.find((client) => client.clientId === clientId);
  };
  return Object.assign(lookup, { asked });
};

const validate = (overrides: AuthorizationParameters = {}, client: RelyingPartyClient = aClient()) =>
  validateAuthorizationRequest(validParams(overrides), lookupOf(client));

const expectRedirect = (outcome: AuthorizationOutcome, error: string) => {
  expect(outcome).toMatchObject({ kind: 'redirect', redirectUri: REDIRECT_URI, error, state: STATE });
  if (outcome.kind !== 'redirect') throw new Error('not a redirect');
  expect(outcome.description).toMatch(DESCRIPTION_CHARSET);
  return outcome;
};

const expectValid = (outcome: AuthorizationOutcome) => {
  if (outcome.kind !== 'valid') throw new Error(`expected a valid request, got ${JSON.stringify(outcome)}`);
  return outcome.request;
};

describe('validateAuthorizationRequest: a valid request', () => {
  it('gives the request with the default vtr, registration allowed and nothing optional', async () => {
    // Act
    const outcome = await validate();

    // Assess
    expect(outcome).toEqual({
      kind: 'valid',
      request: {
        clientId: 'gp-booking',
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'profile'],
        state: STATE,
        nonce: 'n-0S6_WzA2Mj',
        vtr: ['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'],
        allowRegistration: true,
      },
    });
  });

  it('gives every optional part when it is sent', async () => {
    // Act
    const outcome = await validate({
      prompt: 'login',
      vtr: '["P9.Cm"]',
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      allow_registration: 'false',
      asserted_login_identity: 'eyJhbGciOiJSUzUxMiJ9.e30.c2ln',
    });

    // Assess
    expect(expectValid(outcome)).toEqual({
      clientId: 'gp-booking',
      redirectUri: REDIRECT_URI,
      scopes: ['openid', 'profile'],
      state: STATE,
      nonce: 'n-0S6_WzA2Mj',
      vtr: ['P9.Cm'],
      prompt: 'login',
      codeChallenge: CHALLENGE,
      allowRegistration: false,
      assertedLoginIdentity: 'eyJhbGciOiJSUzUxMiJ9.e30.c2ln',
    });
  });

  it('accepts any of the client redirect URIs', async () => {
    // Act
    const outcome = await validate({ redirect_uri: 'https://app.example/other' });

    // Assess
    expect(expectValid(outcome).redirectUri).toBe('https://app.example/other');
  });

  it('ignores unknown parameters and NHS login extensions we do not support', async () => {
    // Act
    const outcome = await validate({ foo: 'bar', fido_auth_response: 'AAAA', claims: '{"userinfo":{}}' });

    // Assess
    expect(outcome.kind).toBe('valid');
  });

  it.each([
    ['display', 'page'],
    ['display', 'touch'],
    ['display', 'popup'],
    ['display', 'wap'],
    ['id_token_hint', 'eyJhbGciOiJSUzUxMiJ9.e30.c2ln'],
    ['login_hint', 'patient@example.com'],
    ['ui_locales', 'cy'],
    ['acr_values', 'AAL2_ANY'],
  ])('ignores %s=%s, a hint NHS login does not support', async (name, value) => {
    // Act
    const outcome = await validate({ [name]: value });

    // Assess
    expect(outcome.kind).toBe('valid');
  });

  it('treats empty parameters as absent (RFC 6749 §3.1)', async () => {
    // Act
    const outcome = await validate({
      prompt: '',
      vtr: '',
      response_mode: '',
      request: '',
      code_challenge_method: '',
      max_age: '',
    });

    // Assess
    expect(expectValid(outcome)).not.toHaveProperty('prompt');
  });

  it('accepts response_mode=query, the only mode', async () => {
    // Act
    const outcome = await validate({ response_mode: 'query' });

    // Assess
    expect(outcome.kind).toBe('valid');
  });

  it.each(['none', 'login'])('accepts prompt=%s', async (prompt) => {
    // Act
    const outcome = await validate({ prompt });

    // Assess
    expect(expectValid(outcome).prompt).toBe(prompt);
  });
});

describe('validateAuthorizationRequest: problems shown as a page, never redirected', () => {
  it('shows unknown-service without asking the store when there is no client_id', async () => {
    // Prepare
    const lookup = lookupOf(aClient());
    const { client_id: _ignored, ...params } = validParams();

    // Act
    const outcome = await validateAuthorizationRequest(params, lookup);

    // Assess
    expect(outcome).toEqual({ kind: 'page', problem: 'unknown-service', logDetail: 'no client_id' });
    expect(lookup.asked).toEqual([]);
  });

  it('shows unknown-service for an empty client_id', async () => {
    // Act
    const outcome = await validate({ client_id: '' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'page', problem: 'unknown-service' });
  });

  it('shows unknown-service for an unknown client, whatever else is wrong', async () => {
    // Act
    const outcome = await validate({
      client_id: 'not-registered',
      redirect_uri: 'https://attacker.example/',
      response_type: 'token',
      scope: undefined,
      state: undefined,
    });

    // Assess
    expect(outcome).toEqual({
      kind: 'page',
      problem: 'unknown-service',
      logDetail: 'the client_id is not registered',
    });
  });

  it('shows invalid-redirect when redirect_uri is missing, whatever else is wrong', async () => {
    // Act
    const outcome = await validate({ redirect_uri: undefined, response_type: 'token' });

    // Assess
    expect(outcome).toEqual({
      kind: 'page',
      problem: 'invalid-redirect',
      logDetail: 'no redirect_uri for client gp-booking',
    });
  });

  it.each([
    'https://attacker.example/callback',
    'https://app.example/callback/',
    'https://APP.example/callback',
    'https://app.example/Callback',
    'http://app.example/callback',
    'https://app.example:443/callback',
    'https://app.example/callback?next=/home',
    'https://app.example/callback#top',
    'https://app.example/callback%20',
    'https://app.example/',
    'https://app.example.evil.example/callback',
  ])(
    'shows invalid-redirect for %s, not exactly a registered URI, and never redirects to it',
    async (redirectUri) => {
      // Act
      const outcome = await validate({ redirect_uri: redirectUri, response_type: 'token' });

      // Assess
      expect(outcome).toEqual({
        kind: 'page',
        problem: 'invalid-redirect',
        logDetail: 'a redirect_uri not registered for client gp-booking',
      });
    },
  );

  it('shows invalid-redirect for a redirect URI registered for another client', async () => {
    // Prepare
    const other = aClient({ clientId: 'pharmacy', redirectUris: ['https://pharmacy.example/cb'] });
    const lookup = lookupOf(aClient(), other);

    // Act
    const outcome = await validateAuthorizationRequest(
      validParams({ redirect_uri: 'https://pharmacy.example/cb' }),
      lookup,
    );

    // Assess
    expect(outcome).toMatchObject({ kind: 'page', problem: 'invalid-redirect' });
  });
});

describe('validateAuthorizationRequest: errors redirected with the state', () => {
  it.each([
    ['response_type is missing', { response_type: undefined }, 'invalid_request'],
    ['response_type is token', { response_type: 'token' }, 'unsupported_response_type'],
    ['response_type is hybrid', { response_type: 'code id_token' }, 'unsupported_response_type'],
    ['response_type is in capitals', { response_type: 'CODE' }, 'unsupported_response_type'],
    ['a request object is sent', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    [
      'a request_uri is sent',
      { request_uri: 'https://app.example/request.jwt' },
      'request_uri_not_supported',
    ],
    [
      'registration is sent',
      { registration: '{"logo_uri":"https://app.example/logo.png"}' },
      'registration_not_supported',
    ],
    ['response_mode is fragment', { response_mode: 'fragment' }, 'invalid_request'],
    ['response_mode is form_post', { response_mode: 'form_post' }, 'invalid_request'],
    ['scope is missing', { scope: undefined }, 'invalid_request'],
    ['scope lacks openid', { scope: 'profile email' }, 'invalid_scope'],
    ['scope has OPENID in capitals', { scope: 'OPENID profile' }, 'invalid_scope'],
    ['scope is only spaces', { scope: '   ' }, 'invalid_scope'],
    ['scope has one we do not know', { scope: 'openid address' }, 'invalid_scope'],
    [
      'scope has one the client is not registered for',
      { scope: 'openid gp_integration_credentials' },
      'invalid_scope',
    ],
    [
      'scope has profile and basic_demographics',
      { scope: 'openid profile basic_demographics' },
      'invalid_scope',
    ],
    ['nonce is missing', { nonce: undefined }, 'invalid_request'],
    ['prompt is consent', { prompt: 'consent' }, 'invalid_request'],
    ['prompt is select_account', { prompt: 'select_account' }, 'invalid_request'],
    ['prompt combines none and login', { prompt: 'none login' }, 'invalid_request'],
    ['prompt is Login in capitals', { prompt: 'Login' }, 'invalid_request'],
    ['max_age is sent', { max_age: '3600' }, 'invalid_request'],
    ['max_age is 0', { max_age: '0' }, 'invalid_request'],
    ['vtr is not JSON', { vtr: 'P9.Cp.Cd' }, 'invalid_request'],
    ['vtr has a curly quote', { vtr: '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm”]' }, 'invalid_request'],
    ['vtr is empty', { vtr: '[]' }, 'invalid_request'],
    ['vtr has an unknown component', { vtr: '["P9.Ca.Cc"]' }, 'invalid_request'],
    ['vtr is not registered for the client', { vtr: '["P5.Cp.Cd"]' }, 'invalid_request'],
    [
      'code_challenge_method is plain',
      { code_challenge: CHALLENGE, code_challenge_method: 'plain' },
      'invalid_request',
    ],
  ])('refuses a request where %s', async (_case, overrides, error) => {
    // Act
    const outcome = await validate(overrides);

    // Assess
    expectRedirect(outcome, error);
  });

  it('redirects without a state when the state is missing', async () => {
    // Act
    const outcome = await validate({ state: undefined });

    // Assess
    expect(outcome).toEqual({
      kind: 'redirect',
      redirectUri: REDIRECT_URI,
      error: 'invalid_request',
      description: 'state is required: it comes back unchanged so the service can match the response',
    });
  });

  it('echoes the state exactly as sent', async () => {
    // Prepare
    const state = 'a b&c=d/é?#';

    // Act
    const outcome = await validate({ state, response_type: 'token' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'redirect', state });
  });

  it('says which scopes the client may not request, naming only plain values', async () => {
    // Act
    const outcome = await validate({ scope: 'openid address <script> gp_integration_credentials' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_scope').description).toBe(
      "scope asks for what this client is not registered for: 'address', 'gp_integration_credentials'",
    );
  });

  it('refuses scopes outside the client set rather than ignoring them as EIS §3.4.1 says', async () => {
    // Act
    const outcome = await validate({ scope: 'openid email landline' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_scope').description).toBe(
      "scope asks for what this client is not registered for: 'landline'",
    );
  });

  it('says which vectors the client is not registered for', async () => {
    // Act
    const outcome = await validate({ vtr: '["P9.Cm","P5.Cp.Cd","P0.Cp"]' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toBe(
      'vtr asks for P5.Cp.Cd, P0.Cp, which this client is not registered for',
    );
  });

  it('passes on the vtr problem for a curly quote', async () => {
    // Act
    const outcome = await validate({ vtr: '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm”]' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toContain(
      'typographic quote (U+201D, right double quotation mark)',
    );
  });
});

describe('validateAuthorizationRequest: the order of the checks', () => {
  // Each fault, in the order the checks run; every fault after the first is also present.
  const faults: readonly [string, AuthorizationParameters, string][] = [
    ['response_type', { response_type: 'token' }, 'unsupported_response_type'],
    ['request', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'],
    ['request_uri', { request_uri: 'https://app.example/r' }, 'request_uri_not_supported'],
    ['registration', { registration: '{}' }, 'registration_not_supported'],
    ['response_mode', { response_mode: 'fragment' }, 'invalid_request'],
    ['scope', { scope: 'openid address' }, 'invalid_scope'],
    ['nonce', { nonce: undefined }, 'invalid_request'],
    ['prompt', { prompt: 'consent' }, 'invalid_request'],
    ['max_age', { max_age: '60' }, 'invalid_request'],
    ['vtr', { vtr: '["P5.Cp.Cd"]' }, 'invalid_request'],
    [
      'code_challenge_method',
      { code_challenge: CHALLENGE, code_challenge_method: 'plain' },
      'invalid_request',
    ],
  ];

  it.each(faults.map((fault, index) => [fault[0], index] as const))(
    'reports %s before the faults checked after it',
    async (_name, index) => {
      // Prepare
      const overrides = Object.assign({}, ...faults.slice(index).map(([, fault]) => fault));

      // Act
      const outcome = await validate(overrides);

      // Assess
      const first = await validate(faults[index]?.[1]);
      expectRedirect(outcome, faults[index]?.[2] as string);
      expect(outcome).toEqual(first);
    },
  );

  it('checks the redirect_uri before anything it could carry', async () => {
    // Act
    const outcome = await validate({
      redirect_uri: 'https://attacker.example/',
      ...Object.assign({}, ...faults.map(([, fault]) => fault)),
    });

    // Assess
    expect(outcome).toMatchObject({ kind: 'page', problem: 'invalid-redirect' });
  });
});

describe('validateAuthorizationRequest: scopes', () => {
  it('keeps the scopes in the order asked, each once, with extra spaces ignored', async () => {
    // Act
    const outcome = await validate({ scope: 'email  openid email phone ' });

    // Assess
    expect(expectValid(outcome).scopes).toEqual(['email', 'openid', 'phone']);
  });

  it('accepts basic_demographics without profile', async () => {
    // Act
    const outcome = await validate({ scope: 'openid basic_demographics' });

    // Assess
    expect(expectValid(outcome).scopes).toEqual(['openid', 'basic_demographics']);
  });

  it('refuses a scope named like an object property', async () => {
    // Act
    const outcome = await validate({ scope: 'openid toString' });

    // Assess
    expectRedirect(outcome, 'invalid_scope');
  });
});

describe('validateAuthorizationRequest: vectors of trust', () => {
  it('narrows the default to the default vectors the client is registered for', async () => {
    // Prepare
    const client = aClient({ vectorsOfTrust: ['P5.Cp.Cd', 'P9.Cp.Cd'] });

    // Act
    const outcome = await validate({}, client);

    // Assess
    expect(expectValid(outcome).vtr).toEqual(['P9.Cp.Cd']);
  });

  it('refuses a request without vtr when the client is registered for no default vector', async () => {
    // Prepare
    const client = aClient({ vectorsOfTrust: ['P5.Cp.Cd', 'P5.Cm'] });

    // Act
    const outcome = await validate({}, client);

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toBe(
      'no vtr was sent, and this client is not registered for any default vector (P9.Cp.Cd, P9.Cp.Ck, P9.Cm): send a vtr',
    );
  });

  it('accepts a step-up vtr that is a part of the registered vectors', async () => {
    // Prepare
    const client = aClient({ vectorsOfTrust: ['P5.Cp.Cd', 'P5.Cm', 'P9.Cp.Cd', 'P9.Cm'] });

    // Act
    const outcome = await validate({ vtr: '["P9.Cp.Cd","P9.Cm"]' }, client);

    // Assess
    expect(expectValid(outcome).vtr).toEqual(['P9.Cp.Cd', 'P9.Cm']);
  });

  it('accepts a level alone when every vector at that level is registered', async () => {
    // Prepare
    const client = aClient({ vectorsOfTrust: ['P9.Cp', 'P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'] });

    // Act
    const outcome = await validate({ vtr: '["P9"]' }, client);

    // Assess
    expect(expectValid(outcome).vtr).toEqual(['P9']);
  });

  it('refuses a level alone when a vector at that level is not registered, and says why', async () => {
    // Act
    const outcome = await validate({ vtr: '["P9"]' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toBe(
      'vtr asks for P9, which this client is not registered for (a vector without a proofing level or without credentials stands for every value of that part)',
    );
  });
});

describe('validateAuthorizationRequest: PKCE', () => {
  it('accepts an S256 challenge', async () => {
    // Act
    const outcome = await validate({ code_challenge: CHALLENGE, code_challenge_method: 'S256' });

    // Assess
    expect(expectValid(outcome).codeChallenge).toBe(CHALLENGE);
  });

  it('accepts no challenge from a client that does not require PKCE', async () => {
    // Act
    const outcome = await validate();

    // Assess
    expect(expectValid(outcome)).not.toHaveProperty('codeChallenge');
  });

  it('refuses a request without a challenge from a client that requires PKCE', async () => {
    // Act
    const outcome = await validate({}, aClient({ pkceRequired: true }));

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toBe(
      'this client must use PKCE: send a code_challenge with code_challenge_method=S256',
    );
  });

  it('accepts a challenge from a client that requires PKCE', async () => {
    // Act
    const outcome = await validate(
      { code_challenge: CHALLENGE, code_challenge_method: 'S256' },
      aClient({ pkceRequired: true }),
    );

    // Assess
    expect(expectValid(outcome).codeChallenge).toBe(CHALLENGE);
  });

  it.each([
    [
      'a challenge without a method, which means plain',
      { code_challenge: CHALLENGE },
      'code_challenge_method is missing, which means plain: send code_challenge_method=S256',
    ],
    [
      'the plain method',
      { code_challenge: VERIFIER, code_challenge_method: 'plain' },
      'code_challenge_method must be S256 (plain is not accepted)',
    ],
    [
      'a method in lower case',
      { code_challenge: CHALLENGE, code_challenge_method: 's256' },
      'code_challenge_method must be S256',
    ],
    [
      'a method without a challenge',
      { code_challenge_method: 'S256' },
      'code_challenge_method was sent without a code_challenge',
    ],
  ])('refuses %s', async (_case, overrides, description) => {
    // Act
    const outcome = await validate(overrides);

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toBe(description);
  });

  it.each([
    ['42 characters', CHALLENGE.slice(0, 42)],
    ['44 characters', `${CHALLENGE}A`],
    ['128 characters', 'A'.repeat(128)],
    ['padding', `${CHALLENGE.slice(0, 42)}=`],
    ['base64 instead of base64url', `${CHALLENGE.slice(0, 42)}+`],
    ['a slash', `${CHALLENGE.slice(0, 42)}/`],
    ['a tilde, allowed in verifiers only', `${CHALLENGE.slice(0, 42)}~`],
    ['a space', `${CHALLENGE.slice(0, 42)} `],
  ])('refuses an S256 challenge with %s', async (_case, challenge) => {
    // Act
    const outcome = await validate({ code_challenge: challenge, code_challenge_method: 'S256' });

    // Assess
    expect(expectRedirect(outcome, 'invalid_request').description).toMatch(
      /^code_challenge must be the base64url SHA-256 of the code verifier/,
    );
  });
});

describe('validateAuthorizationRequest: allow_registration and asserted_login_identity', () => {
  it.each([
    ['false', true, false],
    ['true', true, true],
    ['FALSE', true, true],
    ['no', true, true],
    ['0', true, true],
    [undefined, true, true],
    ['true', false, false],
    [undefined, false, false],
  ])(
    'with allow_registration=%s and the client allowing it: %s, allows registration: %s',
    async (value, clientAllows, expected) => {
      // Act
      const outcome = await validate(
        { allow_registration: value },
        aClient({ allowRegistration: clientAllows }),
      );

      // Assess
      expect(expectValid(outcome).allowRegistration).toBe(expected);
    },
  );

  it('passes asserted_login_identity on unchecked, for the single sign-on check', async () => {
    // Act
    const outcome = await validate({ asserted_login_identity: 'not even a JWT' });

    // Assess
    expect(expectValid(outcome).assertedLoginIdentity).toBe('not even a JWT');
  });
});

/** Our issuer, as it goes into every authorization response (RFC 9207). */
const ISS = 'https://login.example';

describe('errorRedirect', () => {
  it('adds error, error_description, state and iss to the query, encoded', () => {
    // Act
    const url = errorRedirect(REDIRECT_URI, {
      error: 'invalid_request',
      description: 'nonce is required',
      state: 'a b&c=d/é',
      issuer: ISS,
    });

    // Assess
    const parsed = new URL(url);
    expect(parsed.origin + parsed.pathname).toBe(REDIRECT_URI);
    expect([...parsed.searchParams]).toEqual([
      ['error', 'invalid_request'],
      ['error_description', 'nonce is required'],
      ['state', 'a b&c=d/é'],
      ['iss', ISS],
    ]);
    expect(url).toBe(
      'https://app.example/callback?error=invalid_request&error_description=nonce+is+required&state=a+b%26c%3Dd%2F%C3%A9&iss=https%3A%2F%2Flogin.example',
    );
  });

  it('leaves out the state and description when there are none', () => {
    // Act
    const url = errorRedirect(REDIRECT_URI, { error: 'access_denied', issuer: ISS });

    // Assess
    expect(url).toBe('https://app.example/callback?error=access_denied&iss=https%3A%2F%2Flogin.example');
  });

  it('keeps a query the redirect URI has and drops any fragment', () => {
    // Act
    const url = errorRedirect('https://app.example/callback?tenant=north#section', {
      error: 'invalid_scope',
      state: 'xyz',
      issuer: ISS,
    });

    // Assess
    expect(url).toBe(
      'https://app.example/callback?tenant=north&error=invalid_scope&state=xyz&iss=https%3A%2F%2Flogin.example',
    );
  });

  it('replaces characters an error_description may not carry', () => {
    // Act
    const url = errorRedirect(REDIRECT_URI, {
      error: 'invalid_request',
      description: 'vtr has a ” and "quotes" and a \\ and é',
      issuer: ISS,
    });

    // Assess
    expect(new URL(url).searchParams.get('error_description')).toBe('vtr has a ? and ?quotes? and a ? and ?');
  });

  it('builds the redirect for a refused request from its outcome', async () => {
    // Prepare
    const outcome = await validate({ response_type: 'token' });
    if (outcome.kind !== 'redirect') throw new Error('not a redirect');

    // Act
    const url = errorRedirect(outcome.redirectUri, { ...outcome, issuer: ISS });

    // Assess
    expect(url).toBe(
      `${REDIRECT_URI}?error=unsupported_response_type&error_description=response_type+%27token%27+is+not+supported%3A+send+code&state=${STATE}&iss=https%3A%2F%2Flogin.example`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import type { InvalidClientRegistrationError } from '../../../../src/domain/clients/client-errors.ts';
import { registerClient } from '../../../../src/domain/clients/client-registration.ts';
import { rsaKeyPair } from './keys.ts';
import { fixedContext, problemsOf, refusal, validRequest } from './registration.ts';

const SUPPORTED_SCOPES =
  'basic_demographics, client_metadata, email, gp_integration_credentials, gp_registration_details, landline, nhs_app_credentials, openid, phone, profile, profile_extended';
const ALL_VECTORS =
  'P0.Cp, P0.Cp.Cd, P0.Cp.Ck, P0.Cm, P5.Cp, P5.Cp.Cd, P5.Cp.Ck, P5.Cm, P9.Cp, P9.Cp.Cd, P9.Cp.Ck, P9.Cm';

describe('registerClient: the client it builds', () => {
  it('applies the defaults: a new client id, registration allowed, PKCE optional, created now', async () => {
    // Prepare
    const request = validRequest();

    // Act
    const client = await registerClient(request, fixedContext);

    // Assess
    expect(client).toEqual({
      clientId: 'generated-client-id',
      name: 'Example GP Booking',
      redirectUris: ['https://app.example/callback'],
      postLogoutRedirectUris: [],
      publicKeys: [expect.objectContaining({ algorithms: ['RS512', 'RS256', 'PS256'] })],
      scopes: ['openid', 'profile'],
      vectorsOfTrust: ['P9.Cp.Cd'],
      allowRegistration: true,
      pkceRequired: false,
      refreshTokens: false,
      singleSignOnPartners: [],
      createdAt: '2025-03-04T05:06:07.000Z',
    });
  });

  it('keeps a given client id and the given flags', async () => {
    // Prepare
    const request = validRequest({
      clientId: 'gp-booking.v2_test',
      allowRegistration: false,
      pkceRequired: true,
    });

    // Act
    const client = await registerClient(request, fixedContext);

    // Assess
    expect(client).toMatchObject({
      clientId: 'gp-booking.v2_test',
      allowRegistration: false,
      pkceRequired: true,
    });
  });

  it('trims the name and lists each scope and vector once', async () => {
    // Prepare
    const request = validRequest({
      name: '  Example GP Booking  ',
      scopes: ['openid', 'email', 'openid'],
      vectorsOfTrust: ['P9.Cp.Cd', 'P5.Cp.Cd', 'P9.Cp.Cd'],
    });

    // Act
    const client = await registerClient(request, fixedContext);

    // Assess
    expect(client.name).toBe('Example GP Booking');
    expect(client.scopes).toEqual(['openid', 'email']);
    expect(client.vectorsOfTrust).toEqual(['P9.Cp.Cd', 'P5.Cp.Cd']);
  });

  it('accepts a name of exactly 100 characters', async () => {
    // Act
    const client = await registerClient(validRequest({ name: 'n'.repeat(100) }), fixedContext);

    // Assess
    expect(client.name).toHaveLength(100);
  });
});

describe('registerClient: redirect URIs', () => {
  it.each(['http://localhost:8080/cb', 'http://127.0.0.1/cb'])(
    'accepts http on a local host for development: %s',
    async (uri) => {
      // Act
      const client = await registerClient(validRequest({ redirectUris: [uri] }), fixedContext);

      // Assess
      expect(client.redirectUris).toEqual([uri]);
    },
  );

  it.each(['http://app.example/cb', 'http://localhost.evil.example/cb'])(
    'refuses http on a host that is not local: %s',
    async (uri) => {
      // Act
      const problems = await problemsOf(validRequest({ redirectUris: [uri] }));

      // Assess
      expect(problems).toEqual([
        `"${uri}" must use https (http is allowed only for localhost and 127.0.0.1).`,
      ]);
    },
  );

  it.each([
    [
      'a fragment',
      'https://app.example/cb#done',
      'has a fragment (#...), which redirect URIs must not have.',
    ],
    [
      'a query string',
      'https://app.example/cb?next=home',
      'has a query string; register the URI without it and route with the state parameter.',
    ],
    [
      'an empty query string',
      'https://app.example/cb?',
      'has a query string; register the URI without it and route with the state parameter.',
    ],
    ['a wildcard host', 'https://*.app.example/cb', 'contains a wildcard; register each exact URI instead.'],
    ['a wildcard path', 'https://app.example/*', 'contains a wildcard; register each exact URI instead.'],
    ['credentials', 'https://user:pass@app.example/cb', 'must not contain a user name or password.'],
  ])('refuses a redirect URI with %s', async (_label, uri, problem) => {
    // Act
    const problems = await problemsOf(validRequest({ redirectUris: [uri] }));

    // Assess
    expect(problems).toEqual([`"${uri}" ${problem}`]);
  });

  it('refuses a redirect URI that is not an absolute URL', async () => {
    // Act
    const problems = await problemsOf(validRequest({ redirectUris: ['app.example/cb'] }));

    // Assess
    expect(problems).toEqual([
      '"app.example/cb" is not an absolute URL (it needs a scheme and a host, e.g. https://app.example/callback).',
    ]);
  });

  it('refuses a client with no redirect URI', async () => {
    // Act
    const problems = await problemsOf(validRequest({ redirectUris: [] }));

    // Assess
    expect(problems).toEqual(['Give at least one redirect URI.']);
  });

  it('refuses more than ten redirect URIs', async () => {
    // Prepare
    const uris = Array.from({ length: 11 }, (_, index) => `https://app.example/cb/${index}`);

    // Act
    const problems = await problemsOf(validRequest({ redirectUris: uris }));

    // Assess
    expect(problems).toEqual([
      'A client may have at most 10 redirect URIs; use the state parameter to route beyond that.',
    ]);
  });

  it('accepts exactly ten redirect URIs', async () => {
    // Prepare
    const uris = Array.from({ length: 10 }, (_, index) => `https://app.example/cb/${index}`);

    // Act
    const client = await registerClient(validRequest({ redirectUris: uris }), fixedContext);

    // Assess
    expect(client.redirectUris).toEqual(uris);
  });

  it('refuses a redirect URI listed twice', async () => {
    // Act
    const problems = await problemsOf(
      validRequest({ redirectUris: ['https://app.example/cb', 'https://app.example/cb'] }),
    );

    // Assess
    expect(problems).toEqual(['A redirect URI is listed twice.']);
  });
});

describe('registerClient: scopes and vectors of trust', () => {
  it('keeps each single sign-on partner once', async () => {
    // Act
    const client = await registerClient(
      validRequest({ singleSignOnPartners: ['pharmacy-web', 'gp-web', 'pharmacy-web'] }),
      fixedContext,
    );

    // Assess
    expect(client.singleSignOnPartners).toEqual(['pharmacy-web', 'gp-web']);
  });

  it('refuses a single sign-on partner that is not a client_id', async () => {
    // Act
    const problems = await problemsOf(
      validRequest({ singleSignOnPartners: ['gp-web', 'no spaces allowed'] }),
    );

    // Assess
    expect(problems).toEqual([
      '"no spaces allowed" is not a client_id, so it cannot be a single sign-on partner.',
    ]);
  });

  it('refuses scopes without openid', async () => {
    // Act
    const problems = await problemsOf(validRequest({ scopes: ['profile', 'email'] }));

    // Assess
    expect(problems).toEqual(['The scopes must include openid.']);
  });

  it.each(['address', 'toString'])('refuses a scope we do not support: %s', async (scope) => {
    // Act
    const problems = await problemsOf(validRequest({ scopes: ['openid', scope] }));

    // Assess
    expect(problems).toEqual([`"${scope}" is not a scope we support (supported: ${SUPPORTED_SCOPES}).`]);
  });

  it('refuses a client with no vector of trust', async () => {
    // Act
    const problems = await problemsOf(validRequest({ vectorsOfTrust: [] }));

    // Assess
    expect(problems).toEqual([
      'Give at least one vector of trust the client may request (for example P9.Cp.Cd).',
    ]);
  });

  it('refuses a vector of trust that NHS login does not define', async () => {
    // Act
    const problems = await problemsOf(validRequest({ vectorsOfTrust: ['P9.Cp.Cd', 'P9.Cx'] }));

    // Assess
    expect(problems).toEqual([`"P9.Cx" is not a vector of trust (valid: ${ALL_VECTORS}).`]);
  });
});

describe('registerClient: client id and name', () => {
  it.each(['my client', 'ab', 'x'.repeat(65), ''])('refuses the client_id "%s"', async (clientId) => {
    // Act
    const problems = await problemsOf(validRequest({ clientId }));

    // Assess
    expect(problems).toEqual([
      'The client_id must be 3 to 64 characters: letters, digits, dots, hyphens or underscores.',
    ]);
  });

  it.each([
    ['empty', ''],
    ['blank', '   '],
    ['101 characters', 'n'.repeat(101)],
  ])('refuses a name that is %s', async (_label, name) => {
    // Act
    const problems = await problemsOf(validRequest({ name }));

    // Assess
    expect(problems).toEqual(['The name must be 1 to 100 characters (patients see it on the consent page).']);
  });
});

describe('registerClient: reporting', () => {
  it('reports every problem at once, in the order of the fields', async () => {
    // Prepare
    const request = validRequest({
      clientId: 'a b',
      name: '',
      redirectUris: ['http://app.example/cb'],
      publicKey: rsaKeyPair().privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      scopes: ['profile'],
      vectorsOfTrust: [],
    });

    // Act
    const error = await refusal(request);

    // Assess
    expect(error.problems).toEqual([
      'The client_id must be 3 to 64 characters: letters, digits, dots, hyphens or underscores.',
      'The name must be 1 to 100 characters (patients see it on the consent page).',
      '"http://app.example/cb" must use https (http is allowed only for localhost and 127.0.0.1).',
      'This is a private key, which must stay with the relying party. Give the public key instead: openssl pkey -in private.pem -pubout -out public.pem',
      'The scopes must include openid.',
      'Give at least one vector of trust the client may request (for example P9.Cp.Cd).',
    ]);
    for (const problem of error.problems) expect(error.message).toContain(`  - ${problem}`);
  });

  it('refuses with the invalid_client_metadata code and status 400', async () => {
    // Act
    const error = await refusal(validRequest({ scopes: [] }));

    // Assess
    expect({ code: error.code, status: error.status }).toEqual({
      code: 'invalid_client_metadata',
      status: 400,
    });
  });

  it('reports several problems of one redirect URI together', async () => {
    // Prepare
    const uri = 'http://user@app.example/cb?x=1#y';

    // Act
    const problems = await problemsOf(validRequest({ redirectUris: [uri] }));

    // Assess
    expect(problems).toEqual([
      `"${uri}" must use https (http is allowed only for localhost and 127.0.0.1).`,
      `"${uri}" has a fragment (#...), which redirect URIs must not have.`,
      `"${uri}" has a query string; register the URI without it and route with the state parameter.`,
      `"${uri}" must not contain a user name or password.`,
    ]);
  });
});

describe('registerClient: redirect URIs in their standard form', () => {
  it.each([
    [
      'a backslash that browsers read as a path',
      'https://evil.example\\@app.example/cb',
      'https://evil.example/@app.example/cb',
    ],
    ['an upper-case scheme and host', 'HTTPS://APP.EXAMPLE/cb', 'https://app.example/cb'],
    ['a default port', 'https://app.example:443/cb', 'https://app.example/cb'],
    ['a shortened IP address', 'http://127.1/cb', 'http://127.0.0.1/cb'],
    ['a look-alike Unicode host', 'https://аpp.example/cb', 'https://xn--pp-6kc.example/cb'],
    ['a trailing newline', 'https://app.example/cb\n', 'https://app.example/cb'],
  ])('refuses a URI with %s and names its standard form', async (_label, uri, canonical) => {
    // Act
    const problems = await problemsOf(validRequest({ redirectUris: [uri] }));

    // Assess
    expect(problems).toContain(
      `"${uri}" is not written in its standard form; register it exactly as "${canonical}".`,
    );
  });

  it('refuses a host ending in a dot', async () => {
    // Act
    const problems = await problemsOf(validRequest({ redirectUris: ['https://app.example./cb'] }));

    // Assess
    expect(problems).toEqual(['"https://app.example./cb" has a host ending in a dot; remove the dot.']);
  });

  it('refuses localhost redirect URIs where development URIs are not allowed', async () => {
    // Act
    const outcome = await registerClient(validRequest({ redirectUris: ['http://localhost:3001/callback'] }), {
      ...fixedContext,
      allowLocalRedirects: false,
    }).catch((error: unknown) => error);

    // Assess
    expect((outcome as InvalidClientRegistrationError).problems).toEqual([
      '"http://localhost:3001/callback" must use https.',
    ]);
  });
});

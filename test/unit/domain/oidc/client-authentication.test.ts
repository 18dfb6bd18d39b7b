import { describe, expect, it } from 'vitest';
import type { RelyingPartyClient } from '../../../../src/domain/clients/relying-party-client.ts';
import { ServiceUnavailableError } from '../../../../src/domain/errors.ts';
import type { AssertionReplayStore } from '../../../../src/domain/oidc/assertion-replay.ts';
import {
  authenticateClient,
  type ClientAuthenticationContext,
  type ClientAuthenticationForm,
  type ClientAuthenticationHeaders,
  InvalidClientError,
} from '../../../../src/domain/oidc/client-authentication.ts';
import {
  assertionClaims,
  ecKeyPair,
  InMemoryAssertionReplayStore,
  ISSUER,
  JWT_BEARER,
  NOW,
  nowSeconds,
  registeredClient,
  rsaKeyPair,
  signAssertion,
  TOKEN_ENDPOINT,
  unsecuredAssertion,
} from '../../../support/client-assertions.ts';

const rsa = rsaKeyPair();
const secondRsa = rsaKeyPair();
const ec = ecKeyPair();
const stranger = rsaKeyPair();
const rs512Only = rsaKeyPair();

/** service-a has two RSA keys and an EC key; strict-service's one key declares `alg: RS512`. */
const clients: readonly RelyingPartyClient[] = await Promise.all([
  registeredClient('service-a', [
    { publicKey: rsa.publicKey, kid: 'rsa-1' },
    { publicKey: secondRsa.publicKey, kid: 'rsa-2' },
    { publicKey: ec.publicKey, kid: 'ec-1' },
  ]),
  registeredClient('service-b', [{ publicKey: rsa.publicKey, kid: 'rsa-1' }]),
  registeredClient('strict-service', [{ publicKey: rs512Only.publicKey, kid: 'strict', alg: 'RS512' }]),
]);

const setup = (replayStore?: AssertionReplayStore) => {
  const store = new InMemoryAssertionReplayStore(() => NOW);
  const context: ClientAuthenticationContext = {
    clients: { find: async (clientId) => clients.find((client) => client.clientId === clientId) },
    tokenEndpoint: TOKEN_ENDPOINT,
    issuer: ISSUER,
    replayStore: replayStore ?? store,
    clock: () => NOW,
    maxAssertionLifetimeSeconds: 300,
  };
  return { context, store };
};

const form = (assertion: string, fields: Record<string, unknown> = {}): ClientAuthenticationForm => ({
  client_assertion_type: JWT_BEARER,
  client_assertion: assertion,
  ...fields,
});

/** A good RS512 assertion of service-a, with `overrides` applied to its claims. */
const goodAssertion = (overrides: Record<string, unknown> = {}) =>
  signAssertion(assertionClaims('service-a', overrides), rsa.privateKey, { alg: 'RS512', kid: 'rsa-1' });

const refusal = (attempt: Promise<unknown>): Promise<unknown> =>
  attempt.then(
    () => {
      throw new Error('The client was authenticated');
    },
    (error: unknown) => error,
  );

interface Rejection {
  readonly name: string;
  readonly request: () => Promise<{ form: ClientAuthenticationForm; headers?: ClientAuthenticationHeaders }>;
  readonly logDetail: string;
}

const rejections: readonly Rejection[] = [
  {
    name: 'a client_assertion_type other than jwt-bearer',
    request: async () => ({
      form: form(await goodAssertion(), {
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer',
      }),
    }),
    logDetail: 'client_assertion_type is not jwt-bearer',
  },
  {
    name: 'a request with no client authentication (method none)',
    request: async () => ({ form: { client_id: 'service-a' } }),
    logDetail: 'client_assertion_type is not jwt-bearer',
  },
  {
    name: 'a missing client_assertion',
    request: async () => ({ form: { client_assertion_type: JWT_BEARER, client_id: 'service-a' } }),
    logDetail: 'client_assertion missing',
  },
  {
    name: 'a client_assertion sent twice',
    request: async () => {
      const assertion = await goodAssertion();
      return { form: form(assertion, { client_assertion: [assertion, assertion] }) };
    },
    logDetail: 'client_assertion missing',
  },
  {
    name: 'client_secret_post alongside an assertion',
    request: async () => ({ form: form(await goodAssertion(), { client_secret: 'secret' }) }),
    logDetail: 'client_secret sent; only private_key_jwt is accepted',
  },
  {
    name: 'HTTP Basic client authentication',
    request: async () => ({
      form: form(await goodAssertion()),
      headers: { authorization: `Basic ${btoa('service-a:secret')}` },
    }),
    logDetail: 'Authorization header sent; only private_key_jwt is accepted',
  },
  {
    name: 'a client_assertion that is not a JWT',
    request: async () => ({ form: form('not-a-jwt') }),
    logDetail: 'not a compact JWS JWT',
  },
  {
    name: 'a client_assertion with five parts (a JWE)',
    request: async () => ({ form: form('eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d') }),
    logDetail: 'not a compact JWS JWT',
  },
  {
    name: 'an unsecured assertion (alg none)',
    request: async () => ({ form: form(unsecuredAssertion(assertionClaims('service-a'))) }),
    logDetail: 'header alg is not an accepted client assertion algorithm',
  },
  {
    name: "HS256 with the client's public key as the secret",
    request: async () => {
      const secret = new TextEncoder().encode(
        rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      );
      return {
        form: form(await signAssertion(assertionClaims('service-a'), secret, { alg: 'HS256', kid: 'rsa-1' })),
      };
    },
    logDetail: 'header alg is not an accepted client assertion algorithm',
  },
  {
    name: 'an alg the key named by kid does not allow',
    request: async () => ({
      form: form(
        await signAssertion(assertionClaims('strict-service'), rs512Only.privateKey, {
          alg: 'RS256',
          kid: 'strict',
        }),
      ),
    }),
    logDetail: 'the key named by kid does not allow the header alg',
  },
  {
    name: 'an alg no key of the client allows',
    request: async () => ({
      form: form(
        await signAssertion(assertionClaims('strict-service'), rs512Only.privateKey, { alg: 'PS256' }),
      ),
    }),
    logDetail: 'no key of the client allows the header alg',
  },
  {
    name: 'ES256 signed by an RSA-only client',
    request: async () => ({
      form: form(await signAssertion(assertionClaims('service-b'), ec.privateKey, { alg: 'ES256' })),
    }),
    logDetail: 'no key of the client allows the header alg',
  },
  {
    name: 'a kid that names no key of the client',
    request: async () => ({
      form: form(
        await signAssertion(assertionClaims('service-a'), rsa.privateKey, { alg: 'RS512', kid: 'retired' }),
      ),
    }),
    logDetail: 'kid names no key of the client',
  },
  {
    name: "a signature by another key under the client's kid",
    request: async () => ({
      form: form(
        await signAssertion(assertionClaims('service-a'), stranger.privateKey, {
          alg: 'RS512',
          kid: 'rsa-1',
        }),
      ),
    }),
    logDetail: 'signature verifies with no key of the client',
  },
  {
    name: 'a signature by another key, with no kid',
    request: async () => ({
      form: form(await signAssertion(assertionClaims('service-a'), stranger.privateKey, { alg: 'RS512' })),
    }),
    logDetail: 'signature verifies with no key of the client',
  },
  {
    name: 'a sub different from iss',
    request: async () => ({ form: form(await goodAssertion({ sub: 'service-b' })) }),
    logDetail: 'sub differs from iss',
  },
  {
    name: 'a missing iss',
    request: async () => ({ form: form(await goodAssertion({ iss: undefined })) }),
    logDetail: 'iss missing',
  },
  {
    name: 'an iss that is no registered client',
    request: async () => ({
      form: form(
        await signAssertion(assertionClaims('no-such-service'), rsa.privateKey, {
          alg: 'RS512',
          kid: 'rsa-1',
        }),
      ),
    }),
    logDetail: 'iss is not a registered client',
  },
  {
    name: "a client_id other than the assertion's iss",
    request: async () => ({ form: form(await goodAssertion(), { client_id: 'service-b' }) }),
    logDetail: 'client_id differs from iss',
  },
  {
    name: 'an aud that is neither the token endpoint nor the issuer',
    request: async () => ({
      form: form(await goodAssertion({ aud: 'https://elsewhere.example.test/token' })),
    }),
    logDetail: 'aud wrong',
  },
  {
    name: 'an aud array that names neither the token endpoint nor the issuer',
    request: async () => ({
      form: form(await goodAssertion({ aud: [`${TOKEN_ENDPOINT}/`, 'https://elsewhere.example.test'] })),
    }),
    logDetail: 'aud wrong',
  },
  {
    name: 'a missing aud',
    request: async () => ({ form: form(await goodAssertion({ aud: undefined })) }),
    logDetail: 'aud missing',
  },
  {
    name: 'a missing exp',
    request: async () => ({ form: form(await goodAssertion({ exp: undefined })) }),
    logDetail: 'exp missing',
  },
  {
    name: 'an exp that is not a number',
    request: async () => ({ form: form(await goodAssertion({ exp: NOW.toISOString() })) }),
    logDetail: 'exp not valid',
  },
  {
    name: 'an exp further in the past than the 30 s clock skew',
    request: async () => ({
      form: form(await goodAssertion({ exp: nowSeconds - 31, iat: nowSeconds - 90 })),
    }),
    logDetail: 'exp is in the past',
  },
  {
    name: 'an exp more than the configured lifetime and the 30 s clock skew away',
    request: async () => ({ form: form(await goodAssertion({ exp: nowSeconds + 331 })) }),
    logDetail: 'exp more than clientAssertionLifetimeSeconds (300 s) ahead',
  },
  {
    name: 'an iat further in the future than the 30 s clock skew',
    request: async () => ({ form: form(await goodAssertion({ iat: nowSeconds + 31 })) }),
    logDetail: 'iat in the future',
  },
  {
    name: 'an nbf further in the future than the 30 s clock skew',
    request: async () => ({ form: form(await goodAssertion({ nbf: nowSeconds + 31 })) }),
    logDetail: 'nbf wrong',
  },
  {
    name: 'a missing jti',
    request: async () => ({ form: form(await goodAssertion({ jti: undefined })) }),
    logDetail: 'jti missing',
  },
  {
    name: 'an empty jti',
    request: async () => ({ form: form(await goodAssertion({ jti: '' })) }),
    logDetail: 'jti not a non-empty string',
  },
];

describe('authenticateClient: accepted assertions', () => {
  it('accepts a good RS512 assertion, returns the client and claims its jti until exp plus the skew', async () => {
    // Prepare
    const { context, store } = setup();
    const claims = assertionClaims('service-a');
    const assertion = await signAssertion(claims, rsa.privateKey, { alg: 'RS512', kid: 'rsa-1' });

    // Act
    const client = await authenticateClient(form(assertion), context);

    // Assess
    expect(client.clientId).toBe('service-a');
    expect(store.claims.get(JSON.stringify(['service-a', claims.jti]))).toEqual(
      new Date(((claims.exp as number) + 30) * 1000),
    );
  });

  it.each([
    { alg: 'RS256', keyPair: rsa, kid: 'rsa-1' },
    { alg: 'PS256', keyPair: rsa, kid: 'rsa-1' },
    { alg: 'ES256', keyPair: ec, kid: 'ec-1' },
  ])('accepts $alg when the client key allows it', async ({ alg, keyPair, kid }) => {
    // Prepare
    const { context } = setup();
    const assertion = await signAssertion(assertionClaims('service-a'), keyPair.privateKey, { alg, kid });

    // Act
    const client = await authenticateClient(form(assertion), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it('tries each key that allows the alg when the header names no kid', async () => {
    // Prepare
    const { context } = setup();
    const assertion = await signAssertion(assertionClaims('service-a'), secondRsa.privateKey, {
      alg: 'RS512',
    });

    // Act
    const client = await authenticateClient(form(assertion), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it.each([
    { name: 'the issuer', aud: ISSUER },
    { name: 'an array holding the token endpoint', aud: ['https://elsewhere.example.test', TOKEN_ENDPOINT] },
    { name: 'an array holding the issuer', aud: [ISSUER] },
  ])('accepts $name as the audience', async ({ aud }) => {
    // Prepare
    const { context } = setup();

    // Act
    const client = await authenticateClient(form(await goodAssertion({ aud })), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it('accepts a client_id equal to the assertion iss', async () => {
    // Prepare
    const { context } = setup();

    // Act
    const client = await authenticateClient(form(await goodAssertion(), { client_id: 'service-a' }), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it('accepts an exp up to the 30 s clock skew in the past, and remembers the jti for the rest of it', async () => {
    // Prepare
    const { context, store } = setup();
    const jti = 'slow-clock';
    const assertion = await goodAssertion({ exp: nowSeconds - 29, iat: nowSeconds - 60, jti });

    // Act
    const client = await authenticateClient(form(assertion), context);

    // Assess
    expect(client.clientId).toBe('service-a');
    expect(store.claims.get(JSON.stringify(['service-a', jti]))).toEqual(new Date((nowSeconds + 1) * 1000));
  });

  it('accepts an exp exactly 5 minutes and the 30 s clock skew away, and an iat 30 s ahead', async () => {
    // Prepare
    const { context } = setup();
    const assertion = await goodAssertion({ exp: nowSeconds + 330, iat: nowSeconds + 30 });

    // Act
    const client = await authenticateClient(form(assertion), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it('accepts an assertion without iat', async () => {
    // Prepare
    const { context } = setup();

    // Act
    const client = await authenticateClient(form(await goodAssertion({ iat: undefined })), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });
});

describe('authenticateClient: refused assertions', () => {
  it.each(rejections)(
    'refuses $name as invalid_client, naming the check only in logDetail',
    async (rejection) => {
      // Prepare
      const { context, store } = setup();
      const { form: fields, headers } = await rejection.request();

      // Act
      const error = await refusal(authenticateClient(fields, context, headers));

      // Assess
      expect(error).toBeInstanceOf(InvalidClientError);
      expect(error).toMatchObject({
        code: 'invalid_client',
        status: 401,
        description: 'Client authentication failed',
        message: 'Client authentication failed',
        logDetail: rejection.logDetail,
      });
      expect(store.claims.size).toBe(0);
    },
  );

  it('refuses a replayed assertion', async () => {
    // Prepare
    const { context } = setup();
    const assertion = await goodAssertion();
    await authenticateClient(form(assertion), context);

    // Act
    const error = await refusal(authenticateClient(form(assertion), context));

    // Assess
    expect(error).toBeInstanceOf(InvalidClientError);
    expect(error).toMatchObject({ description: 'Client authentication failed', logDetail: 'jti replayed' });
  });

  it('refuses a new assertion that reuses a jti the client has used', async () => {
    // Prepare
    const { context } = setup();
    await authenticateClient(form(await goodAssertion({ jti: 'reused' })), context);
    const second = await goodAssertion({ jti: 'reused', exp: nowSeconds + 120 });

    // Act
    const error = await refusal(authenticateClient(form(second), context));

    // Assess
    expect(error).toMatchObject({ code: 'invalid_client', logDetail: 'jti replayed' });
  });

  it('accepts the same jti from a different client', async () => {
    // Prepare
    const { context } = setup();
    await authenticateClient(form(await goodAssertion({ jti: 'shared' })), context);
    const other = await signAssertion(assertionClaims('service-b', { jti: 'shared' }), rsa.privateKey, {
      alg: 'RS512',
      kid: 'rsa-1',
    });

    // Act
    const client = await authenticateClient(form(other), context);

    // Assess
    expect(client.clientId).toBe('service-b');
  });

  it('does not use up the jti of an assertion refused for another reason', async () => {
    // Prepare
    const { context } = setup();
    const wrongAudience = await goodAssertion({ jti: 'kept', aud: 'https://elsewhere.example.test' });
    await refusal(authenticateClient(form(wrongAudience), context));

    // Act
    const client = await authenticateClient(form(await goodAssertion({ jti: 'kept' })), context);

    // Assess
    expect(client.clientId).toBe('service-a');
  });

  it('tells the client the same thing whichever check failed, and logs no token content', async () => {
    // Prepare
    const { context } = setup();
    const requests = await Promise.all(rejections.map((rejection) => rejection.request()));

    // Act
    const errors = (await Promise.all(
      requests.map(({ form: fields, headers }) => refusal(authenticateClient(fields, context, headers))),
    )) as InvalidClientError[];

    // Assess
    expect(new Set(errors.map((error) => `${error.code} ${error.status} ${error.description}`))).toEqual(
      new Set(['invalid_client 401 Client authentication failed']),
    );
    expect(new Set(errors.map((error) => error.logDetail)).size).toBeGreaterThan(20);
    for (const [index, error] of errors.entries()) {
      const assertion = requests[index]?.form.client_assertion;
      const parts =
        typeof assertion === 'string' ? assertion.split('.').filter((part) => part.length > 8) : [];
      for (const part of parts) expect(error.logDetail).not.toContain(part);
      expect(error.cause).toBeUndefined();
    }
  });

  it('passes a replay store failure on rather than calling it invalid_client', async () => {
    // Prepare
    const failing: AssertionReplayStore = {
      claim: async () => {
        throw new ServiceUnavailableError('The store is busy; try again.');
      },
    };
    const { context } = setup(failing);

    // Act
    const error = await refusal(authenticateClient(form(await goodAssertion()), context));

    // Assess
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });
});

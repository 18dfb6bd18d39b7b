import { generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { createLocalJWKSet, type JSONWebKeySet, type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import type { Account } from '../../../src/domain/accounts/account.ts';
import { registerClient } from '../../../src/domain/clients/client-registration.ts';
import type { RelyingPartyClient } from '../../../src/domain/clients/relying-party-client.ts';
import { epochSeconds } from '../../../src/domain/clock.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../../../src/domain/oidc/client-authentication.ts';
import { s256CodeChallenge } from '../../../src/domain/oidc/grants/pkce.ts';
import type { Scope } from '../../../src/domain/oidc/scopes.ts';
import type { VectorOfTrust } from '../../../src/domain/oidc/vectors-of-trust.ts';
import { createDevServer } from '../../../src/local/dev-server.ts';
import { findFreePort } from '../../../src/local/free-port.ts';
import { createLocalHandlers } from '../../../src/local/local-handlers.ts';
import { createOidcServices } from '../../../src/wiring/oidc-services.ts';
import { createLocalDependencies } from '../../support/local-dependencies.ts';
import { movableClock } from '../../support/page-client.ts';
import { startPdsSandbox } from '../../support/pds-sandbox-server.ts';

/**
 * The token and UserInfo endpoints on a real dev server (the local composition root, DynamoDB
 * Local), with what the /authorize side would have made set up directly: a client registered
 * with a key made here, an account, and codes issued with AuthorizationCodes.
 */

export interface TestClient {
  readonly client: RelyingPartyClient;
  readonly privateKey: KeyObject;
  readonly redirectUri: string;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON, or undefined when it is empty. */
  readonly json: Record<string, unknown> | undefined;
}

const read = async (response: Response): Promise<HttpResult> => {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>),
  };
};

/** A successful authorization_code token response. */
export interface TokenSet {
  readonly access_token: string;
  readonly token_type: string;
  readonly expires_in: number;
  readonly id_token: string;
  readonly refresh_token?: string;
  readonly scope: string;
}

/** How the login behind a code went: one minute ago, with password and texted code, unless given. */
interface CodeOptions {
  readonly scopes?: readonly Scope[];
  readonly codeVerifier?: string;
  readonly nonce?: string;
  readonly vot?: VectorOfTrust;
  /** Epoch seconds. */
  readonly authTime?: number;
}

export const rsaKeyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });

export const startOidcEndpoints = async () => {
  const clock = movableClock(new Date('2026-11-22T10:00:00Z'));
  // The issuer names the port, so the port is chosen before the handlers are built (as `npm start` does).
  const port = await findFreePort();
  const issuer = `http://127.0.0.1:${port}`;
  const pds = await startPdsSandbox(clock);
  const dependencies = {
    ...(await createLocalDependencies({ issuer, clock })),
    demographics: pds.demographics,
    gp: pds.gp,
  };
  const server = createDevServer({ handlers: createLocalHandlers(dependencies) });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const oidc = createOidcServices(dependencies);
  const accounts = new DynamoAccountStore(dependencies.table);
  const clients = new DynamoClientStore(dependencies.table);
  const audit = new DynamoAuditLog(dependencies.table);
  /** The account's audit events, oldest first, as type and detail. */
  const auditTrail = async (accountId: string) =>
    (await audit.recent(accountId, 50)).reverse().map(({ type, detail }) => ({ type, detail }));

  // What a relying party reads first: every URL below comes from discovery.
  const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as {
    token_endpoint: string;
    userinfo_endpoint: string;
    jwks_uri: string;
  };

  const registerTestClient = async (
    options: {
      scopes?: readonly Scope[];
      refreshTokens?: boolean;
      singleSignOnPartners?: readonly string[];
    } = {},
  ): Promise<TestClient> => {
    const { publicKey, privateKey } = rsaKeyPair();
    const redirectUri = 'https://service.example.test/callback';
    const client = await registerClient(
      {
        name: 'Test service',
        redirectUris: [redirectUri],
        publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        scopes: options.scopes ?? ['openid', 'profile', 'email', 'phone', 'client_metadata'],
        vectorsOfTrust: ['P0.Cp.Cd', 'P9.Cp.Cd'],
        refreshTokens: options.refreshTokens ?? true,
        singleSignOnPartners: options.singleSignOnPartners ?? [],
      },
      { newClientId: () => `client-${randomUUID()}`, now: clock },
    );
    await clients.create(client);
    return { client, privateKey, redirectUri };
  };

  const createAccount = async (overrides: Partial<Account> = {}): Promise<Account> => {
    const id = randomUUID();
    const account: Account = {
      accountId: id,
      subject: randomUUID(),
      email: `patient-${id}@example.test`,
      passwordHash: 'not-used-here',
      phoneNumber: '+447700900123',
      proofingLevel: 'P0',
      createdAt: clock().toISOString(),
      ...overrides,
    };
    await accounts.create(account);
    return account;
  };

  /** A code as /authorize would issue it after the patient logged in a minute ago. */
  const issueCode = (testClient: TestClient, account: Account, options: CodeOptions = {}) =>
    oidc.authorizationCodes.issue({
      grantId: randomUUID(),
      clientId: testClient.client.clientId,
      accountId: account.accountId,
      scopes: options.scopes ?? ['openid', 'email', 'phone'],
      vot: options.vot ?? 'P0.Cp.Cd',
      authTime: options.authTime ?? epochSeconds(clock()) - 60,
      sessionGeneration: account.sessionGeneration ?? 0,
      redirectUri: testClient.redirectUri,
      nonce: options.nonce ?? 'nonce-1',
      codeChallenge: options.codeVerifier ? s256CodeChallenge(options.codeVerifier) : undefined,
    });

  /** A private_key_jwt assertion (RS512, as NHS login's clients sign), one minute from expiry. */
  const clientAssertion = (
    testClient: TestClient,
    options: { claims?: JWTPayload; key?: KeyObject; alg?: string } = {},
  ): Promise<string> => {
    const clientId = testClient.client.clientId;
    const now = epochSeconds(clock());
    return new SignJWT({
      iss: clientId,
      sub: clientId,
      aud: discovery.token_endpoint,
      iat: now,
      exp: now + 60,
      jti: randomUUID(),
      ...options.claims,
    })
      .setProtectedHeader({ alg: options.alg ?? 'RS512', typ: 'JWT' })
      .sign(options.key ?? testClient.privateKey);
  };

  const postForm = async (
    url: string,
    form: Record<string, string> | URLSearchParams,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> =>
    read(
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(form),
      }),
    );

  /** A token request authenticated with a fresh assertion of the client. */
  const token = async (testClient: TestClient, form: Record<string, string>): Promise<HttpResult> =>
    postForm(discovery.token_endpoint, {
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await clientAssertion(testClient),
      ...form,
    });

  /** Redeems a new code for the client and account: the token response's body. */
  const tokensFor = async (
    testClient: TestClient,
    account: Account,
    options: CodeOptions = {},
  ): Promise<TokenSet> => {
    const code = await issueCode(testClient, account, options);
    const response = await token(testClient, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: testClient.redirectUri,
    });
    if (response.status !== 200) throw new Error(`Token request failed: ${response.text}`);
    return response.json as unknown as TokenSet;
  };

  const userinfo = async (
    accessToken: string | undefined,
    init: { method?: string; body?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult> =>
    read(
      await fetch(discovery.userinfo_endpoint, {
        method: init.method ?? 'GET',
        headers: {
          ...(accessToken !== undefined ? { authorization: `Bearer ${accessToken}` } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
      }),
    );

  const patchMetadata = (accessToken: string, body: unknown): Promise<HttpResult> =>
    userinfo(accessToken, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** Verifies a token we issued as a relying party would: against the JWKS the server serves. */
  const verifyWithServedJwks = async (jwt: string, audience: string) => {
    const jwks = (await (await fetch(discovery.jwks_uri)).json()) as JSONWebKeySet;
    return jwtVerify(jwt, createLocalJWKSet(jwks), {
      issuer,
      audience,
      algorithms: ['RS512'],
      currentDate: clock(),
    });
  };

  return {
    issuer,
    clock,
    outbox: dependencies.outbox,
    /** The services behind the endpoints, on the same table, for what a test must set up directly. */
    services: oidc,
    discovery,
    accounts,
    auditTrail,
    registerTestClient,
    createAccount,
    issueCode,
    clientAssertion,
    postForm,
    token,
    tokensFor,
    userinfo,
    patchMetadata,
    verifyWithServedJwks,
    /** The PDS sandbox the identity pages check NHS numbers with. */
    pds: pds.sandbox,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await pds.stop();
    },
  };
};

export type OidcEndpoints = Awaited<ReturnType<typeof startOidcEndpoints>>;

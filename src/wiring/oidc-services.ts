import { DynamoAccountStore } from '../adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAssertionReplayStore } from '../adapters/dynamodb/dynamo-assertion-replay-store.ts';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoAuthorizationCodeStore } from '../adapters/dynamodb/dynamo-authorization-code-store.ts';
import { DynamoClientMetadataStore } from '../adapters/dynamodb/dynamo-client-metadata-store.ts';
import { DynamoClientStore } from '../adapters/dynamodb/dynamo-client-store.ts';
import { DynamoLoginIdentityStore } from '../adapters/dynamodb/dynamo-login-identity-store.ts';
import { DynamoRefreshTokenStore } from '../adapters/dynamodb/dynamo-refresh-token-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { AuditLog } from '../domain/audit/audit-log.ts';
import { CachingClientStore } from '../domain/clients/caching-client-store.ts';
import type { ClientStore } from '../domain/clients/relying-party-client.ts';
import type { Clock } from '../domain/clock.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { ClientMetadata } from '../domain/oidc/client-metadata.ts';
import { AuthorizationCodes } from '../domain/oidc/grants/authorization-codes.ts';
import { RefreshTokens } from '../domain/oidc/grants/refresh-tokens.ts';
import { LoginIdentities } from '../domain/oidc/login-identities.ts';
import { TokenIssuer } from '../domain/oidc/token-issuer.ts';
import type { TokenSigner } from '../domain/tokens/token-signer.ts';
import { meteredAuditLog, type ServiceMetrics } from '../platform/metrics.ts';
import { routePath } from '../routes.ts';

export interface OidcServiceAdapters {
  readonly table: DynamoTable;
  readonly signer: TokenSigner;
  readonly clock: Clock;
  readonly limits: Limits;
  /** Our issuer URL, exactly as in discovery. */
  readonly issuer: string;
  /** Token replays count towards the service's metrics as they are audited. */
  readonly metrics: ServiceMetrics;
}

/** Authorization codes: issued at /authorize (patient pages), redeemed at /token, wired once. */
export const authorizationCodesOn = (
  table: DynamoTable,
  clock: Clock,
  limits: Limits,
  metrics?: ServiceMetrics,
): AuthorizationCodes =>
  new AuthorizationCodes({
    store: new DynamoAuthorizationCodeStore(table),
    clock,
    lifetimeSeconds: limits.authorizationCodeLifetimeSeconds,
    ...(metrics ? { issued: (vot: string) => metrics.add('LoginsCompleted', { vector: vot }) } : {}),
  });

/** The relying-party clients, kept in memory for `clientCacheSeconds`: one per container, shared by its services. */
export const clientsOn = (table: DynamoTable, clock: Clock, limits: Limits): ClientStore =>
  new CachingClientStore({
    store: new DynamoClientStore(table),
    clock,
    ttlSeconds: limits.clientCacheSeconds,
  });

/**
 * Single sign-on hand-offs: ID tokens recorded at /token, `asserted_login_identity` accepted at
 * /authorize (patient pages), wired once.
 */
export const loginIdentitiesOn = (
  table: DynamoTable,
  clock: Clock,
  limits: Limits,
  issuer: string,
  clients: ClientStore,
  audit: Pick<AuditLog, 'record'>,
): LoginIdentities =>
  new LoginIdentities({
    audit,
    store: new DynamoLoginIdentityStore(table),
    clients,
    accounts: new DynamoAccountStore(table),
    replayStore: new DynamoAssertionReplayStore(table),
    clock,
    issuer,
    authorizeEndpoint: `${issuer}${routePath('authorize')}`,
    idTokenLifetimeSeconds: limits.idTokenLifetimeSeconds,
    maxLoginAgeSeconds: limits.sessionAbsoluteSeconds,
  });

/**
 * The token and UserInfo endpoints' services over their adapters: the one wiring both
 * composition roots (Lambda and the local stack) use, so the two cannot wire them differently.
 */
export const createOidcServices = (adapters: OidcServiceAdapters) => {
  const { table, signer, clock, limits, issuer, metrics } = adapters;
  const clients = clientsOn(table, clock, limits);
  const audit = meteredAuditLog(new DynamoAuditLog(table), metrics);
  return {
    issuer,
    clock,
    signer,
    /** A token request's deferred writes (its audit event, the login identity) are made in one call. */
    writes: table,
    accounts: new DynamoAccountStore(table),
    audit,
    clients,
    assertionReplay: new DynamoAssertionReplayStore(table),
    maxAssertionLifetimeSeconds: limits.clientAssertionLifetimeSeconds,
    authorizationCodes: authorizationCodesOn(table, clock, limits),
    loginIdentities: loginIdentitiesOn(table, clock, limits, issuer, clients, audit),
    refreshTokens: new RefreshTokens({
      store: new DynamoRefreshTokenStore(table),
      clock,
      lifetimeSeconds: limits.refreshTokenLifetimeSeconds,
    }),
    tokens: new TokenIssuer({
      signer,
      issuer,
      clock,
      idTokenLifetimeSeconds: limits.idTokenLifetimeSeconds,
      accessTokenLifetimeSeconds: limits.accessTokenLifetimeSeconds,
    }),
    clientMetadata: new ClientMetadata({
      store: new DynamoClientMetadataStore({ table, clock }),
      clients,
    }),
  };
};

export type OidcServices = ReturnType<typeof createOidcServices>;

import { DynamoAccountStore } from '../adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoConsentStore } from '../adapters/dynamodb/dynamo-consent-store.ts';
import { DynamoDeviceStore } from '../adapters/dynamodb/dynamo-device-store.ts';
import { DynamoSessionStore } from '../adapters/dynamodb/dynamo-session-store.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { Clock } from '../domain/clock.ts';
import { RememberedDevices } from '../domain/devices/remembered-devices.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { AuthorizationDecision } from '../domain/oidc/authorization-decision.ts';
import { Sessions } from '../domain/sessions/sessions.ts';
import { meteredAuditLog, type ServiceMetrics } from '../platform/metrics.ts';
import { authorizationCodesOn, clientsOn, loginIdentitiesOn } from './oidc-services.ts';

export interface CoreServiceAdapters {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  /** Our issuer: the base URL of the hosted pages. */
  readonly issuer: string;
  /** The journeys' steps count towards the service's metrics as they are audited. */
  readonly metrics: ServiceMetrics;
}

/**
 * What every page journey stands on: accounts, sessions, devices, the audit trail, relying-party
 * clients and the authorization decision. Nothing here sends a message or checks a password, so
 * the functions that need no more (authorize, proving who you are, logout) carry no more.
 */
export const createCoreServices = ({ table, clock, limits, issuer, metrics }: CoreServiceAdapters) => {
  const clients = clientsOn(table, clock, limits);
  const audit = meteredAuditLog(new DynamoAuditLog(table), metrics);
  return {
    accounts: new DynamoAccountStore(table),
    audit,
    /** For the page edge: a page's deferred writes (its audit events) go in its session's call. */
    writes: table,
    clients,
    sessions: new Sessions({
      // A page's deferred writes (its audit events) are made in its session's call.
      store: new DynamoSessionStore(table),
      clock,
      timeouts: {
        idleSeconds: limits.sessionIdleSeconds,
        absoluteSeconds: limits.sessionAbsoluteSeconds,
        touchIntervalSeconds: limits.sessionTouchIntervalSeconds,
      },
    }),
    devices: new RememberedDevices({
      store: new DynamoDeviceStore(table),
      clock,
      lifetimeSeconds: limits.rememberedDeviceLifetimeSeconds,
    }),
    authorization: new AuthorizationDecision({
      consents: new DynamoConsentStore(table, clock),
      codes: authorizationCodesOn(table, clock, limits, metrics),
      issuer,
      clock,
      nhsNumberCheckCacheSeconds: limits.nhsNumberCheckCacheSeconds,
    }),
    loginIdentities: loginIdentitiesOn(table, clock, limits, issuer, clients, audit),
  };
};

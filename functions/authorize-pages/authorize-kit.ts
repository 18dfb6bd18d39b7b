import type { AccountStore } from '../../src/domain/accounts/account.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import type { AuthorizationRequest } from '../../src/domain/oidc/authorization-request.ts';
import type { LoginIdentities } from '../../src/domain/oidc/login-identities.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { ServiceMetrics } from '../../src/platform/metrics.ts';
import type { RouteIdOf } from '../../src/routes.ts';
import type { PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
import {
  type AnsweringLogin,
  continueAuthorization,
  pendingAuthorizationOf,
} from '../../src/web/pending-authorization.ts';
import { currentAccount, sessionAccount } from '../../src/web/session-account.ts';

export interface AuthorizePagesDependencies {
  readonly accounts: AccountStore;
  readonly clients: ClientStore;
  readonly authorization: AuthorizationDecision;
  readonly loginIdentities: Pick<LoginIdentities, 'handOver'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  /** Our issuer, the `iss` of every authorization response. */
  readonly issuer: string;
}

/** Some of the authorize routes: what each file gives, checked against the route table. */
export type AuthorizeRoutes = { readonly [Id in RouteIdOf<'authorize-pages'>]?: RouteDefinition };

type Login = AnsweringLogin;

export type AuthorizeKit = ReturnType<typeof authorizeKit>;

/**
 * What /authorize and consent share, bound to the dependencies: the login that answers the pending
 * request, the consent on record, and where the request goes next.
 */
export const authorizeKit = (deps: AuthorizePagesDependencies) => {
  /**
   * The login that answers the pending request: a handed-over one (while its account and session
   * generation stand), else the browser's own full login.
   */
  const loginFor = async (request: PageRequest, session: BrowserSession): Promise<Login | undefined> => {
    const { handedOver } = session;
    if (handedOver) {
      const account = await currentAccount(deps.accounts, handedOver);
      return account && { authentication: handedOver, account };
    }
    const account = await sessionAccount(deps.accounts, { ...request, session }, 'full');
    return account && session.authentication
      ? { authentication: session.authentication, account }
      : undefined;
  };

  /**
   * The scopes the session's login has agreed to share with the request's client, read only when
   * there is a full login to answer with (else undefined: nothing is read).
   */
  const consentOnRecord = async (session: BrowserSession, pending: AuthorizationRequest) => {
    const authentication = session.handedOver ?? session.authentication;
    if (!authentication?.secondFactor) return undefined;
    return deps.authorization.consentedScopes(authentication.accountId, pending.clientId);
  };

  /**
   * Where the request goes next; the session keeps the request until it is answered. A session
   * that has just been handed a login is renewed (a new id), as after any login.
   */
  const proceed = async (
    request: PageRequest,
    session: BrowserSession,
    change: 'update' | 'renew' = 'update',
    known: { login?: Login; consented?: readonly string[] } = {},
  ): Promise<PageOutcome> => {
    const pending = pendingAuthorizationOf(session);
    // The consent on record is read while the login's account is: answering needs both.
    const [login, consented] = await Promise.all([
      known.login ?? loginFor(request, session),
      known.consented ?? consentOnRecord(session, pending),
    ]);
    return continueAuthorization(deps.authorization, session, login, { change, consented });
  };

  return { loginFor, consentOnRecord, proceed };
};

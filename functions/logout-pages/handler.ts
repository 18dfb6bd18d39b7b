import type { AccountStore } from '../../src/domain/accounts/account.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { Clock } from '../../src/domain/clock.ts';
import {
  type EndSessionRequest,
  endSessionRedirect,
  verifyIdTokenHint,
} from '../../src/domain/oidc/end-session.ts';
import type { JsonWebKeySet } from '../../src/domain/tokens/token-signer.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { FormValues, PageOutcome, PageRequest } from '../../src/web/page-routes.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { currentAccount } from '../../src/web/session-account.ts';

export interface LogoutFunctionDependencies extends PagesHandlerDependencies {
  readonly clock: Clock;
  readonly accounts: Pick<AccountStore, 'findById'>;
  readonly clients: Pick<ClientStore, 'find'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly issuer: string;
  /** Our published keys, to recognise the ID tokens we issued (the end-session hint). */
  readonly jwks: () => Promise<JsonWebKeySet>;
}

/** Logging out: our own button, and the end-session endpoint relying parties send patients to. */
export const createHandler = (deps: LogoutFunctionDependencies): HttpHandler => {
  const loggedOut = async (accountId: string | undefined, sourceIp: string) => {
    if (!accountId) return;
    await deps.audit.record({ accountId, type: 'logged-out', at: deps.clock().toISOString(), sourceIp });
  };

  /**
   * RP-initiated logout. With an ID token we issued for the login in this browser, the session
   * ends at once and the patient goes back to the service if it may be; without one (a link
   * anyone could send, or a hint for someone else), we ask first, as the specification says.
   */
  const endSessionRequest = async (request: PageRequest, params: FormValues): Promise<PageOutcome> => {
    const target = {
      postLogoutRedirectUri: params.post_logout_redirect_uri,
      state: params.state,
      clientId: params.client_id,
    };
    const { session } = request;
    const hint = await verifyIdTokenHint(params.id_token_hint, { issuer: deps.issuer, jwks: deps.jwks });
    const account = session.authentication && (await currentAccount(deps.accounts, session.authentication));
    if (!account || hint?.subject === account.subject)
      return endSession(request, { ...target, idTokenHint: params.id_token_hint });
    return {
      view: 'pages/end-session.njk',
      data: {
        title: 'Do you want to log out?',
        fields: {
          post_logout_redirect_uri: target.postLogoutRedirectUri,
          state: target.state,
          client_id: target.clientId,
        },
      },
    };
  };

  /** Ends the session, then back to the relying party when it may be, else our logged-out page. */
  const endSession = async (request: PageRequest, target: EndSessionRequest): Promise<PageOutcome> => {
    await loggedOut(request.session.authentication?.accountId, request.sourceIp);
    const redirect = await endSessionRedirect(target, {
      issuer: deps.issuer,
      jwks: deps.jwks,
      clients: deps.clients,
    });
    if (redirect) return { redirect, session: { kind: 'end' } };
    return { view: 'pages/logged-out.njk', data: { title: 'You have logged out' }, session: { kind: 'end' } };
  };

  return createPagesHandler('logout-pages', deps, (page) => ({
    'end-session': page({ handle: (request) => endSessionRequest(request, request.query) }),
    // The endpoint takes posts too (the specification says so); only our own confirmation form skips the question.
    'end-session-submit': page({
      acceptsForeignPosts: true,
      handle: (request) =>
        request.fromOurForm && request.form.confirm === 'yes'
          ? endSession(request, {
              postLogoutRedirectUri: request.form.post_logout_redirect_uri,
              state: request.form.state,
              clientId: request.form.client_id,
            })
          : endSessionRequest(request, request.form),
    }),
    logout: page({
      handle: async ({ session, sourceIp }) => {
        await loggedOut(session.authentication?.accountId, sourceIp);
        return {
          view: 'pages/logged-out.njk',
          data: { title: 'You have logged out' },
          session: { kind: 'end' },
        };
      },
    }),
  }));
};

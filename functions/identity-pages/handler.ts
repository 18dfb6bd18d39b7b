import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import { answered, pendingAuthorizationOf } from '../../src/web/pending-authorization.ts';

export interface IdentityFunctionDependencies extends PagesHandlerDependencies {
  readonly clients: Pick<ClientStore, 'find'>;
  readonly authorization: Pick<AuthorizationDecision, 'notProven'>;
}

/** Proving who you are, for a service that needs more than a login. */
export const createHandler = (deps: IdentityFunctionDependencies): HttpHandler =>
  createPagesHandler('identity-pages', deps, (page) => ({
    'prove-identity': page({
      handle: async ({ session }) => ({
        view: 'pages/prove-identity.njk',
        data: {
          title: 'You need to prove who you are',
          serviceLabel:
            (await deps.clients.find(pendingAuthorizationOf(session).clientId))?.name ?? 'The service',
        },
      }),
    }),
    'prove-identity-return': page({
      bindsToAuthorization: true,
      handle: async ({ session }) =>
        answered(session, deps.authorization.notProven(pendingAuthorizationOf(session))),
    }),
  }));

import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { ClientStore } from '../../src/domain/clients/relying-party-client.ts';
import { ConflictError } from '../../src/domain/errors.ts';
import type { DetailsCheck } from '../../src/domain/identity/details-check.ts';
import { type DuplicateAccounts, NothingHeldError } from '../../src/domain/identity/duplicate-accounts.ts';
import type { GpDetailsCheck } from '../../src/domain/identity/gp-details-check.ts';
import type { NhsNumberCheck } from '../../src/domain/identity/nhs-number-check.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import type { AuthorizationDecision } from '../../src/domain/oidc/authorization-decision.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import { urlFor } from '../../src/routes.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import { createPagesHandler, type PagesHandlerDependencies } from '../../src/web/pages-handler.ts';
import {
  answered,
  continueAuthorization,
  pendingAuthorizationOf,
} from '../../src/web/pending-authorization.ts';
import { currentAccount, sessionAccount } from '../../src/web/session-account.ts';
import { createPhotoIdPages, detailsFields, type PhotoIdPagesDependencies } from './photo-id-pages.ts';

export interface IdentityFunctionDependencies extends PagesHandlerDependencies, PhotoIdPagesDependencies {
  readonly accounts: AccountStore;
  readonly clients: Pick<ClientStore, 'find'>;
  readonly authorization: Pick<AuthorizationDecision, 'notProven' | 'next' | 'consentedScopes'>;
  readonly detailsCheck: Pick<DetailsCheck, 'check'>;
  readonly nhsNumberCheck: Pick<NhsNumberCheck, 'check'>;
  readonly gpDetailsCheck: Pick<GpDetailsCheck, 'check'>;
  readonly duplicateAccounts: Pick<DuplicateAccounts, 'choice' | 'replace'>;
}

const gpFields = textFields('linkageKey', 'odsCode', 'gpAccountId', 'surname', 'day', 'month', 'year');

/**
 * Proving who you are, for a service that needs more than a login: the ways there are (checking
 * your details against your NHS record works now, P5; GP online services and photo ID follow),
 * and going back to the service instead.
 */
export const createHandler = (deps: IdentityFunctionDependencies): HttpHandler => {
  const serviceLabel = async (session: BrowserSession) =>
    session.pendingAuthorization
      ? ((await deps.clients.find(session.pendingAuthorization.clientId))?.name ?? 'The service')
      : undefined;

  /** The page's account, or the login page (which comes back here once done). */
  const loggedIn = async (request: PageRequest) => sessionAccount(deps.accounts, request, 'full');
  const toLogin = (session: BrowserSession): PageOutcome => ({
    redirect: urlFor('login'),
    session: { kind: 'update', session: { ...session, afterLogin: 'prove-identity' } },
  });

  const detailsPage = (data: Record<string, unknown> = {}) => ({
    title: 'Check your details',
    ...data,
  });
  const gpPage = (data: Record<string, unknown> = {}) => ({
    title: 'Enter your GP surgery’s online services details',
    ...data,
  });

  /** Proven (or held for the duplicate journey): on to the service, the duplicate page, or a page saying it is done. */
  const afterProving = async (
    request: PageRequest,
    outcome: { readonly kind: 'proven' | 'duplicate'; readonly account: Account },
    done: string,
  ): Promise<PageOutcome> => {
    if (outcome.kind === 'duplicate') return { redirect: urlFor('existing-account') };
    const authentication = request.session.authentication;
    if (request.session.pendingAuthorization && authentication)
      return continueAuthorization(deps.authorization, request.session, {
        authentication,
        account: outcome.account,
      });
    return { view: 'pages/message.njk', data: { title: 'You have proved who you are', paragraphs: [done] } };
  };

  return createPagesHandler('identity-pages', deps, (page) => ({
    ...createPhotoIdPages(deps, { page, loggedIn, toLogin }),
    'prove-identity': page({
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        return {
          view: 'pages/prove-identity.njk',
          data: {
            title: 'Prove who you are',
            serviceLabel: await serviceLabel(request.session),
            proofingLevel: account.proofingLevel,
            heldIdentity: account.heldIdentity !== undefined,
            noMatch: request.query.details === 'no-match',
            offerOtherRoutes: request.query.other === 'yes',
          },
        };
      },
    }),
    'prove-identity-return': page({
      bindsToAuthorization: true,
      handle: async ({ session }) =>
        answered(session, deps.authorization.notProven(pendingAuthorizationOf(session))),
    }),
    // The NHS number check before a code with P5 or P9 claims: then on to the service.
    'nhs-number-check': page({
      handle: async (request) => {
        // Only within a request: without one this is the "unknown service" page (CID1004).
        pendingAuthorizationOf(request.session);
        // The login answering the request: one a partner service handed over for it, or this browser's own.
        const authentication = request.session.handedOver ?? request.session.authentication;
        const account = authentication?.secondFactor && (await currentAccount(deps.accounts, authentication));
        if (!account || !authentication) return toLogin(request.session);
        // The account as the check left it, without reading it again.
        const checked = await deps.nhsNumberCheck.check(account, request.sourceIp);
        return continueAuthorization(deps.authorization, request.session, {
          authentication,
          account: checked,
        });
      },
    }),
    'prove-identity-details': page({
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        return { view: 'pages/check-details.njk', data: detailsPage({ values: {} }) };
      },
    }),
    'prove-identity-details-submit': page({
      bindsToAuthorization: true,
      fields: detailsFields,
      formView: 'pages/check-details.njk',
      formData: () => detailsPage(),
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        const outcome = await deps.detailsCheck.check(account, request.form, request.sourceIp);
        if (outcome.kind === 'not-matched')
          return {
            redirect: urlFor('prove-identity', {
              details: 'no-match',
              ...(outcome.offerOtherRoutes ? { other: 'yes' } : {}),
            }),
          };
        return afterProving(
          request,
          outcome,
          'Your details match your NHS record. Services that need your NHS number can now use your NHS login.',
        );
      },
    }),
    'prove-identity-gp': page({
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        return { view: 'pages/gp-details.njk', data: gpPage({ values: {} }) };
      },
    }),
    'prove-identity-gp-submit': page({
      bindsToAuthorization: true,
      fields: gpFields,
      // The linkage key is a credential (released as gp_linkage_key): never written back into a page.
      secretFields: ['linkageKey'],
      formView: 'pages/gp-details.njk',
      formData: () => gpPage(),
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        const outcome = await deps.gpDetailsCheck.check(account, request.form, request.sourceIp);
        if (outcome.kind === 'not-matched')
          return {
            view: 'pages/gp-details.njk',
            status: 422,
            data: gpPage({ values: { ...request.form, linkageKey: '' }, notMatched: true }),
          };
        return afterProving(
          request,
          outcome,
          'Your GP surgery’s system has confirmed who you are. Services that need your NHS number or your GP record can now use your NHS login.',
        );
      },
    }),
    // Seed 002: "You already have an NHS account": log in to it, or, if you cannot, replace it.
    'existing-account': page({
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        if (!account.heldIdentity) return { redirect: urlFor('prove-identity') };
        return {
          view: 'pages/existing-account.njk',
          data: { title: 'You already have an NHS login', values: {} },
        };
      },
    }),
    'existing-account-submit': page({
      bindsToAuthorization: true,
      fields: textFields('choice'),
      formView: 'pages/existing-account.njk',
      formData: () => ({ title: 'You already have an NHS login' }),
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        if (!account.heldIdentity) return { redirect: urlFor('prove-identity') };
        if (request.form.choice === 'log-in')
          // Out of this account, still on the service's request: the login page, for the other account.
          return {
            redirect: urlFor('login'),
            session: {
              kind: 'renew',
              session: { ...request.session, authentication: undefined, handedOver: undefined, journey: {} },
            },
          };
        if (request.form.choice !== 'cannot-log-in')
          throw new InvalidInputError([
            { field: 'choice', message: 'Select whether you can log in to your other NHS login' },
          ]);
        const { canReplace } = await deps.duplicateAccounts.choice(account);
        return {
          view: canReplace ? 'pages/replace-account.njk' : 'pages/prove-to-replace.njk',
          data: {
            title: canReplace
              ? 'We will delete your other NHS login'
              : 'Prove who you are to use this NHS login instead',
          },
        };
      },
    }),
    'replace-account': page({
      bindsToAuthorization: true,
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        let replacing: Account;
        try {
          replacing = await deps.duplicateAccounts.replace(account, request.sourceIp);
        } catch (error) {
          // Not (or no longer) allowed to replace: back to the choice, which says what to do instead.
          if (error instanceof NothingHeldError || error instanceof ConflictError)
            return { redirect: urlFor(account.heldIdentity ? 'existing-account' : 'prove-identity') };
          throw error;
        }
        return afterProving(
          request,
          { kind: 'proven', account: replacing },
          'We have deleted your other NHS login. Your NHS number is now connected to this one, and we have emailed both addresses to say so.',
        );
      },
    }),
  }));
};

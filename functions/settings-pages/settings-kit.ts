import type { Account, AccountStore } from '../../src/domain/accounts/account.ts';
import type { AccountSettings } from '../../src/domain/accounts/account-settings.ts';
import type { Reauthentication } from '../../src/domain/accounts/reauthentication.ts';
import type { AuditLog } from '../../src/domain/audit/audit-log.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { RememberedDevices } from '../../src/domain/devices/remembered-devices.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { Passkeys } from '../../src/domain/passkeys/passkeys.ts';
import type { AuthenticatorApps } from '../../src/domain/second-factors/authenticator-app.ts';
import {
  isRecentlyReauthenticated,
  type ReauthenticationNeed,
} from '../../src/domain/sessions/recent-authentication.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import { matchRoute } from '../../src/platform/http/route-matcher.ts';
import { isReturnablePage, type RouteIdOf, routes, urlFor } from '../../src/routes.ts';
import { backToSettings } from '../../src/web/forms.ts';
import {
  type FormValues,
  type PageOutcome,
  type PageRequest,
  type TextFields,
  textFields,
} from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { sessionAccount } from '../../src/web/session-account.ts';

export interface SettingsPagesDependencies {
  readonly accounts: AccountStore;
  readonly settings: AccountSettings;
  readonly reauthentication: Reauthentication;
  readonly devices: RememberedDevices;
  readonly passkeys: Pick<
    Passkeys,
    'list' | 'beginSetUp' | 'finishSetUp' | 'rename' | 'remove' | 'beginLogin'
  >;
  readonly authenticatorApps: Pick<
    AuthenticatorApps,
    'beginSetUp' | 'pendingSetUp' | 'confirmSetUp' | 'remove'
  >;
  readonly audit: AuditLog;
  readonly limits: Limits;
  readonly clock: Clock;
  /** To read this browser's remembered-device cookie (its name depends on it). */
  readonly secureCookies: boolean;
}

/** Some of the settings routes: what each journey's file gives, checked against the route table. */
export type SettingsRoutes = { readonly [Id in RouteIdOf<'settings-pages'>]?: RouteDefinition };

/** The words and fields of a settings form, as pages/form.njk shows them. */
export type SettingsForm = Readonly<Record<string, unknown>>;

/** The settings pages a re-authentication can lead to, and what each needs: a fixed list, never a URL from input. */
export const reauthenticationTargets = {
  phone: { path: urlFor('settings-phone'), need: 'second-factor-or-lost-phone' },
  passkey: { path: urlFor('settings-passkey-set-up'), need: 'second-factor' },
  app: { path: urlFor('settings-app-set-up'), need: 'second-factor' },
} as const satisfies Record<string, { path: string; need: ReauthenticationNeed }>;

export type ReauthenticationTarget = keyof typeof reauthenticationTargets;

export const targetOf = (name: string | undefined): ReauthenticationTarget =>
  name !== undefined && Object.hasOwn(reauthenticationTargets, name)
    ? (name as ReauthenticationTarget)
    : 'phone';

/** A page that uses a link only when the patient selects its button (so link scanners cannot). */
export const confirmPage = (
  title: string,
  paragraph: string,
  action: string,
  token: string | undefined,
  submit: string,
): PageOutcome => ({
  view: 'pages/confirm-link.njk',
  data: { title, paragraphs: [paragraph], action, token, submit },
});

/** A time as the settings pages show it: "2 December 2026 at 7:15am", in UK time. */
export const shownTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  });

export type SettingsKit = ReturnType<typeof settingsKit>;

/** The settings page a GET opened, by its route id (only a settings route of the route table). */
const pageOpened = (request: PageRequest<unknown>): string | undefined => {
  const { method } = request.event.requestContext.http;
  if (method !== 'GET') return undefined;
  const match = matchRoute(routes, 'GET', request.event.rawPath);
  const own =
    match.kind === 'matched' && match.route.function === 'settings-pages' && isReturnablePage(match.route);
  return own ? match.route.id : undefined;
};

/**
 * What the settings journeys share, bound to the dependencies and the page maker: the account of a
 * fully logged-in session, the recent re-authentication gate, and the settings form helper.
 */
export const settingsKit = (deps: SettingsPagesDependencies, page: Page) => {
  const toLogin: PageOutcome = { redirect: urlFor('login') };
  const now = () => Math.floor(deps.clock().getTime() / 1000);

  /** The account of a session that passed both the password and the second factor. */
  const loggedIn = (request: PageRequest<unknown>) => sessionAccount(deps.accounts, request, 'full');

  /**
   * A settings page that needs the account; without a full login it goes to the login page, and a
   * page opened by its address (a GET) is remembered, so the finished login comes back to it.
   */
  const withAccount =
    <Form = FormValues>(handle: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>) =>
    async (request: PageRequest<Form>): Promise<PageOutcome> => {
      const account = await loggedIn(request);
      if (account) return handle(request, account);
      const asked = pageOpened(request);
      return asked
        ? { ...toLogin, session: { kind: 'update', session: { ...request.session, afterLogin: asked } } }
        : toLogin;
    };

  /**
   * The recent re-authentication gate: a page behind it needs the password (and the second factor,
   * or for a phone change the patient's word that the phone is lost) given again within the last
   * few minutes; otherwise the patient is asked for them first, and comes back here.
   */
  const behindGate = <Form = FormValues>(
    target: ReauthenticationTarget,
    handle: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>,
  ) =>
    withAccount<Form>(async (request, account) => {
      const passed = isRecentlyReauthenticated(request.session.reauthenticated, {
        accountId: account.accountId,
        now: now(),
        windowSeconds: deps.limits.reauthenticationWindowSeconds,
        need: reauthenticationTargets[target].need,
      });
      return passed
        ? handle(request, account)
        : { redirect: urlFor('settings-reauthenticate', { for: target }) };
    });

  /** A settings form: the page that shows it, and the page its post goes to. */
  const form = <const Names extends readonly string[]>(
    definition: SettingsForm,
    fieldNames: Names,
    handle: (
      request: PageRequest<{ readonly [Name in Names[number]]: string }>,
      account: Account,
    ) => Promise<PageOutcome>,
    options: { secrets?: string[]; gate?: ReauthenticationTarget } = {},
  ) => {
    const formFields = textFields(...fieldNames);
    const shown = async (): Promise<PageOutcome> => ({
      view: 'pages/form.njk',
      data: { ...definition, links: [backToSettings], values: {} },
    });
    type Form = TextFields<Names>;
    const guard = (inner: (request: PageRequest<Form>, account: Account) => Promise<PageOutcome>) =>
      options.gate ? behindGate<Form>(options.gate, inner) : withAccount<Form>(inner);
    return {
      show: page({
        handle: options.gate ? behindGate(options.gate, shown) : withAccount(shown),
      }),
      submit: page({
        fields: formFields,
        formView: 'pages/form.njk',
        formData: () => ({ ...definition, links: [backToSettings] }),
        secretFields: options.secrets ?? [],
        handle: guard(handle),
      }),
    };
  };

  return { now, withAccount, behindGate, form };
};

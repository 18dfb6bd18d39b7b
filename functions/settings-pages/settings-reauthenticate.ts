import type { Account } from '../../src/domain/accounts/account.ts';
import { TooManyAttemptsError } from '../../src/domain/limits/too-many-attempts-error.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { isRecentlyReauthenticated } from '../../src/domain/sessions/recent-authentication.ts';
import { urlFor } from '../../src/routes.ts';
import { backToSettings, codeForm, fields } from '../../src/web/forms.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { passkeyInstead, usePostedPasskey } from '../../src/web/passkey-forms.ts';
import { formatTime } from '../../src/web/problem-pages.ts';
import { sessionAccount } from '../../src/web/session-account.ts';
import {
  reauthenticationTargets,
  type SettingsForm,
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
  targetOf,
} from './settings-kit.ts';

const reauthenticateForm = {
  title: 'Enter your password',
  intro:
    'To change your mobile phone number, we need to check it is you. Enter your password, and we will then send a security code to the phone on your account.',
  action: urlFor('settings-reauthenticate'),
  fields: [fields.password],
  submit: 'Continue',
} as const satisfies SettingsForm;

/**
 * The re-authentication a gated page sends the patient to: the password, then the code sent to the
 * phone on the account (or, for a phone change, the patient's word that the phone is lost), then
 * back to the page that asked.
 */
export const reauthenticationPages = (
  deps: SettingsPagesDependencies,
  { now, withAccount, form }: SettingsKit,
  page: Page,
) => {
  const reauthenticate = form(
    reauthenticateForm,
    ['password'],
    async ({ form: values, sourceIp, session }, account) => {
      await deps.reauthentication.checkPassword(account, values.password, sourceIp);
      const target = targetOf(session.journey.reauthenticateFor);
      const reauthenticated = { accountId: account.accountId, passwordAt: now() };
      if (!deps.reauthentication.hasSecondFactor(account)) {
        return {
          redirect: reauthenticationTargets[target].path,
          session: { kind: 'update', session: { ...session, reauthenticated } },
        };
      }
      // A text a limit refuses still leads to the code page, where "I do not have this phone" is.
      const sent = await deps.reauthentication.sendCode(account, sourceIp).then(
        (challenge) => ({ codeSentTo: challenge.sentTo, codeFactor: challenge.kind }),
        (error: unknown) => {
          if (!(error instanceof TooManyAttemptsError)) throw error;
          return {
            codeNotSent: { what: error.description, retryAt: Math.ceil(error.retryAt.getTime() / 1000) },
          };
        },
      );
      return {
        redirect: urlFor('settings-reauthenticate-code'),
        session: {
          kind: 'update',
          session: { ...session, reauthenticated, journey: { reauthenticateFor: target, ...sent } },
        },
      };
    },
    { secrets: ['password'] },
  );

  /** The code sent to the phone on the account; for a phone change, the patient may say it is lost instead. */
  const reauthenticationCodeForm = (session: BrowserSession) => ({
    ...codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? '',
      factor: session.journey.codeFactor,
      action: urlFor('settings-reauthenticate-code'),
      resendAction: urlFor('settings-reauthenticate-code-resend'),
      secondary:
        targetOf(session.journey.reauthenticateFor) === 'phone'
          ? [
              {
                action: urlFor('settings-reauthenticate-lost-phone'),
                text: 'I do not have this phone any more',
                heading: 'Lost your phone, or changed your number?',
              },
            ]
          : [],
      links: [backToSettings],
    }),
    ...(session.journey.codeNotSent
      ? {
          paragraphs: [],
          notice: {
            heading: 'We could not send a security code',
            text: `${session.journey.codeNotSent.what} You can ask for one again after ${formatTime(new Date(session.journey.codeNotSent.retryAt * 1000), deps.clock())}.`,
          },
        }
      : {}),
  });

  /** The code page, with "Use a passkey instead" for an account that has one. */
  const codeFormWithPasskey = async (request: PageRequest<unknown>, known?: Account) => {
    const account = known ?? (await sessionAccount(deps.accounts, request, 'full'));
    const offered = account ? await deps.reauthentication.passkeyOffered(account) : false;
    return {
      ...reauthenticationCodeForm(request.session),
      ...(await passkeyInstead(deps.passkeys, offered, urlFor('settings-reauthenticate-passkey'))),
    };
  };

  /** The second factor passed (a code or a passkey): on to the change the gate was opened for. */
  const passedSecondFactor = (
    session: BrowserSession,
    reauthenticated: NonNullable<BrowserSession['reauthenticated']>,
  ): PageOutcome => ({
    redirect: reauthenticationTargets[targetOf(session.journey.reauthenticateFor)].path,
    session: {
      kind: 'update',
      session: { ...session, reauthenticated: { ...reauthenticated, secondFactorAt: now() }, journey: {} },
    },
  });

  /** Whether the password was given again a moment ago in this session, by this account. */
  const passwordJustGiven = (session: BrowserSession, account: Account) =>
    isRecentlyReauthenticated(session.reauthenticated && { ...session.reauthenticated, oldPhoneLost: true }, {
      accountId: account.accountId,
      now: now(),
      windowSeconds: deps.limits.reauthenticationWindowSeconds,
      need: 'second-factor-or-lost-phone',
    });

  return {
    'settings-reauthenticate': page({
      handle: withAccount(async ({ query, session }) => ({
        view: 'pages/form.njk',
        data: { ...reauthenticateForm, links: [backToSettings], values: {} },
        session: {
          kind: 'update',
          session: { ...session, journey: { reauthenticateFor: targetOf(query.for) } },
        },
      })),
    }),
    'settings-reauthenticate-submit': reauthenticate.submit,
    'settings-reauthenticate-code': page({
      handle: withAccount(async (request, account) =>
        passwordJustGiven(request.session, account)
          ? { view: 'pages/form.njk', data: { ...(await codeFormWithPasskey(request, account)), values: {} } }
          : { redirect: urlFor('settings-reauthenticate') },
      ),
    }),
    'settings-reauthenticate-code-submit': page({
      fields: textFields('code'),
      formView: 'pages/form.njk',
      formData: (request) => codeFormWithPasskey(request),
      handle: withAccount(async ({ form: values, session, sourceIp }, account) => {
        const reauthenticated = session.reauthenticated;
        if (!reauthenticated || !passwordJustGiven(session, account))
          return { redirect: urlFor('settings-reauthenticate') };
        await deps.reauthentication.verifyCode(account, values.code, sourceIp);
        return passedSecondFactor(session, reauthenticated);
      }),
    }),
    // A passkey of the account in place of the code (issue 16, item 5).
    'settings-reauthenticate-passkey': page({
      fields: textFields('challengeId', 'credential'),
      formView: 'pages/form.njk',
      formData: (request) => codeFormWithPasskey(request),
      secretFields: ['challengeId', 'credential'],
      handle: withAccount(async ({ form: values, session, sourceIp }, account) => {
        const reauthenticated = session.reauthenticated;
        if (!reauthenticated || !passwordJustGiven(session, account))
          return { redirect: urlFor('settings-reauthenticate') };
        await usePostedPasskey(
          values.credential,
          (response) => deps.reauthentication.verifyPasskey(account, values.challengeId, response, sourceIp),
          {
            message: 'We could not check it is you with that passkey. Try again, or enter the security code',
          },
        );
        return passedSecondFactor(session, reauthenticated);
      }),
    }),
    'settings-reauthenticate-code-resend': page({
      handle: withAccount(async ({ session, sourceIp }, account) => {
        if (!passwordJustGiven(session, account)) return { redirect: urlFor('settings-reauthenticate') };
        const challenge = await deps.reauthentication.sendCode(account, sourceIp);
        const { codeNotSent: _refusedBefore, ...journey } = session.journey;
        return {
          redirect: urlFor('settings-reauthenticate-code'),
          session: {
            kind: 'update',
            session: {
              ...session,
              journey: { ...journey, codeSentTo: challenge.sentTo, codeFactor: challenge.kind },
            },
          },
        };
      }),
    }),
    // Only a phone change takes the patient's word that the old phone is gone, after the password.
    'settings-reauthenticate-lost-phone': page({
      handle: withAccount(async ({ session }, account) => {
        const reauthenticated = session.reauthenticated;
        if (
          !reauthenticated ||
          !passwordJustGiven(session, account) ||
          targetOf(session.journey.reauthenticateFor) !== 'phone'
        )
          return { redirect: urlFor('settings-reauthenticate') };
        return {
          redirect: reauthenticationTargets.phone.path,
          session: {
            kind: 'update',
            session: { ...session, reauthenticated: { ...reauthenticated, oldPhoneLost: true }, journey: {} },
          },
        };
      }),
    }),
  } satisfies SettingsRoutes;
};

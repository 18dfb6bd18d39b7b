import type {
  AccountRecovery,
  RecoveryPurpose,
  RecoveryStep,
} from '../../src/domain/accounts/account-recovery.ts';
import type { AccountUnlock } from '../../src/domain/accounts/account-unlock.ts';
import type { PasswordReset } from '../../src/domain/accounts/password-reset.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { codeForm, fields, lostPhoneLink } from '../../src/web/forms.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { createProblemPages, describeDuration } from '../../src/web/problem-pages.ts';

export interface RecoveryPagesDependencies {
  readonly recovery: AccountRecovery;
  readonly passwordReset: PasswordReset;
  readonly accountUnlock: AccountUnlock;
  readonly clock: Clock;
  readonly limits: Limits;
}

/** The paths and words of each recovery journey: an emailed link, the second factor, then the last step. */
const journeys = {
  'reset-password': {
    ask: urlFor('password-forgotten'),
    link: urlFor('password-reset'),
    code: urlFor('password-reset-code'),
    resend: urlFor('password-reset-code-resend'),
    last: urlFor('password-reset-new'),
    intro: 'Reset your password',
    why: 'To reset your password, we need to check it is you. We will send a security code by text message to the mobile phone number on your account.',
  },
  'unlock-account': {
    ask: urlFor('unlock'),
    link: urlFor('unlock-confirm'),
    code: urlFor('unlock-code'),
    resend: urlFor('unlock-code-resend'),
    last: urlFor('unlock-done'),
    intro: 'Unlock your account',
    why: 'To unlock your account, we need to check it is you. We will send a security code by text message to the mobile phone number on your account.',
  },
} as const satisfies Record<RecoveryPurpose, Record<string, string>>;

/**
 * Getting back in by email: a forgotten password and unlocking an account after too many wrong
 * passwords. Both are the same journey (the link, then the code to the phone on file, then the
 * last step), kept in the session by the link's digest, never its token.
 */
export const recoveryPages = (deps: RecoveryPagesDependencies, page: Page) => {
  const now = () => Math.floor(deps.clock().getTime() / 1000);
  const problemPages = createProblemPages(deps);

  /** The recovery this browser has open for the purpose; without one, back to its start. */
  const stepOf = (session: BrowserSession, purpose: RecoveryPurpose): RecoveryStep | undefined => {
    const recovery = session.journey.recovery;
    return recovery?.purpose === purpose ? recovery : undefined;
  };

  const codePage = (purpose: RecoveryPurpose, session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? 'on your account',
      action: journeys[purpose].code,
      resendAction: journeys[purpose].resend,
      links: [lostPhoneLink],
    });

  /** The pages of one purpose, from the emailed link to its last step. */
  const journey = (purpose: RecoveryPurpose) => {
    const paths = journeys[purpose];
    const restart: PageOutcome = { redirect: paths.ask };

    /** Sends the code, or goes straight on for an account that has no second factor yet. */
    const start = async (request: PageRequest): Promise<PageOutcome> => {
      const opened = await deps.recovery.open(purpose, request.form.token);
      if (opened.needsSecondFactor) {
        const challenge = await deps.recovery.sendCode(opened.step, request.sourceIp);
        const journeyState = { recovery: opened.step, codeSentTo: challenge.sentTo };
        return {
          redirect: paths.code,
          session: { kind: 'update', session: { ...request.session, journey: journeyState } },
        };
      }
      return afterSecondFactor(
        { ...request.session, journey: { recovery: opened.step } },
        opened.step,
        request.sourceIp,
      );
    };

    return {
      // Opening the link only shows a button: mail scanners that follow links must not send texts.
      link: page({
        handle: async ({ query }) => {
          const opened = await deps.recovery.open(purpose, query.token);
          return {
            view: 'pages/confirm-link.njk',
            data: {
              title: paths.intro,
              paragraphs: [opened.needsSecondFactor ? paths.why : 'Select continue to carry on.'],
              action: paths.link,
              token: query.token,
              submit: opened.needsSecondFactor ? 'Send the security code' : 'Continue',
            },
          };
        },
      }),
      linkSubmit: page({ handle: start }),
      code: page({
        handle: async ({ session }) =>
          stepOf(session, purpose)
            ? { view: 'pages/form.njk', data: { ...codePage(purpose, session), values: {} } }
            : restart,
      }),
      codeSubmit: page({
        fields: textFields('code'),
        formView: 'pages/form.njk',
        formData: ({ session }) => codePage(purpose, session),
        handle: async ({ session, form, sourceIp }) => {
          const step = stepOf(session, purpose);
          if (!step) return restart;
          const passed = await deps.recovery.verifyCode(step, form.code, sourceIp);
          return afterSecondFactor({ ...session, journey: { recovery: passed } }, passed, sourceIp);
        },
      }),
      codeResend: page({
        handle: async ({ session, sourceIp }) => {
          const step = stepOf(session, purpose);
          if (!step) return restart;
          const challenge = await deps.recovery.sendCode(step, sourceIp);
          return {
            redirect: paths.code,
            session: {
              kind: 'update',
              session: { ...session, journey: { ...session.journey, codeSentTo: challenge.sentTo } },
            },
          };
        },
      }),
    };
  };

  /**
   * Once the second factor is passed (or the account has none): a reset goes on to the new
   * password; an unlock ends the lock at once, and this browser may then log in whatever wrong
   * passwords come from elsewhere.
   */
  const afterSecondFactor = async (
    session: BrowserSession,
    step: RecoveryStep,
    sourceIp: string,
  ): Promise<PageOutcome> => {
    if (step.purpose === 'reset-password')
      return { redirect: journeys['reset-password'].last, session: { kind: 'update', session } };
    const accountKey = await deps.accountUnlock.complete(step, sourceIp);
    const unlocked = { accountKey, until: now() + deps.limits.unlockedBrowserTrustSeconds };
    return {
      redirect: journeys['unlock-account'].last,
      session: { kind: 'update', session: { ...session, unlocked, journey: {} } },
    };
  };

  const reset = journey('reset-password');
  const unlocking = journey('unlock-account');
  const newPasswordForm = {
    title: 'Create a new password',
    action: urlFor('password-reset-new'),
    fields: [fields.chosenPassword],
    submit: 'Reset password',
  };

  /** The "enter your email address" form of a recovery, and its "check your email" page. */
  const askFor = (purpose: RecoveryPurpose, title: string, intro: string, sent: string, what: string) => {
    const formData = {
      title,
      intro,
      action: journeys[purpose].ask,
      fields: [fields.email],
      submit: 'Send link',
    };
    return {
      form: page({ handle: async () => ({ view: 'pages/form.njk', data: { ...formData, values: {} } }) }),
      submit: page({
        fields: textFields('email'),
        formView: 'pages/form.njk',
        formData: () => formData,
        handle: async ({ form, session, sourceIp }) => {
          const email = form.email.trim();
          if (purpose === 'reset-password') await deps.passwordReset.request(email, sourceIp);
          else await deps.accountUnlock.request(email, sourceIp);
          return {
            redirect: sent,
            session: { kind: 'update', session: { ...session, journey: { resetEmail: email } } },
          };
        },
      }),
      sent: page({
        handle: async ({ session }) =>
          session.journey.resetEmail
            ? {
                view: 'pages/reset-sent.njk',
                data: {
                  title: 'Check your email',
                  email: session.journey.resetEmail,
                  what,
                  again: journeys[purpose].ask,
                  linkLifetime: describeDuration(
                    purpose === 'reset-password'
                      ? deps.limits.resetLinkLifetimeSeconds
                      : deps.limits.unlockLinkLifetimeSeconds,
                  ),
                },
              }
            : { redirect: journeys[purpose].ask },
      }),
    };
  };
  const forgotten = askFor(
    'reset-password',
    'Reset your password',
    'Enter the email address you use to log in. We will send you a link to reset your password.',
    urlFor('password-reset-sent'),
    'reset your password',
  );
  const unlockRequest = askFor(
    'unlock-account',
    'Unlock your account',
    'Enter the email address you use to log in. We will send you a link to unlock your account, and then a security code to your phone.',
    urlFor('unlock-sent'),
    'unlock your account',
  );

  return {
    'password-forgotten': forgotten.form,
    'password-forgotten-submit': forgotten.submit,
    'password-reset-sent': forgotten.sent,
    'password-reset': reset.link,
    'password-reset-submit': reset.linkSubmit,
    'password-reset-code': reset.code,
    'password-reset-code-submit': reset.codeSubmit,
    'password-reset-code-resend': reset.codeResend,
    'password-reset-new': page({
      handle: async ({ session }) => {
        const step = stepOf(session, 'reset-password');
        if (!step) return { redirect: urlFor('password-forgotten') };
        await deps.recovery.ready(step);
        return { view: 'pages/form.njk', data: { ...newPasswordForm, values: {} } };
      },
    }),
    'password-reset-new-submit': page({
      fields: textFields('password'),
      formView: 'pages/form.njk',
      formData: () => newPasswordForm,
      secretFields: ['password'],
      handle: async ({ form, session, sourceIp }) => {
        const step = stepOf(session, 'reset-password');
        if (!step) return { redirect: urlFor('password-forgotten') };
        await deps.passwordReset.complete(step, form.password, sourceIp);
        return { redirect: urlFor('password-reset-done'), session: { kind: 'end' } };
      },
    }),
    'password-reset-done': page({
      handle: async () => ({
        view: 'pages/password-reset-done.njk',
        data: { title: 'Your password has been reset' },
      }),
    }),

    unlock: unlockRequest.form,
    'unlock-submit': unlockRequest.submit,
    'unlock-sent': unlockRequest.sent,
    'unlock-confirm': unlocking.link,
    'unlock-confirm-submit': unlocking.linkSubmit,
    'unlock-code': unlocking.code,
    'unlock-code-submit': unlocking.codeSubmit,
    'unlock-code-resend': unlocking.codeResend,
    'unlock-done': page({
      handle: async ({ session }) =>
        !session.unlocked
          ? { redirect: urlFor('unlock') }
          : {
              view: 'pages/message.njk',
              data: {
                title: 'Your account is unlocked',
                paragraphs: [
                  'You can log in with your password now, from this browser, even if someone else is still trying to guess it.',
                  'If you did not enter the wrong password yourself, someone may be trying to get into your account. Keep your password to yourself, and change it if you have used it anywhere else.',
                ],
                action: { text: 'Log in', href: urlFor('login') },
              },
            },
    }),

    // For a patient who cannot get the code: how to get help, never a way round the second factor.
    'lost-phone': page({
      handle: async () => {
        const problem = problemPages.problemPageFor(new PatientProblemError('lost-phone'));
        return { view: 'problem.njk', data: { ...problem }, status: problem.status };
      },
    }),
  };
};

import type { RecoveryPurpose, RecoveryStep } from '../../src/domain/accounts/account-recovery.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { codeForm, lostPhoneLink } from '../../src/web/forms.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { passkeyInstead, usePostedPasskey } from '../../src/web/passkey-forms.ts';
import { createProblemPages } from '../../src/web/problem-pages.ts';
import { journeys, type RecoveryPagesDependencies, type RecoveryRoutes, stepOf } from './recovery-kit.ts';

/**
 * The middle of both recoveries: the emailed link, then the security code sent to the phone on
 * file (and, for a patient who cannot get it, how to get help), for a forgotten password and for
 * unlocking an account.
 */
export const linkAndCodePages = (deps: RecoveryPagesDependencies, page: Page) => {
  const now = () => Math.floor(deps.clock().getTime() / 1000);
  const problemPages = createProblemPages(deps);

  /** The code page, with "Use a passkey instead" for an account that has one. */
  const codePageWithPasskey = async (purpose: RecoveryPurpose, session: BrowserSession) => {
    const step = stepOf(session, purpose);
    const offered = step ? await deps.recovery.passkeyOffered(step) : false;
    return {
      ...codePage(purpose, session),
      ...(await passkeyInstead(deps.passkeys, offered, journeys[purpose].passkey)),
    };
  };

  const codePage = (purpose: RecoveryPurpose, session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? 'on your account',
      factor: session.journey.codeFactor,
      action: journeys[purpose].code,
      resendAction: journeys[purpose].resend,
      // Without every factor, the help page (CID3001): never a way round the second factor.
      links: [
        session.journey.codeFactor === 'app'
          ? { text: 'I cannot use my authenticator app or a recovery code', href: lostPhoneLink.href }
          : lostPhoneLink,
      ],
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
        const journeyState = {
          recovery: opened.step,
          codeSentTo: challenge.sentTo,
          codeFactor: challenge.kind,
        };
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
              paragraphs: [
                !opened.needsSecondFactor
                  ? 'Select continue to carry on.'
                  : opened.factor === 'app'
                    ? paths.whyApp
                    : paths.why,
              ],
              action: paths.link,
              token: query.token,
              submit:
                opened.needsSecondFactor && opened.factor !== 'app' ? 'Send the security code' : 'Continue',
            },
          };
        },
      }),
      linkSubmit: page({ handle: start }),
      code: page({
        handle: async ({ session }) =>
          stepOf(session, purpose)
            ? {
                view: 'pages/form.njk',
                data: { ...(await codePageWithPasskey(purpose, session)), values: {} },
              }
            : restart,
      }),
      codeSubmit: page({
        fields: textFields('code'),
        formView: 'pages/form.njk',
        formData: ({ session }) => codePageWithPasskey(purpose, session),
        handle: async ({ session, form, sourceIp }) => {
          const step = stepOf(session, purpose);
          if (!step) return restart;
          const passed = await deps.recovery.verifyCode(step, form.code, sourceIp);
          return afterSecondFactor({ ...session, journey: { recovery: passed } }, passed, sourceIp);
        },
      }),
      // A passkey of the account in place of the code (issue 16, item 5).
      passkey: page({
        fields: textFields('challengeId', 'credential'),
        formView: 'pages/form.njk',
        formData: ({ session }) => codePageWithPasskey(purpose, session),
        secretFields: ['challengeId', 'credential'],
        handle: async ({ session, form, sourceIp }) => {
          const step = stepOf(session, purpose);
          if (!step) return restart;
          const passed = await usePostedPasskey(
            form.credential,
            (response) => deps.recovery.verifyPasskey(step, form.challengeId, response, sourceIp),
            {
              message:
                'We could not check it is you with that passkey. Try again, or enter the security code',
            },
          );
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
              session: {
                ...session,
                journey: { ...session.journey, codeSentTo: challenge.sentTo, codeFactor: challenge.kind },
              },
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

  return {
    'password-reset': reset.link,
    'password-reset-submit': reset.linkSubmit,
    'password-reset-code': reset.code,
    'password-reset-code-submit': reset.codeSubmit,
    'password-reset-code-resend': reset.codeResend,
    'password-reset-passkey': reset.passkey,
    'unlock-confirm': unlocking.link,
    'unlock-confirm-submit': unlocking.linkSubmit,
    'unlock-code': unlocking.code,
    'unlock-code-submit': unlocking.codeSubmit,
    'unlock-code-resend': unlocking.codeResend,
    'unlock-passkey': unlocking.passkey,

    // For a patient who cannot get the code: how to get help, never a way round the second factor.
    'lost-phone': page({
      handle: async () => {
        const problem = problemPages.problemPageFor(new PatientProblemError('lost-phone'));
        return { view: 'problem.njk', data: { ...problem }, status: problem.status };
      },
    }),
  } satisfies RecoveryRoutes;
};

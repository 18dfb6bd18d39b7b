import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import { urlFor } from '../../src/routes.ts';
import { codeForm, lostPhoneLink } from '../../src/web/forms.ts';
import { type PageOutcome, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { confirmPage, type SettingsPagesDependencies, type SettingsRoutes } from './settings-kit.ts';

/** A "this was not me" link with nothing left to cancel: no one is logged out for it. */
const nothingToReport: PageOutcome = {
  view: 'pages/message.njk',
  data: {
    title: 'There is no change to cancel',
    paragraphs: [
      'The change of email address this link was about has been cancelled, has expired, or was never made.',
      'If you think someone else is using your account, reset your password: you will need your mobile phone for a security code.',
    ],
    action: { text: 'Reset your password', href: urlFor('password-forgotten') },
  },
};

const reportedPage = (outcome: 'cancelled' | 'put-back'): PageOutcome => ({
  view: 'pages/message.njk',
  data: {
    title:
      outcome === 'put-back'
        ? 'Your email address has been put back'
        : 'The change of email address has been cancelled',
    paragraphs: [
      outcome === 'put-back'
        ? 'We have moved your account back to this email address, logged it out everywhere and forgotten its remembered devices.'
        : 'We have cancelled the change, logged your account out everywhere and forgotten its remembered devices.',
      'Whoever asked for it knew your password. Reset your password now: you will need your mobile phone for a security code.',
    ],
    action: { text: 'Reset your password', href: urlFor('password-forgotten') },
  },
});

/**
 * "This was not me", from the link sent to the old email address: cancelling a change still
 * pending, or putting the old address back after a security code to the phone on the account.
 * No login is needed: the link is the authority.
 */
export const emailReportPages = (deps: SettingsPagesDependencies, page: Page) => {
  const restoreCodeForm = (session: BrowserSession) =>
    codeForm(deps.limits, {
      sentTo: session.journey.codeSentTo ?? '',
      factor: session.journey.codeFactor,
      action: urlFor('settings-email-report-code'),
      resendAction: urlFor('settings-email-report-code-resend'),
      links: [lostPhoneLink],
    });

  return {
    'settings-email-report': page({
      handle: async ({ query }) => {
        const report = await deps.settings.openEmailReport(query.token);
        if (report.state === 'nothing') return nothingToReport;
        return report.state === 'pending'
          ? confirmPage(
              'This was not me',
              'We will cancel the change of your email address and log your account out everywhere. Only do this if you did not ask to change your email address.',
              urlFor('settings-email-report'),
              query.token,
              'Cancel the change',
            )
          : confirmPage(
              'Put your email address back',
              'The change has been made. To check it is you, we will send a security code to the mobile phone on your account. Then we will put this email address back and log your account out everywhere.',
              urlFor('settings-email-report'),
              query.token,
              'Send the security code',
            );
      },
    }),
    'settings-email-report-submit': page({
      handle: async ({ form: values, session, sourceIp }) => {
        const report = await deps.settings.openEmailReport(values.token);
        if (report.state === 'nothing') return nothingToReport;
        if (report.state === 'pending') {
          await deps.settings.cancelReportedChange(report.linkDigest, sourceIp);
          return reportedPage('cancelled');
        }
        const emailReport = { linkDigest: report.linkDigest, secondFactorPassed: false };
        if (!report.needsSecondFactor) {
          await deps.settings.putBackEmail({ ...emailReport, secondFactorPassed: true }, sourceIp);
          return reportedPage('put-back');
        }
        const challenge = await deps.settings.sendRestoreCode(report.linkDigest, sourceIp);
        return {
          redirect: urlFor('settings-email-report-code'),
          session: {
            kind: 'update',
            session: {
              ...session,
              journey: { emailReport, codeSentTo: challenge.sentTo, codeFactor: challenge.kind },
            },
          },
        };
      },
    }),
    'settings-email-report-code': page({
      handle: async ({ session }) =>
        session.journey.emailReport
          ? { view: 'pages/form.njk', data: { ...restoreCodeForm(session), values: {} } }
          : nothingToReport,
    }),
    'settings-email-report-code-submit': page({
      fields: textFields('code'),
      formView: 'pages/form.njk',
      formData: ({ session }) => restoreCodeForm(session),
      handle: async ({ form: values, session, sourceIp }) => {
        const emailReport = session.journey.emailReport;
        if (!emailReport) return nothingToReport;
        await deps.settings.verifyRestoreCode(emailReport.linkDigest, values.code, sourceIp);
        await deps.settings.putBackEmail({ ...emailReport, secondFactorPassed: true }, sourceIp);
        return { ...reportedPage('put-back'), session: { kind: 'end' } };
      },
    }),
    'settings-email-report-code-resend': page({
      handle: async ({ session, sourceIp }) => {
        const emailReport = session.journey.emailReport;
        if (!emailReport) return nothingToReport;
        const challenge = await deps.settings.sendRestoreCode(emailReport.linkDigest, sourceIp);
        return {
          redirect: urlFor('settings-email-report-code'),
          session: {
            kind: 'update',
            session: {
              ...session,
              journey: { emailReport, codeSentTo: challenge.sentTo, codeFactor: challenge.kind },
            },
          },
        };
      },
    }),
  } satisfies SettingsRoutes;
};

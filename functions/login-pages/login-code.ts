import { urlFor } from '../../src/routes.ts';
import { textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import {
  type LoginKit,
  type LoginPagesDependencies,
  type LoginRoutes,
  toAddPhone,
  toLogin,
} from './login-kit.ts';

/**
 * The security code, the second step of a login: entering it (and remembering the device), sending
 * it again, and a code by email only as a fallback for an account that has its phone.
 */
export const securityCodePages = (
  deps: LoginPagesDependencies,
  {
    passwordOnly,
    atSecondStep,
    isOutcome,
    codePageData,
    consentFor,
    completed,
    refusedOnOneChannel,
  }: LoginKit,
  page: Page,
) =>
  ({
    'enter-code': page({
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        const resent = request.query.sent === 'again';
        return { view: 'pages/enter-code.njk', data: { ...codePageData(request.session, account), resent } };
      },
    }),
    'enter-code-submit': page({
      bindsToAuthorization: true,
      fields: textFields('code', 'remember'),
      formView: 'pages/enter-code.njk',
      formData: async (request) => codePageData(request.session, await passwordOnly(request)),
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        const [login, consented] = await Promise.all([
          deps.loginCompletion.withCode(account, request.session.journey, {
            code: request.form.code,
            sourceIp: request.sourceIp,
            ...(request.form.remember === 'yes'
              ? { remember: { userAgent: request.event.headers['user-agent'] } }
              : {}),
          }),
          consentFor(request.session, account),
        ]);
        return completed(request.session, account, login, consented);
      },
    }),
    'code-resend': page({
      bindsToAuthorization: true,
      // `channel=sms` from the email code's page or the app's: a text instead.
      fields: textFields('channel'),
      handle: async (request) => {
        const account = await atSecondStep(request);
        if (isOutcome(account)) return account;
        const { codeNotSent: _refusedBefore, ...kept } = request.session.journey;
        const journey = request.form.channel === 'sms' ? { ...kept, codeChannel: 'sms' as const } : kept;
        const notSent = await deps.loginSecondFactor.resend(account, journey, request.sourceIp).then(
          () => undefined,
          (error: unknown) => refusedOnOneChannel(error, journey.codeChannel === 'email' ? 'email' : 'sms'),
        );
        return {
          redirect: notSent ? urlFor('enter-code') : urlFor('enter-code', { sent: 'again' }),
          session: {
            kind: 'update',
            session: {
              ...request.session,
              journey: notSent ? { ...journey, codeNotSent: notSent } : journey,
            },
          },
        };
      },
    }),
    'code-by-email': page({
      bindsToAuthorization: true,
      handle: async (request) => {
        const account = await passwordOnly(request);
        if (!account) return toLogin;
        // Never to add a phone: a first login must confirm one, by text.
        if (request.session.journey.pendingPhoneNumber || deps.loginSecondFactor.needsFirstFactor(account))
          return toAddPhone;
        const notSent = await deps.loginSecondFactor.sendByEmail(account, request.sourceIp).then(
          () => undefined,
          (error: unknown) => refusedOnOneChannel(error, 'email'),
        );
        // An email refused leaves the text code the patient has working, and the page says why.
        const journey = notSent
          ? { ...request.session.journey, codeNotSent: notSent }
          : { codeChannel: 'email' as const };
        return {
          redirect: urlFor('enter-code'),
          session: { kind: 'update', session: { ...request.session, journey } },
        };
      },
    }),
  }) satisfies LoginRoutes;

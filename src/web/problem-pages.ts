import type { Clock } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { type LimitReason, TooManyAttemptsError } from '../domain/limits/too-many-attempts-error.ts';
import { type PatientProblem, PatientProblemError } from '../domain/patient-problems.ts';
import { SessionEndedError } from '../domain/sessions/browser-session.ts';
import { urlFor } from '../routes.ts';

export interface ProblemPage {
  readonly status: number;
  readonly title: string;
  readonly paragraphs: readonly string[];
  readonly action?: { readonly text: string; readonly href: string };
  /** Other things the patient can do, as links under the button. */
  readonly links?: readonly { readonly text: string; readonly href: string }[];
  readonly cid?: string;
  /** For 429 pages: the Retry-After header. */
  readonly retryAfterSeconds?: number;
}

const startAgain = { text: 'Start again', href: urlFor('start') };
const logIn = { text: 'Log in', href: urlFor('login') };
const resetAgain = { text: 'Reset your password', href: urlFor('password-forgotten') };
const unlock = { text: 'Unlock your account', href: urlFor('unlock') };

/** "24 hours", "1 hour", "15 minutes": how long a limit lasts, in the patient's words. */
export const describeDuration = (seconds: number): string => {
  const [amount, unit] =
    seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.max(1, Math.round(seconds / 60)), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
};

/** What each patient problem page says: what happened, then what to do next; lifetimes from the limits in force. */
const problemWordingFor = (limits: Limits): Record<PatientProblem, Omit<ProblemPage, 'status' | 'cid'>> => ({
  'confirmation-link-expired': {
    title: 'This link has expired',
    paragraphs: [
      `The link in your email only works for ${describeDuration(limits.confirmationLinkLifetimeSeconds)}.`,
      'You need to set up your account again.',
    ],
    action: { text: 'Set up again', href: urlFor('register') },
  },
  'confirmation-link-used': {
    title: 'This link has already been used',
    paragraphs: [
      'Your email address has already been confirmed.',
      'You can log in with your email address and password.',
    ],
    action: logIn,
  },
  'unknown-service': {
    title: 'We do not know which website or app you are trying to access',
    paragraphs: ['Go back to the website or app you were using and try again from there.'],
  },
  'reset-link-expired': {
    title: 'This link has expired',
    paragraphs: [
      `The link to reset your password only works for ${describeDuration(limits.resetLinkLifetimeSeconds)}.`,
      'Ask for a new link.',
    ],
    action: resetAgain,
  },
  'reset-link-used': {
    title: 'This link has already been used',
    paragraphs: [
      'Each link to reset your password only works once.',
      'If you still need to reset your password, ask for a new link.',
    ],
    action: resetAgain,
  },
  'reset-link-broken': {
    title: 'This link does not work',
    paragraphs: [
      'The link may not have been copied correctly. Check you copied the whole link from your email.',
      'If it still does not work, ask for a new link.',
    ],
    action: resetAgain,
  },
  'phone-cancel-link-expired': {
    title: 'This link has expired',
    paragraphs: [
      `The link to cancel a change of mobile number only works for ${describeDuration(limits.phoneChangeCancelLinkLifetimeSeconds)}.`,
      'Log in to check your mobile number.',
    ],
    action: logIn,
  },
  'phone-cancel-link-used': {
    title: 'This link has already been used',
    paragraphs: ['The change of mobile number has already been cancelled.'],
    action: logIn,
  },
  'page-not-found': {
    title: 'Page not found',
    paragraphs: [
      'If you typed the web address, check it is correct.',
      'If you pasted the web address, check you copied the entire address.',
    ],
    action: startAgain,
  },
  'nhs-number-problem': {
    title: 'There may be a problem with your NHS number',
    paragraphs: [
      'Every time you log in to a website or app using your NHS login, we check your NHS number. This allows us to connect you to your information securely.',
      'There may be a problem with your NHS number. Contact us so we can try to fix the problem. You will need to tell us the email address you use for your NHS login.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID2011` },
  },
  'account-disabled': {
    title: 'Your NHS login may have been disabled',
    paragraphs: [
      'Every time you log in to a website or app using your NHS login, we check your NHS number. This allows us to connect you to your information securely.',
      'Your information may have errors, or it may be being used by someone else, so your NHS login has been disabled. Contact us so we can try to fix the problem. You will need to tell us the email address you use for your NHS login.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID2012` },
  },
  'account-suspended': {
    title: 'You cannot use your NHS login',
    paragraphs: [
      'There is a problem that we are looking at. You will not be able to use your NHS login until we have fixed the problem. This is to keep your health information secure.',
      'We will update you by email. This usually takes 2 working days. If it has been longer than 2 working days you can contact us.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID2014` },
  },
  'gp-details-used': {
    title: 'These GP online services details have already been used',
    paragraphs: [
      'The registration details from your GP surgery have already been used to set up another NHS login. They can only be used once.',
      'If you have another NHS login, log in to it instead. If you cannot, you can prove who you are with photo ID, or ask your GP surgery for new registration details. Contact us if you need help.',
    ],
    action: { text: 'Other ways to prove who you are', href: urlFor('prove-identity') },
  },
  'gp-unavailable': {
    title: 'Unable to connect to your GP surgery’s system',
    paragraphs: [
      'We cannot connect to your GP surgery’s system at the moment, or it did not accept your details. This can happen if you have moved GP surgery, your surgery changed its system, or your online access was stopped.',
      'Try again later, ask your GP surgery for new registration details, or prove who you are another way. Contact us if you still have problems.',
    ],
    action: { text: 'Other ways to prove who you are', href: urlFor('prove-identity') },
  },
  'gp-link-failed': {
    title: 'We cannot connect your NHS login to your GP surgery',
    paragraphs: [
      'There could be a problem with your details or with your GP surgery’s system.',
      'Contact us so we can find out what is causing the problem. You will need to tell us the email address you use for your NHS login.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID7029` },
  },
  'password-reset-required': {
    title: 'You need to reset your password',
    paragraphs: [
      'To keep your NHS login secure, you need to choose a new password before you can log in again.',
      'We will send a link to your email address, then ask for a security code.',
    ],
    action: resetAgain,
  },
  'identity-mismatch': {
    title: 'We need to check your details',
    paragraphs: [
      'The details you gave do not belong to the same NHS number as the details you proved who you are with before. To keep your health information secure, you cannot use your NHS login until we have checked them.',
      'The NHS team that looks after NHS numbers may contact you. Contact us if you need help.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID1101` },
  },
  'photo-id-upload-failed': {
    title: 'Your photo or video did not upload',
    paragraphs: [
      'We did not receive the file. This can happen if your internet connection dropped, or the file was too large.',
      'Anything you uploaded before has been kept. Try again, on a stronger connection if you can.',
    ],
    action: { text: 'Try again', href: urlFor('prove-identity-photo-id') },
  },
  'pds-unavailable-proving': {
    title: 'We cannot check your details right now',
    paragraphs: [
      'We cannot reach the service that checks your details against your NHS record at the moment.',
      'Try again in a few minutes. Nothing has been changed.',
    ],
    action: { text: 'Try again', href: urlFor('prove-identity') },
  },
  'pds-unavailable': {
    title: 'We cannot check your NHS number right now',
    paragraphs: [
      'Every time you log in to a website or app using your NHS login, we check your NHS number. We cannot reach the service that checks it at the moment.',
      'Try again in a few minutes. Nothing has been shared.',
    ],
    action: { text: 'Try again', href: urlFor('nhs-number-check') },
  },
  'method-not-allowed': {
    title: 'This page cannot be used that way',
    paragraphs: [
      'The page was asked for in a way it does not work: it may have been opened from an old bookmark or another program.',
      'Go to the start page and try again from there.',
    ],
    action: startAgain,
  },
  'invalid-redirect': {
    title: 'We cannot send you back to the website or app',
    paragraphs: [
      'The website or app you came from asked us to send you back to an address it has not registered with us.',
      'Go back to the website or app you were using and try again from there. If it keeps happening, contact them.',
    ],
  },
  'reset-link-replaced': {
    title: 'This link no longer works',
    paragraphs: [
      'You may have asked for a newer link, or your password or email address has been changed since we sent it.',
      'Use the link in the newest email we sent you, or ask for a new link.',
    ],
    action: resetAgain,
  },
  'confirmation-link-replaced': {
    title: 'This link no longer works',
    paragraphs: [
      'Someone set up an account with this email address again after we sent this link, so only the link in the newest email works.',
      'Use the link in the newest email we sent, or set up your account again.',
    ],
    action: { text: 'Set up again', href: urlFor('register') },
  },
  'confirmation-resend-expired': {
    title: 'We cannot send the email again',
    paragraphs: [
      `The link to confirm your email address only works for ${describeDuration(limits.confirmationLinkLifetimeSeconds)}, and only the newest link works if someone sets up an account with the same email address again.`,
      'You need to set up your account again.',
    ],
    action: { text: 'Set up again', href: urlFor('register') },
  },
  'unlock-link-expired': {
    title: 'This link no longer works',
    paragraphs: [
      'The link to unlock your account only works for 1 hour, and only the newest link we sent works.',
      'Ask for a new link.',
    ],
    action: { text: 'Unlock your account', href: urlFor('unlock') },
  },
  'unlock-link-used': {
    title: 'This link has already been used',
    paragraphs: ['Your account has already been unlocked with this link.', 'You can log in now.'],
    action: logIn,
  },
  'recovery-needs-second-factor': {
    title: 'You need to enter the security code first',
    paragraphs: [
      'For your security, we need the security code we send to your mobile phone as well as the link in your email.',
      'Open the link in your email again to get a security code.',
    ],
    action: startAgain,
  },
  'lost-phone': {
    title: 'You need help to get back into your account',
    paragraphs: [
      'For your security, we cannot reset your password or unlock your account with your email address alone.',
      'Contact us and tell us this reference. We will check it is you before we change anything, and may ask you to prove who you are again.',
      'If you can still log in, you can change your mobile phone number in your login and security settings.',
    ],
    action: { text: 'Contact us', href: `${urlFor('contact')}?cid=CID3001` },
  },
  'email-change-link-expired': {
    title: 'This link no longer works',
    paragraphs: [
      'Your email address has not been changed: you still log in with the one you have been using.',
      `The link to confirm a new email address only works for ${describeDuration(limits.confirmationLinkLifetimeSeconds)}, and only the link for your newest change works. A reset or a change of password also stops it.`,
      'To use a new email address, go to your login and security settings and ask to change it again.',
    ],
    action: { text: 'Go to your settings', href: urlFor('settings') },
  },
  'email-change-link-used': {
    title: 'This link has already been used',
    paragraphs: ['Your email address has already been changed with this link.'],
    action: logIn,
  },
  'email-change-report-expired': {
    title: 'This link no longer works',
    paragraphs: [
      'The change of email address it was about has been made, cancelled or has expired, or the link has been used.',
      'If you did not ask to change your email address, reset your password now and contact us.',
    ],
    action: resetAgain,
  },
  'authorization-replaced': {
    title: 'This page is out of date',
    paragraphs: [
      'You started logging in to a website or app again, or to another one, in this browser after this page was shown, so we have not used what you sent.',
      'Go back to the website or app you want to use and start again from there.',
    ],
  },
  'email-address-taken': {
    title: 'This email address is used by another account',
    paragraphs: [
      'Your email address has not been changed, because another account uses the new one.',
      'Go to your settings to choose a different email address.',
    ],
    action: { text: 'Go to your settings', href: urlFor('settings') },
  },
  'session-expired': {
    title: 'Your session has ended',
    paragraphs: [
      'For your security, we end your session if you do not use it for a while, and after a few hours.',
      'You need to start again.',
    ],
    action: startAgain,
  },
});

const londonDay = (date: Date): string => date.toLocaleDateString('en-GB', { timeZone: 'Europe/London' });

/** "3:15pm", or "3:15pm on 23 November" when `now` is not on that day in the UK. */
export const formatTime = (date: Date, now: Date): string => {
  const time = date.toLocaleTimeString('en-GB', {
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  });
  if (londonDay(date) === londonDay(now)) return time.replace(/\s+/gu, '');
  return `${time.replace(/\s+/gu, '')} on ${date.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', timeZone: 'Europe/London' })}`;
};

/** What each limit's page says: what happened (never whether an account exists), when to try again, what else to do. */
const limitWording: Record<
  LimitReason,
  { title: string; what: string; action: { text: string; href: string } }
> = {
  'password-delayed': {
    title: 'You cannot log in for a while',
    what: 'The email address or password was entered wrongly too many times.',
    action: unlock,
  },
  'password-hard-stop': {
    title: 'You need to unlock your account',
    what: 'The email address or password was entered wrongly too many times, so for your security you cannot log in with your password until you unlock your account or reset your password.',
    action: unlock,
  },
  'ip-throttled': {
    title: 'You cannot log in for a while',
    what: 'There have been too many attempts to log in from your network.',
    action: resetAgain,
  },
  'code-entry-locked': {
    title: 'You entered the wrong security code too many times',
    what: 'For your security, you cannot enter a security code for a while.',
    action: startAgain,
  },
  'code-sends-exceeded': {
    title: 'You asked for too many security codes',
    what: 'For your security, we cannot send you another security code yet.',
    action: startAgain,
  },
  'email-change-requests': {
    title: 'You cannot ask to change your email address again yet',
    what: 'You have asked to change your email address too many times.',
    action: { text: 'Go to your settings', href: urlFor('settings') },
  },
  'email-address-cap': {
    title: 'We cannot send more emails to this address for a while',
    what: 'We have sent the most emails we send to one email address in an hour.',
    action: { text: 'Go to your settings', href: urlFor('settings') },
  },
  'email-sends-exceeded': {
    title: 'You cannot ask for more emails for a while',
    what: 'Too many emails have been asked for from your network.',
    action: startAgain,
  },
  'texts-per-network': {
    title: 'We cannot send more text messages for a while',
    what: 'Too many text messages have been asked for from your network.',
    action: startAgain,
  },
  'texts-per-account': {
    title: 'We cannot send more security codes today',
    what: 'We have sent the most text messages we send to one account in a day.',
    action: startAgain,
  },
  'new-number-ceiling': {
    title: 'We cannot send a security code to a new phone number right now',
    what: 'We are sending a very high number of security codes to new phone numbers, so we have stopped for a while to keep the service safe. Phone numbers already on an account are not affected.',
    action: startAgain,
  },
  'phone-daily-cap': {
    title: 'We cannot send more security codes to this number today',
    what: 'We have sent the most security codes we send to one phone number in a day.',
    action: startAgain,
  },
  'details-checks': {
    title: 'You have tried to check your details too many times',
    what: 'For your security, we cannot check your details again yet.',
    action: { text: 'Other ways to prove who you are', href: urlFor('prove-identity') },
  },
  'gp-checks': {
    title: 'You have tried to use your GP surgery details too many times',
    what: 'For your security, we cannot check your GP online services details again yet.',
    action: { text: 'Other ways to prove who you are', href: urlFor('prove-identity') },
  },
  'passkey-set-ups': {
    title: 'You cannot set up a passkey again today',
    what: 'You have tried to set up a passkey too many times today.',
    action: { text: 'Go back to your login and security settings', href: urlFor('settings') },
  },
  // The review console's own lockout: its pages show it, never a patient's (listed for completeness).
  'staff-login-locked': {
    title: 'You cannot log in for a while',
    what: 'The password or authenticator code was entered wrongly too many times.',
    action: { text: 'Go to the start page', href: urlFor('start') },
  },
};

/** The problem pages, with the time and the limits in force: what a page says, and when to try again. */
export const createProblemPages = (deps: { readonly clock: Clock; readonly limits: Limits }) => {
  const problemWording = problemWordingFor(deps.limits);
  /** "3:15pm", or "3:15pm on 23 November" when that is not today in the UK. */
  const timeOf = (date: Date): string => formatTime(date, deps.clock());

  const tooManyAttemptsPage = (error: TooManyAttemptsError): ProblemPage => {
    const wording = limitWording[error.reason];
    return {
      status: 429,
      title: wording.title,
      paragraphs: [
        wording.what,
        ...(error.reason === 'password-hard-stop'
          ? []
          : [`You can try again after ${timeOf(error.retryAt)}.`]),
        ...(wording.action === unlock
          ? [
              'You can unlock your account now: we will email you a link, and then send a security code to your phone.',
            ]
          : []),
        ...(wording.action === resetAgain
          ? ['If you have forgotten your password, you can reset it now.']
          : []),
      ],
      action: wording.action,
      ...(wording.action === unlock
        ? { links: [{ text: 'Reset your password instead', href: resetAgain.href }] }
        : {}),
      retryAfterSeconds: Math.max(1, Math.ceil((error.retryAt.getTime() - deps.clock().getTime()) / 1000)),
    };
  };

  /** The page for any error a page route throws: patient problems by their wording, others by status. */
  const problemPageFor = (error: unknown): ProblemPage => {
    if (error instanceof SessionEndedError) return problemPageFor(new PatientProblemError('session-expired'));
    if (error instanceof PatientProblemError) {
      return {
        status: error.status,
        ...problemWording[error.problem],
        ...(error.cid ? { cid: error.cid } : {}),
      };
    }
    if (error instanceof TooManyAttemptsError) return tooManyAttemptsPage(error);
    if (error instanceof DomainError && error.status === 404) {
      return { status: 404, ...problemWording['page-not-found'], cid: 'CID0404' };
    }
    if (error instanceof DomainError && error.status < 500) {
      return {
        status: error.status,
        title: 'There is a problem',
        paragraphs: [error.description],
        action: startAgain,
      };
    }
    if (error instanceof DomainError && error.status === 503) {
      return {
        status: 503,
        title: 'Sorry, there is a problem',
        paragraphs: [error.description, 'Try again in a few minutes.'],
        action: startAgain,
      };
    }
    return {
      status: 500,
      title: 'Sorry, there is a problem with the service',
      paragraphs: [
        'Try again later.',
        'If you were trying to do something, it may not have worked. Check before you try again.',
      ],
      action: startAgain,
    };
  };

  return { problemPageFor, formatTime: timeOf };
};

export type ProblemPages = ReturnType<typeof createProblemPages>;

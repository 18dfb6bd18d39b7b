import type { Limits } from '../domain/limits/limits.ts';
import { urlFor } from '../routes.ts';

/** The fields the hosted forms use, once each. */
export const fields = {
  password: { name: 'password', label: 'Your password', type: 'password', autocomplete: 'current-password' },
  email: { name: 'email', label: 'Email address', type: 'email', autocomplete: 'email' },
  newEmail: { name: 'email', label: 'New email address', type: 'email', autocomplete: 'email' },
  currentPassword: {
    name: 'currentPassword',
    label: 'Current password',
    type: 'password',
    autocomplete: 'current-password',
  },
  newPassword: {
    name: 'newPassword',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'Use 8 characters or more. A few words you will remember make a strong password.',
  },
  chosenPassword: {
    name: 'password',
    label: 'New password',
    type: 'password',
    autocomplete: 'new-password',
    hint: 'Use 8 characters or more. A few words you will remember make a strong password. Do not use your email address.',
  },
  phoneNumber: {
    name: 'phoneNumber',
    label: 'New UK mobile phone number',
    type: 'tel',
    autocomplete: 'tel',
    hint: 'For example, 07700 900 982',
    classes: 'nhsuk-input--width-20',
  },
  code: {
    name: 'code',
    label: 'Security code',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    classes: 'nhsuk-input--width-10',
  },
} as const;

export const backToSettings = { text: 'Cancel and go back to your settings', href: urlFor('settings') };

/** "I do not have this phone": the help page for a patient who cannot get the code (CID3001). */
export const lostPhoneLink = { text: 'I do not have this phone any more', href: urlFor('lost-phone') };

/**
 * The form of a security code sent for a step (a reset, an unlock, a re-authentication): where it
 * went, how long it works, the code field, "send it again", and what else the patient can do.
 */
export const codeForm = (
  limits: Limits,
  options: {
    readonly sentTo: string;
    /** The factor asked for: a text (the default), or the authenticator app, which sends nothing. */
    readonly factor?: 'sms' | 'app' | undefined;
    /** The code went to a number being added or changed to, not yet the account's. */
    readonly toNewNumber?: boolean;
    readonly action: string;
    readonly resendAction: string;
    readonly links?: readonly { text: string; href: string }[];
    readonly secondary?: readonly { action: string; text: string; heading?: string }[];
  },
) => ({
  title: 'Enter the security code',
  paragraphs:
    options.factor === 'app'
      ? [
          'Enter the 6-digit code your authenticator app shows.',
          'If you cannot use the app, enter one of your recovery codes instead. Each recovery code works once.',
        ]
      : [
          `We have sent a 6-digit security code by text message to your ${options.toNewNumber ? 'new ' : ''}mobile phone number ${options.sentTo}.`,
          `The code expires after ${limits.securityCodeLifetimeSeconds / 60} minutes.`,
        ],
  action: options.action,
  fields: [fields.code],
  submit: 'Continue',
  secondary: [
    ...(options.factor === 'app'
      ? []
      : [{ action: options.resendAction, text: 'Send the code again', heading: 'Not received a code?' }]),
    ...(options.secondary ?? []),
  ],
  links: options.links ?? [],
});

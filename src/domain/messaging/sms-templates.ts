import type { SmsMessage } from './message-senders.ts';
import { describeMinutes } from './message-wording.ts';

/**
 * The security code text message. The code comes first so it shows in the phone's notification;
 * the wording keeps to the GSM 7-bit alphabet, so it fits one message part.
 */
export const securityCodeTextMessage = (input: {
  readonly to: string;
  readonly serviceName: string;
  readonly code: string;
  readonly validForMinutes: number;
}): SmsMessage => ({
  kind: 'security-code',
  to: input.to,
  text: `${input.code} is your ${input.serviceName} security code. It expires in ${describeMinutes(input.validForMinutes)}. Do not share it with anyone.`,
});

/**
 * Sent to the old number when the account's mobile number is changed: the patient hears of it on
 * the phone that was theirs, as well as by email. It names no number and holds no link.
 */
export const phoneChangedTextMessage = (input: {
  readonly to: string;
  readonly serviceName: string;
}): SmsMessage => ({
  kind: 'phone-changed',
  to: input.to,
  text: `The mobile number for your ${input.serviceName} account has been changed. If this was not you, use the link in the email we sent you to cancel it, or contact ${input.serviceName} support.`,
});

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

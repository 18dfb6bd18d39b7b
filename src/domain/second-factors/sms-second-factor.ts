import type { Account } from '../accounts/account.ts';
import { maskPhoneNumber } from '../accounts/phone-number.ts';
import {
  NoSecondFactorError,
  type SecondFactorChallenge,
  type SecondFactorMethod,
  type SecondFactorPurpose,
} from './second-factor.ts';
import type { SecurityCodeDelivery } from './security-code-delivery.ts';

/** The mobile phone on the account: a 6-digit code by text message, bound to the purpose. */
export class SmsSecondFactor implements SecondFactorMethod {
  readonly kind = 'sms';
  readonly #delivery: SecurityCodeDelivery;

  constructor(delivery: SecurityCodeDelivery) {
    this.#delivery = delivery;
  }

  isSetUp(account: Account): boolean {
    return account.phoneNumber !== undefined;
  }

  async challenge(
    account: Account,
    purpose: SecondFactorPurpose,
    sourceIp: string,
  ): Promise<SecondFactorChallenge> {
    const phoneNumber = this.#phoneOf(account);
    await this.#delivery.send({ account, purpose, channel: 'sms', destination: phoneNumber, sourceIp });
    return { kind: this.kind, sentTo: maskPhoneNumber(phoneNumber) };
  }

  async verify(account: Account, purpose: SecondFactorPurpose, answer: string, sourceIp: string) {
    this.#phoneOf(account);
    await this.#delivery.verify({ account, purpose, code: answer, sourceIp });
  }

  #phoneOf(account: Account): string {
    if (!account.phoneNumber) throw new NoSecondFactorError('The account has no mobile phone number.');
    return account.phoneNumber;
  }
}

import {
  NoSecondFactorError,
  type SecondFactorChallenge,
  type SecondFactors,
} from '../second-factors/second-factor.ts';
import type { SecurityCodeDelivery } from '../second-factors/security-code-delivery.ts';
import type { Account } from './account.ts';
import type { NewPhoneNumbers } from './new-phone-numbers.ts';

export interface LoginSecondFactorDependencies {
  readonly secondFactors: SecondFactors;
  readonly delivery: SecurityCodeDelivery;
  readonly newPhones: NewPhoneNumbers;
}

/** Where the second step of a login stands, as the session keeps it between pages. */
export interface LoginSecondStep {
  /** A first login's new mobile number, until its code is entered (E.164). */
  readonly pendingPhoneNumber?: string | undefined;
  /** Where the last code went (`app`: the authenticator app shows it). */
  readonly codeChannel?: 'sms' | 'email' | 'app' | undefined;
}

/** How the second step was passed, for the session and the vector of trust. */
export type LoginSecondFactorPassed = 'sms-code' | 'email-code' | 'app-code';

/**
 * The second step of every login: the account's second factor, or at a first login a mobile
 * number to confirm (there is no login without one). A code by email is a fallback for patients
 * without signal, offered only to an account whose second factor is already set up and only after
 * its password: never at a first login, never to add or replace a phone, never in a reset.
 */
export class LoginSecondFactor {
  readonly #deps: LoginSecondFactorDependencies;

  constructor(deps: LoginSecondFactorDependencies) {
    this.#deps = deps;
  }

  /** Whether the account must still confirm a first second factor before any login can finish. */
  needsFirstFactor(account: Account): boolean {
    return !this.#deps.secondFactors.has(account);
  }

  /**
   * After the password: challenges the account's preferred second factor (the authenticator app
   * when it has one, else a text; NoSecondFactorError when it has none).
   */
  async start(account: Account, sourceIp: string): Promise<SecondFactorChallenge> {
    return this.#deps.secondFactors.of(account).challenge(account, 'login', sourceIp);
  }

  /** A code by text instead of the app's ("Text me a code instead"): for an account with a phone. */
  async sendByText(account: Account, sourceIp: string): Promise<SecondFactorChallenge> {
    const sms = this.#deps.secondFactors.get(account, 'sms');
    if (!sms) throw new NoSecondFactorError('The account has no mobile phone number.');
    return sms.challenge(account, 'login', sourceIp);
  }

  /** Whether the account can be texted a code instead of its preferred factor. */
  canText(account: Account): boolean {
    return this.#deps.secondFactors.get(account, 'sms') !== undefined;
  }

  /** The login code by email instead of the second factor; only for an account that has one set up. */
  async sendByEmail(account: Account, sourceIp: string): Promise<void> {
    this.#requireFactor(account);
    await this.#deps.delivery.send({
      account,
      purpose: 'login-email',
      channel: 'email',
      destination: account.email,
      sourceIp,
    });
  }

  /** Sends the code of the step in progress again: the new number's, the email fallback's, or the factor's. */
  async resend(account: Account, step: LoginSecondStep, sourceIp: string): Promise<void> {
    if (step.pendingPhoneNumber)
      await this.#deps.newPhones.resendCode(account, step.pendingPhoneNumber, 'add-phone', sourceIp);
    else if (step.codeChannel === 'email') await this.sendByEmail(account, sourceIp);
    else if (step.codeChannel === 'sms') await this.sendByText(account, sourceIp);
    else await this.start(account, sourceIp);
  }

  /** Checks the code of the step in progress; a first login's number is kept once its code is right. */
  async verify(
    account: Account,
    step: LoginSecondStep,
    code: string,
    sourceIp: string,
  ): Promise<LoginSecondFactorPassed> {
    if (step.pendingPhoneNumber) {
      await this.#deps.newPhones.addFirst(account, step.pendingPhoneNumber, code, sourceIp);
      return 'sms-code';
    }
    if (step.codeChannel === 'email') {
      this.#requireFactor(account);
      await this.#deps.delivery.verify({ account, purpose: 'login-email', code, sourceIp });
      return 'email-code';
    }
    const kind = step.codeChannel === 'app' ? 'app' : 'sms';
    const factor = this.#deps.secondFactors.get(account, kind);
    if (!factor) throw new NoSecondFactorError(`The account has no ${kind} second factor.`);
    await factor.verify(account, 'login', code, sourceIp);
    return kind === 'app' ? 'app-code' : 'sms-code';
  }

  #requireFactor(account: Account) {
    if (!this.#deps.secondFactors.has(account))
      throw new NoSecondFactorError('A code by email is only for an account with a second factor.');
  }
}

import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { SecurityCodeDelivery } from '../second-factors/security-code-delivery.ts';
import type { Account, AccountStore } from './account.ts';
import { checkMobileNumber } from './phone-number.ts';

export interface NewPhoneNumbersDependencies {
  readonly accounts: AccountStore;
  readonly delivery: SecurityCodeDelivery;
  readonly audit: AuditLog;
  readonly clock: Clock;
  /** Countries whose mobile numbers may be added (ISO 3166 codes). */
  readonly allowedPhoneCountries: readonly string[];
  /** Whether Ofcom's drama numbers (07700 900xxx) may be used: the local stack and test stages only. */
  readonly allowTestPhoneNumbers: boolean;
}

/** Why a new number is being confirmed: the first one at a first login, or a replacement in settings. */
export type NewPhonePurpose = 'add-phone' | 'change-phone';

/** A first phone number was asked for an account that has one: only settings may change it. */
export class PhoneAlreadyAddedError extends DomainError {
  readonly code = 'phone_already_added';
  readonly status = 403;
}

/**
 * Confirming a mobile number the account does not have yet: the number is checked, texted a code
 * bound to it, and kept only once that code is entered. Never by email: a code by email proves
 * the mailbox, not the phone.
 */
export class NewPhoneNumbers {
  readonly #deps: NewPhoneNumbersDependencies;

  constructor(deps: NewPhoneNumbersDependencies) {
    this.#deps = deps;
  }

  /** Checks the number typed and texts it a code; returns it (E.164) to keep until the code is entered. */
  async sendCode(
    account: Account,
    input: string,
    purpose: NewPhonePurpose,
    sourceIp: string,
  ): Promise<string> {
    const check = checkMobileNumber(input, {
      allowedCountries: this.#deps.allowedPhoneCountries,
      allowTestNumbers: this.#deps.allowTestPhoneNumbers,
    });
    if (!check.ok) throw new InvalidInputError([check.problem]);
    this.#refuseFirstNumberTwice(account, purpose);
    // A change to the number the account already has would text a code for nothing.
    if (purpose === 'change-phone' && check.e164 === account.phoneNumber)
      throw new InvalidInputError([
        {
          field: 'phoneNumber',
          message:
            'This is already your mobile phone number. Enter a different number, or go back to your settings',
        },
      ]);
    await this.resendCode(account, check.e164, purpose, sourceIp);
    return check.e164;
  }

  /** Texts the pending number a new code (the send caps apply). */
  async resendCode(account: Account, phoneNumber: string, purpose: NewPhonePurpose, sourceIp: string) {
    this.#refuseFirstNumberTwice(account, purpose);
    await this.#deps.delivery.send({
      account,
      purpose,
      channel: 'sms',
      destination: phoneNumber,
      sourceIp,
      bindToDestination: true,
    });
  }

  /** Checks the code texted to the pending number (it works for that number only). */
  async checkCode(
    account: Account,
    phoneNumber: string,
    code: string,
    purpose: NewPhonePurpose,
    sourceIp: string,
  ) {
    this.#refuseFirstNumberTwice(account, purpose);
    await this.#deps.delivery.verify({ account, purpose, code, sourceIp, destination: phoneNumber });
  }

  /** A first login's number, once its code is right: the account's second factor from now on. */
  async addFirst(account: Account, phoneNumber: string, code: string, sourceIp: string): Promise<void> {
    await this.checkCode(account, phoneNumber, code, 'add-phone', sourceIp);
    await this.#deps.accounts.setPhoneNumber(account.accountId, phoneNumber);
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'phone-added',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
  }

  // Adding a first number needs only the password; replacing one goes through settings, after a full login.
  #refuseFirstNumberTwice(account: Account, purpose: NewPhonePurpose) {
    if (purpose === 'add-phone' && account.phoneNumber)
      throw new PhoneAlreadyAddedError('The account has a phone number.');
  }
}

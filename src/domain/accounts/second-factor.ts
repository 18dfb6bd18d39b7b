import type { AuditEventType, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { CodeSendThrottle } from '../limits/code-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { securityCodeEmailMessage } from '../messaging/email-templates.ts';
import type { EmailSender, SmsSender } from '../messaging/message-senders.ts';
import { securityCodeTextMessage } from '../messaging/sms-templates.ts';
import {
  IncorrectSecurityCodeError,
  MalformedSecurityCodeError,
  NoSecurityCodeError,
  SecurityCodeExpiredError,
  SecurityCodeUsedError,
} from '../security-codes/security-code-errors.ts';
import type { SecurityCodePurpose } from '../security-codes/security-code-store.ts';
import type { SecurityCodes } from '../security-codes/security-codes.ts';
import type { Account, AccountStore } from './account.ts';
import type { PatientServiceSettings } from './patient-service.ts';
import { checkMobileNumber } from './phone-number.ts';

export interface SecondFactorDependencies {
  readonly accounts: AccountStore;
  readonly codes: SecurityCodes;
  readonly sendThrottle: CodeSendThrottle;
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
  /** Countries whose mobile numbers may be added (ISO 3166 codes). */
  readonly allowedPhoneCountries: readonly string[];
  /** Whether Ofcom's drama numbers (07700 900xxx) may be used: the local stack and test stages only. */
  readonly allowTestPhoneNumbers: boolean;
}

export type CodeChannel = 'sms' | 'email';

/** A first phone number was asked for an account that has one: only settings may change it. */
export class PhoneAlreadyAddedError extends DomainError {
  readonly code = 'phone_already_added';
  readonly status = 403;
}

/**
 * The security-code step: adding a mobile number at first login, and a code at every login after,
 * by text or (for patients without signal) by email.
 */
export class SecondFactor {
  readonly #deps: SecondFactorDependencies;

  constructor(deps: SecondFactorDependencies) {
    this.#deps = deps;
  }

  /**
   * Checks a new mobile number and texts it a code (to add a first number, or to change it);
   * returns the number (E.164) to keep in the journey until the code is entered.
   */
  async sendPhoneCode(
    account: Account,
    input: string,
    sourceIp: string,
    purpose: 'add-phone' | 'change-phone' = 'add-phone',
  ): Promise<string> {
    const check = checkMobileNumber(input, {
      allowedCountries: this.#deps.allowedPhoneCountries,
      allowTestNumbers: this.#deps.allowTestPhoneNumbers,
    });
    if (!check.ok) throw new InvalidInputError([check.problem]);
    // Adding a first number needs only the password; replacing one goes through settings, after a full login.
    if (purpose === 'add-phone' && account.phoneNumber)
      throw new PhoneAlreadyAddedError('The account has a phone number.');
    await this.#send(account, purpose, 'sms', check.e164, sourceIp);
    return check.e164;
  }

  /** Sends a login code to the account's phone, or to its email address when asked. */
  async sendLoginCode(account: Account, channel: CodeChannel, sourceIp: string): Promise<void> {
    const destination = channel === 'sms' ? account.phoneNumber : account.email;
    if (!destination) throw new Error('The account has no phone number to send a code to');
    await this.#send(account, 'login', channel, destination, sourceIp);
  }

  /** Resends the code of a journey in progress: the pending phone number's, or the login code. */
  async resend(
    account: Account,
    pendingPhoneNumber: string | undefined,
    channel: CodeChannel,
    sourceIp: string,
    phonePurpose: 'add-phone' | 'change-phone' = 'add-phone',
  ) {
    if (pendingPhoneNumber) await this.#send(account, phonePurpose, 'sms', pendingPhoneNumber, sourceIp);
    else await this.sendLoginCode(account, channel, sourceIp);
  }

  /** Checks a login code, or the code of a first phone number, which is then kept on the account. */
  async verify(
    account: Account,
    code: string,
    pendingPhoneNumber: string | undefined,
    sourceIp: string,
  ): Promise<void> {
    if (pendingPhoneNumber && account.phoneNumber)
      throw new PhoneAlreadyAddedError('The account has a phone number.');
    await this.verifyCode(
      account,
      pendingPhoneNumber ? 'add-phone' : 'login',
      code,
      sourceIp,
      pendingPhoneNumber,
    );
    if (pendingPhoneNumber) {
      await this.#deps.accounts.setPhoneNumber(account.accountId, pendingPhoneNumber);
      await this.#audit(account, 'phone-added', sourceIp);
    }
  }

  /** Checks a code for a purpose; a wrong one is an InvalidInputError for the code field. */
  async verifyCode(
    account: Account,
    purpose: SecurityCodePurpose,
    code: string,
    sourceIp: string,
    destination?: string,
  ): Promise<void> {
    try {
      await this.#deps.codes.verify({
        accountId: account.accountId,
        purpose,
        code,
        ...(destination ? { destination } : {}),
      });
    } catch (error) {
      if (error instanceof TooManyAttemptsError)
        await this.#audit(account, 'locked-out', sourceIp, error.reason);
      const message = codeMessage(error);
      if (!message) throw error;
      await this.#audit(account, 'code-failed', sourceIp, (error as DomainError).code);
      throw new InvalidInputError([{ field: 'code', message }]);
    }
    await this.#audit(account, 'code-verified', sourceIp, purpose);
  }

  async #audit(account: Account, type: AuditEventType, sourceIp: string, detail?: string) {
    await this.#deps.audit.record({
      accountId: account.accountId,
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
      ...(detail ? { detail } : {}),
    });
  }

  async #send(
    account: Account,
    purpose: SecurityCodePurpose,
    channel: CodeChannel,
    destination: string,
    sourceIp: string,
  ) {
    const { sendThrottle, codes, service, limits } = this.#deps;
    try {
      await sendThrottle.checkAllowed(account.accountId, destination);
      await sendThrottle.reserve(account.accountId, destination);
    } catch (error) {
      if (error instanceof TooManyAttemptsError)
        await this.#audit(account, 'code-send-refused', sourceIp, error.reason);
      throw error;
    }
    // A new number's code only confirms that number; a login code goes wherever the patient chose.
    const boundTo = purpose === 'login' ? {} : { destination };
    const code = await codes.issue({ accountId: account.accountId, purpose, channel, ...boundTo });
    const minutes = limits.securityCodeLifetimeSeconds / 60;
    if (channel === 'sms') {
      await this.#deps.sms.send(
        securityCodeTextMessage({
          to: destination,
          code,
          serviceName: service.serviceName,
          validForMinutes: minutes,
        }),
      );
    } else {
      await this.#deps.email.send(
        securityCodeEmailMessage({
          to: destination,
          code,
          serviceName: service.serviceName,
          validForMinutes: minutes,
        }),
      );
    }
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'code-sent',
      at: this.#deps.clock().toISOString(),
      sourceIp,
      detail: channel,
    });
  }
}

/** What the code page says for each way a code can be refused (a lockout is a page of its own). */
const codeMessage = (error: unknown): string | undefined => {
  if (error instanceof MalformedSecurityCodeError) return 'Enter the 6-digit security code';
  if (error instanceof IncorrectSecurityCodeError) {
    const left = error.attemptsLeft;
    return `The security code is not right. You have ${left} ${left === 1 ? 'try' : 'tries'} left`;
  }
  if (error instanceof SecurityCodeExpiredError)
    return 'The security code has expired. Select ‘Send the code again’';
  if (error instanceof NoSecurityCodeError || error instanceof SecurityCodeUsedError) {
    return 'This security code can no longer be used. Select ‘Send the code again’';
  }
  return undefined;
};

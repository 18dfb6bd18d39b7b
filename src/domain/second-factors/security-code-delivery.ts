import type { Account } from '../accounts/account.ts';
import type { PatientServiceSettings } from '../accounts/patient-service.ts';
import type { AuditEventType, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { DomainError } from '../errors.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { CodeSendThrottle } from '../limits/code-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import type { TextMessageCaps, TextReservation } from '../limits/text-message-caps.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { securityCodeEmailMessage } from '../messaging/email-templates.ts';
import type { EmailSender, SmsSender } from '../messaging/message-senders.ts';
import { securityCodeTextMessage } from '../messaging/sms-templates.ts';
import {
  IncorrectSecurityCodeError,
  MalformedSecurityCodeError,
  NoSecurityCodeError,
  SecurityCodeExpiredError,
  SecurityCodeReplacedError,
  SecurityCodeUsedError,
} from '../security-codes/security-code-errors.ts';
import type { SecurityCodeChannel, SecurityCodePurpose } from '../security-codes/security-code-store.ts';
import type { SecurityCodes } from '../security-codes/security-codes.ts';

export interface SecurityCodeDeliveryDependencies {
  readonly codes: SecurityCodes;
  readonly sendThrottle: CodeSendThrottle;
  readonly textCaps: TextMessageCaps;
  readonly sms: SmsSender;
  readonly email: EmailSender;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
}

export interface CodeDelivery {
  readonly account: Account;
  readonly purpose: SecurityCodePurpose;
  readonly channel: SecurityCodeChannel;
  /** E.164 for a text, an address for an email. */
  readonly destination: string;
  readonly sourceIp: string;
  /** Whether the code only works with this destination (a new phone number's code confirms that number). */
  readonly bindToDestination?: boolean;
}

/**
 * Sends and checks 6-digit security codes for every journey that uses them, with every cap
 * applied on the way out (per account, per destination, and for texts per network, per account
 * per day and the service-wide ceiling on new numbers) and every step audited.
 */
export class SecurityCodeDelivery {
  readonly #deps: SecurityCodeDeliveryDependencies;

  constructor(deps: SecurityCodeDeliveryDependencies) {
    this.#deps = deps;
  }

  /** Sends a new code (replacing the purpose's earlier one); TooManyAttemptsError when a cap refuses it. */
  async send(delivery: CodeDelivery): Promise<void> {
    const { account, purpose, channel, destination, sourceIp } = delivery;
    const { sendThrottle, textCaps, codes, service, limits } = this.#deps;
    let text: TextReservation | undefined;
    // A destination not yet confirmed (a new number) is counted apart from confirmed ones.
    const counted = { address: destination, confirmed: !delivery.bindToDestination };
    try {
      // The send caps and, for a text, the text caps after them, while the number is looked up.
      const sendCaps = sendThrottle.caps(account.accountId, counted);
      if (channel === 'sms')
        text = await textCaps.reserve(
          { accountId: account.accountId, phoneNumber: destination, sourceIp },
          sendCaps,
        );
      else await sendThrottle.reserve(account.accountId, counted);
    } catch (error) {
      if (!(error instanceof TooManyAttemptsError)) throw error;
      const shown = await sendThrottle.refusalToShow(error, counted);
      await this.#audit(account, 'code-send-refused', sourceIp, shown.reason);
      throw shown;
    }
    const code = await codes.issue({
      accountId: account.accountId,
      purpose,
      channel,
      ...(delivery.bindToDestination ? { destination } : {}),
    });
    const message = {
      to: destination,
      code,
      serviceName: service.serviceName,
      validForMinutes: limits.securityCodeLifetimeSeconds / 60,
    };
    if (channel === 'sms') {
      await this.#deps.sms.send(securityCodeTextMessage(message));
      // Two independent records of the same sent text: written together.
      await Promise.all([
        textCaps.recordSent(destination, text),
        this.#audit(account, 'code-sent', sourceIp, channel),
      ]);
    } else {
      await this.#deps.email.send(securityCodeEmailMessage(message));
      await this.#audit(account, 'code-sent', sourceIp, channel);
    }
  }

  /**
   * Checks a code for a purpose. A wrong, expired or spent code is an InvalidInputError for the
   * `code` field saying what to do; too many wrong codes a TooManyAttemptsError.
   */
  /**
   * An answer checked by its factor (an authenticator app's code, a recovery code), with the same
   * attempt limits, page messages and audit events as a code we sent: `check` says if it is right.
   */
  async verifyAnswer(answer: {
    readonly account: Account;
    readonly purpose: string;
    readonly sourceIp: string;
    readonly wellFormed: boolean;
    readonly check: () => Promise<boolean>;
    /** What the page asks for when the entry is not even the right shape. */
    readonly malformedMessage: string;
  }): Promise<void> {
    const { account, purpose, sourceIp } = answer;
    await this.#refusingWith(account, sourceIp, answer.malformedMessage, () =>
      this.#deps.codes.verifyAnswer({
        accountId: account.accountId,
        wellFormed: answer.wellFormed,
        check: answer.check,
      }),
    );
    await this.#audit(account, 'code-verified', sourceIp, purpose);
  }

  /** Runs a verification, turning each refusal into the code page's message (a lockout is audited and thrown on). */
  async #refusingWith(
    account: Account,
    sourceIp: string,
    malformedMessage: string | undefined,
    verification: () => Promise<void>,
  ): Promise<void> {
    try {
      await verification();
    } catch (error) {
      if (error instanceof TooManyAttemptsError)
        await this.#audit(account, 'locked-out', sourceIp, error.reason);
      const message =
        malformedMessage && error instanceof MalformedSecurityCodeError
          ? malformedMessage
          : codeMessage(error);
      if (!message) throw error;
      await this.#audit(account, 'code-failed', sourceIp, (error as DomainError).code);
      throw new InvalidInputError([{ field: 'code', message }]);
    }
  }

  async verify(check: {
    readonly account: Account;
    readonly purpose: SecurityCodePurpose;
    readonly code: string;
    readonly sourceIp: string;
    /** The destination the code was bound to, when it was. */
    readonly destination?: string;
  }): Promise<void> {
    const { account, purpose, code, sourceIp, destination } = check;
    await this.#refusingWith(account, sourceIp, undefined, () =>
      this.#deps.codes.verify({
        accountId: account.accountId,
        purpose,
        code,
        ...(destination ? { destination } : {}),
      }),
    );
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
}

/** What the code page says for each way a code can be refused (a lockout is a page of its own). */
const codeMessage = (error: unknown): string | undefined => {
  if (error instanceof MalformedSecurityCodeError) return 'Enter the 6-digit security code';
  if (error instanceof IncorrectSecurityCodeError) {
    const left = error.attemptsLeft;
    return `The security code is not right. You have ${left} ${left === 1 ? 'try' : 'tries'} left`;
  }
  if (error instanceof SecurityCodeReplacedError)
    return 'We have sent you a newer security code. Enter the code from the newest message';
  if (error instanceof SecurityCodeExpiredError)
    return 'The security code has expired. Select ‘Send the code again’';
  if (error instanceof NoSecurityCodeError || error instanceof SecurityCodeUsedError) {
    return 'This security code can no longer be used. Select ‘Send the code again’';
  }
  return undefined;
};

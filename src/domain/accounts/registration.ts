import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { CommonPasswordList } from '../credentials/common-passwords.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { checkNewPassword } from '../credentials/password-policy.ts';
import { type FieldProblem, InvalidInputError } from '../invalid-input-error.ts';
import type { EmailSendThrottle } from '../limits/email-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import {
  BrokenLinkError,
  LinkExpiredError,
  LinkUsedError,
  type OneTimeLinks,
  UnknownLinkError,
} from '../links/one-time-links.ts';
import { alreadyRegisteredMessage, confirmEmailMessage } from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import { PatientProblemError } from '../patient-problems.ts';
import { type Account, type AccountStore, normaliseEmail } from './account.ts';
import { EmailAlreadyRegisteredError } from './account-errors.ts';
import { checkEmailAddress } from './email-address.ts';
import type { PatientServiceSettings } from './patient-service.ts';

export interface RegistrationDependencies {
  readonly accounts: AccountStore;
  readonly links: OneTimeLinks;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly email: EmailSender;
  readonly audit: AuditLog;
  readonly emailThrottle: EmailSendThrottle;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
  readonly newId?: () => string;
}

export interface RegistrationRequest {
  readonly email: string;
  readonly password: string;
  readonly termsAccepted: boolean;
  readonly sourceIp: string;
}

/** An unknown well-formed token is almost always one deleted after it expired, so it reads as expired. */
const confirmationLinkProblem = (error: unknown): unknown => {
  if (error instanceof LinkUsedError) return new PatientProblemError('confirmation-link-used');
  if (
    error instanceof LinkExpiredError ||
    error instanceof UnknownLinkError ||
    error instanceof BrokenLinkError
  ) {
    return new PatientProblemError('confirmation-link-expired', { logDetail: error.code });
  }
  return error;
};

/**
 * Creating an account: the form is checked, then a confirmation link is emailed; the account
 * exists once the link is opened. Whether the address is registered already is never revealed:
 * its owner is emailed instead, and the page and the work done are the same either way.
 */
export class Registration {
  readonly #deps: RegistrationDependencies;

  constructor(deps: RegistrationDependencies) {
    this.#deps = deps;
  }

  /** Throws InvalidInputError with every problem of the form; otherwise emails the address. */
  async start(request: RegistrationRequest): Promise<void> {
    const email = request.email.trim();
    const problems: FieldProblem[] = [
      ...checkEmailAddress(email),
      ...checkNewPassword(request.password, { email, commonPasswords: this.#deps.commonPasswords }).map(
        (problem) => ({ field: 'password', message: problem.message }),
      ),
      ...(request.termsAccepted
        ? []
        : [{ field: 'terms', message: 'Confirm that you agree to the terms of use' }]),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);

    // Hashed whether or not the address is registered, so the time taken gives nothing away.
    const passwordHash = await this.#deps.hasher.hash(request.password);
    if (!(await this.#deps.emailThrottle.admit(normaliseEmail(email), request.sourceIp))) return;
    const { service } = this.#deps;
    if (await this.#deps.accounts.findByEmail(email)) {
      await this.#deps.email.send(
        alreadyRegisteredMessage({
          to: email,
          serviceName: service.serviceName,
          resetPasswordLink: `${service.baseUrl}/password/forgotten`,
        }),
      );
      return;
    }
    const lifetime = this.#deps.limits.confirmationLinkLifetimeSeconds;
    const token = await this.#deps.links.issue('confirm-email', { email, passwordHash }, lifetime);
    await this.#deps.email.send(
      confirmEmailMessage({
        to: email,
        serviceName: service.serviceName,
        link: `${service.baseUrl}/register/confirm?token=${token}`,
        validForMinutes: lifetime / 60,
      }),
    );
  }

  /** Whether a confirmation link can still be used, without using it (the page asks for a click first). */
  async checkLink(token: string | undefined): Promise<void> {
    await this.#deps.links.check('confirm-email', token).catch((error: unknown) => {
      throw confirmationLinkProblem(error);
    });
  }

  /** Uses a confirmation link: creates the account, or says why the link cannot be used (CID1002, CID1003). */
  async confirm(token: string | undefined, sourceIp: string): Promise<Account> {
    const payload = await this.#deps.links.redeem('confirm-email', token).catch((error: unknown) => {
      throw confirmationLinkProblem(error);
    });
    const newId = this.#deps.newId ?? randomUUID;
    const account: Account = {
      accountId: newId(),
      subject: newId(),
      email: payload.email ?? '',
      passwordHash: payload.passwordHash ?? '',
      proofingLevel: 'P0',
      createdAt: this.#deps.clock().toISOString(),
    };
    try {
      await this.#deps.accounts.create(account);
    } catch (error) {
      // Two links for one address, both opened: the first made the account.
      if (error instanceof EmailAlreadyRegisteredError)
        throw new PatientProblemError('confirmation-link-used');
      throw error;
    }
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'registered',
      at: account.createdAt,
      sourceIp,
    });
    return account;
  }
}

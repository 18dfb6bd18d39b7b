import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { CommonPasswordList } from '../credentials/common-passwords.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { checkNewPassword } from '../credentials/password-policy.ts';
import type { RememberedDevices } from '../devices/remembered-devices.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { EmailSendThrottle } from '../limits/email-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import {
  BrokenLinkError,
  LinkExpiredError,
  type LinkPayload,
  LinkUsedError,
  type OneTimeLinks,
  UnknownLinkError,
} from '../links/one-time-links.ts';
import {
  passwordChangedMessage,
  resetNoAccountMessage,
  resetPasswordMessage,
} from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import { PatientProblemError } from '../patient-problems.ts';
import type { Sessions } from '../sessions/sessions.ts';
import { type Account, type AccountStore, normaliseEmail } from './account.ts';
import { checkEmailAddress } from './email-address.ts';
import type { PatientServiceSettings } from './patient-service.ts';

export interface PasswordResetDependencies {
  readonly accounts: AccountStore;
  readonly links: OneTimeLinks;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly email: EmailSender;
  readonly sessions: Sessions;
  readonly devices: RememberedDevices;
  readonly audit: AuditLog;
  readonly emailThrottle: EmailSendThrottle;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
}

/** Maps what can be wrong with a reset link to its page: expired CID2021, used CID2022, broken CID2023. */
const linkProblem = (error: unknown): unknown => {
  if (error instanceof LinkUsedError) return new PatientProblemError('reset-link-used');
  if (error instanceof LinkExpiredError || error instanceof UnknownLinkError) {
    return new PatientProblemError('reset-link-expired', { logDetail: error.code });
  }
  if (error instanceof BrokenLinkError) return new PatientProblemError('reset-link-broken');
  return error;
};

/**
 * A forgotten password: a single-use link by email (1 hour), then a new password under the same
 * rules, after which every session and remembered device of the account is ended. Whether the
 * address has an account is never revealed.
 */
export class PasswordReset {
  readonly #deps: PasswordResetDependencies;

  constructor(deps: PasswordResetDependencies) {
    this.#deps = deps;
  }

  /**
   * Emails a reset link if the address has an account, and otherwise an email saying there is
   * none: the same page, and an email either way, so neither the answer nor its timing tells.
   */
  async request(email: string, sourceIp: string): Promise<void> {
    const problems = checkEmailAddress(email);
    if (problems.length > 0) throw new InvalidInputError(problems);
    if (!(await this.#deps.emailThrottle.admit(normaliseEmail(email), sourceIp))) return;
    const account = await this.#deps.accounts.findByEmail(email);
    const { service } = this.#deps;
    if (!account) {
      await this.#deps.email.send(
        resetNoAccountMessage({
          to: email.trim(),
          serviceName: service.serviceName,
          registerLink: `${service.baseUrl}/register`,
        }),
      );
      return;
    }
    const lifetime = this.#deps.limits.resetLinkLifetimeSeconds;
    const token = await this.#deps.links.issue('reset-password', { accountId: account.accountId }, lifetime);
    await this.#deps.email.send(
      resetPasswordMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        link: `${this.#deps.service.baseUrl}/password/reset?token=${token}`,
        validForMinutes: lifetime / 60,
      }),
    );
    await this.#audit(account, 'password-reset-requested', sourceIp);
  }

  /** Checks a link before the new-password form is shown; throws the link's problem page. */
  async checkLink(token: string | undefined): Promise<void> {
    await this.#deps.links.check('reset-password', token).catch((error: unknown) => {
      throw linkProblem(error);
    });
  }

  /** Sets the new password, ends every session and remembered device, and tells the patient by email. */
  async complete(token: string | undefined, password: string, sourceIp: string): Promise<void> {
    const checked = await this.#deps.links.check('reset-password', token).catch((error: unknown) => {
      throw linkProblem(error);
    });
    const account = await this.#accountOf(checked);
    const problems = checkNewPassword(password, {
      email: account.email,
      commonPasswords: this.#deps.commonPasswords,
    });
    if (problems.length > 0) {
      throw new InvalidInputError(
        problems.map((problem) => ({ field: 'password', message: problem.message })),
      );
    }
    await this.#deps.links.redeem('reset-password', token).catch((error: unknown) => {
      throw linkProblem(error);
    });
    await this.#deps.accounts.updatePasswordHash(account.accountId, await this.#deps.hasher.hash(password));
    await Promise.all([
      this.#deps.accounts
        .revokeSessions(account.accountId)
        .then(() => this.#deps.sessions.endAllFor(account.accountId)),
      this.#deps.devices.forgetAll(account.accountId),
    ]);
    await this.#audit(account, 'password-reset', sourceIp);
    const { service } = this.#deps;
    await this.#deps.email.send(
      passwordChangedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
        resetPasswordLink: `${service.baseUrl}/password/forgotten`,
      }),
    );
  }

  async #accountOf(payload: LinkPayload): Promise<Account> {
    const account = await this.#deps.accounts.findById(payload.accountId ?? '');
    if (!account) throw new PatientProblemError('reset-link-expired', { logDetail: 'account-gone' });
    return account;
  }

  async #audit(account: Account, type: 'password-reset-requested' | 'password-reset', sourceIp: string) {
    await this.#deps.audit.record({
      accountId: account.accountId,
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
  }
}

import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { CommonPasswordList } from '../credentials/common-passwords.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { checkNewPassword } from '../credentials/password-policy.ts';
import type { RememberedDevices } from '../devices/remembered-devices.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import { passwordChangedMessage } from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import type { Sessions } from '../sessions/sessions.ts';
import { type AccountStore, passwordThrottleKey } from './account.ts';
import type { AccountLinks } from './account-links.ts';
import type { AccountRecovery, RecoveryStep } from './account-recovery.ts';
import type { PatientServiceSettings } from './patient-service.ts';

export interface PasswordResetDependencies {
  readonly accounts: AccountStore;
  readonly recovery: AccountRecovery;
  readonly accountLinks: AccountLinks;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly email: EmailSender;
  readonly sessions: Sessions;
  readonly devices: RememberedDevices;
  readonly throttle: PasswordThrottle;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly service: PatientServiceSettings;
}

/**
 * A forgotten password: a single-use link by email (1 hour) and the account's second factor, then a
 * new password under the same rules. Afterwards every session and remembered device of the
 * account is ended, every other pending link of the account stops working, and every wrong
 * password counted against it is forgotten (a reset lifts any delay or hard stop).
 */
export class PasswordReset {
  readonly #deps: PasswordResetDependencies;

  constructor(deps: PasswordResetDependencies) {
    this.#deps = deps;
  }

  /** Emails a reset link, or a "there is no account" email; nothing on the page or in its timing tells which. */
  async request(email: string, sourceIp: string): Promise<void> {
    await this.#deps.recovery.request('reset-password', email, sourceIp);
  }

  /** Sets the new password once the link and the second factor have both been passed. */
  async complete(step: RecoveryStep, password: string, sourceIp: string): Promise<void> {
    const { recovery, accounts, hasher } = this.#deps;
    const ready = await recovery.ready(step);
    const problems = checkNewPassword(password, {
      email: ready.email,
      commonPasswords: this.#deps.commonPasswords,
    });
    if (problems.length > 0) {
      throw new InvalidInputError(
        problems.map((problem) => ({ field: 'password', message: problem.message })),
      );
    }
    const passwordHash = await hasher.hash(password);
    const account = await recovery.finish(step);
    await accounts.updatePasswordHash(account.accountId, passwordHash);
    await Promise.all([
      accounts.revokeSessions(account.accountId).then(() => this.#deps.sessions.endAllFor(account.accountId)),
      this.#deps.devices.forgetAll(account.accountId),
      this.#deps.accountLinks.endPending(account),
      this.#deps.throttle.clear(passwordThrottleKey(account.email)),
    ]);
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'password-reset',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
    const { service } = this.#deps;
    await this.#deps.email.send(
      passwordChangedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
        resetPasswordLink: service.pageUrl('password-forgotten'),
      }),
    );
  }
}

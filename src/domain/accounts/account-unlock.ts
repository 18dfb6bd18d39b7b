import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import { passwordThrottleKey } from './account.ts';
import type { AccountRecovery, RecoveryStep } from './account-recovery.ts';

export interface AccountUnlockDependencies {
  readonly recovery: AccountRecovery;
  readonly throttle: PasswordThrottle;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * Unlocking password login after too many wrong passwords, without changing the password: the
 * emailed link and the account's second factor end any delay or hard stop at once, and the
 * browser that did it may log in for a while whatever happens elsewhere (an attacker still
 * guessing cannot lock it out again).
 */
export class AccountUnlock {
  readonly #deps: AccountUnlockDependencies;

  constructor(deps: AccountUnlockDependencies) {
    this.#deps = deps;
  }

  /** Emails an unlock link, or a "there is no account" email; nothing on the page or in its timing tells which. */
  async request(email: string, sourceIp: string): Promise<void> {
    await this.#deps.recovery.request('unlock-account', email, sourceIp);
  }

  /** Forgets every wrong password of the account; returns its throttle key, for the browser's trust. */
  async complete(step: RecoveryStep, sourceIp: string): Promise<string> {
    const account = await this.#deps.recovery.finish(step);
    const accountKey = passwordThrottleKey(account.email);
    await this.#deps.throttle.clear(accountKey);
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'account-unlocked',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
    return accountKey;
  }
}

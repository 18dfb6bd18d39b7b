import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { Passkeys } from '../passkeys/passkeys.ts';
import type { SecondFactorChallenge, SecondFactors } from '../second-factors/second-factor.ts';
import type { Account } from './account.ts';
import type { AccountSettings } from './account-settings.ts';

export interface ReauthenticationDependencies {
  readonly settings: Pick<AccountSettings, 'confirmPassword'>;
  readonly secondFactors: SecondFactors;
  /** A passkey of the account may stand for its second factor. */
  readonly passkeys: Pick<Passkeys, 'hasAny' | 'confirmIdentity'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * The recent re-authentication gate's checks: the password again (under the login throttle), then
 * the account's second factor for the purpose `reauthenticate`. The session keeps when each was
 * passed; `isRecentlyReauthenticated` says whether that is recent enough for a change.
 */
export class Reauthentication {
  readonly #deps: ReauthenticationDependencies;

  constructor(deps: ReauthenticationDependencies) {
    this.#deps = deps;
  }

  /** InvalidInputError (field `password`) when it is not right. */
  async checkPassword(account: Account, password: string, sourceIp: string): Promise<void> {
    await this.#deps.settings.confirmPassword(account, password, sourceIp);
  }

  /** Whether the account has a second factor to ask for (an account always has one after its first login). */
  hasSecondFactor(account: Account): boolean {
    return this.#deps.secondFactors.has(account);
  }

  async sendCode(account: Account, sourceIp: string): Promise<SecondFactorChallenge> {
    return this.#deps.secondFactors.of(account).challenge(account, 'reauthenticate', sourceIp);
  }

  /** Whether the account has a passkey that may stand for its code. */
  async passkeyOffered(account: Account): Promise<boolean> {
    return this.#deps.passkeys.hasAny(account);
  }

  /** A passkey of the account in place of its code. PasskeyNotVerifiedError when refused. */
  async verifyPasskey(
    account: Account,
    challengeId: string,
    response: AuthenticationResponseJSON,
    sourceIp: string,
  ): Promise<void> {
    await this.#deps.passkeys.confirmIdentity(account, challengeId, response, sourceIp, 'reauthenticate');
    await this.#recordPassed(account, sourceIp);
  }

  async verifyCode(account: Account, code: string, sourceIp: string): Promise<void> {
    await this.#deps.secondFactors.of(account).verify(account, 'reauthenticate', code, sourceIp);
    await this.#recordPassed(account, sourceIp);
  }

  async #recordPassed(account: Account, sourceIp: string): Promise<void> {
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'reauthenticated',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
  }
}

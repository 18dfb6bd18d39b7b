import type { Account, AccountStore } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { DomainError, NotFoundError } from '../errors.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { PasskeyStore } from '../passkeys/passkey.ts';
import { type StaffAccount, StaffNotAllowedError, staffMay } from '../staff/staff-account.ts';
import type { StaffAuditLog } from '../staff/staff-audit.ts';

/** What support may do to a patient's account (seed 003: "contact NHS login support"), with what it does. */
export const supportActions = {
  suspend: {
    label: 'Suspend the account',
    effect: 'Every session ends; the patient sees CID2014 at login until the suspension is lifted.',
  },
  'lift-suspension': {
    label: 'Lift the suspension',
    effect: 'The patient can log in and use services again.',
  },
  'force-password-reset': {
    label: 'Require a new password',
    effect:
      'Every session ends and remembered devices are forgotten; the right password at login leads to resetting it.',
  },
  'new-second-factor': {
    label: 'Require a new second factor',
    effect:
      'The mobile number, authenticator app, passkeys and remembered devices are removed and every session ends; the patient adds a new number at the next login and proves who they are again.',
  },
  'end-sessions': {
    label: 'Log the patient out everywhere',
    effect: 'Every session ends, and services must ask the patient to log in again.',
  },
} as const;

export type SupportActionName = keyof typeof supportActions;

export const isSupportAction = (value: unknown): value is SupportActionName =>
  typeof value === 'string' && Object.hasOwn(supportActions, value);

/** A reason long enough to say what happened, short enough for the record. */
export const MAXIMUM_REASON_LENGTH = 500;

/** The action does not apply to the account as it is (suspending a suspended account, say). */
export class SupportActionRefusedError extends DomainError {
  readonly code = 'support_action_refused';
  readonly status = 409;
}

export interface SupportActionDependencies {
  readonly accounts: Pick<
    AccountStore,
    | 'findById'
    | 'disable'
    | 'liftSuspension'
    | 'requirePasswordReset'
    | 'removeSecondFactors'
    | 'revokeSessions'
  >;
  readonly sessions: { endAllFor(accountId: string): Promise<void> };
  readonly devices: { forgetAll(accountId: string): Promise<void> };
  readonly passkeys: Pick<PasskeyStore, 'forAccount' | 'remove'>;
  readonly audit: AuditLog;
  readonly staffAudit: StaffAuditLog;
  readonly clock: Clock;
}

export interface SupportActionRequest {
  readonly action: SupportActionName;
  readonly accountId: string;
  /** The member of staff taking it, as their account is now (a disabled one or another role is refused). */
  readonly staff: StaffAccount;
  /** Why, in their words: kept in both audit trails. */
  readonly reason: string;
  readonly sourceIp?: string;
}

/**
 * Support's actions on a patient's account. Each is taken by a named member of staff with the
 * support role, with a reason, and recorded twice: in the patient's audit trail (who and why, for
 * the look-up) and in the staff audit log (what each member of staff did).
 */
export class SupportActions {
  readonly #deps: SupportActionDependencies;

  constructor(deps: SupportActionDependencies) {
    this.#deps = deps;
  }

  async take(request: SupportActionRequest): Promise<void> {
    const { staff } = request;
    if (staff.disabled || !staffMay(staff.role, 'support-accounts'))
      throw new StaffNotAllowedError('Only a member of the support team can act on a patient’s account.');
    const reason = request.reason.trim();
    if (reason === '')
      throw new InvalidInputError([{ field: 'reason', message: 'Enter why you are taking this action' }]);
    if (reason.length > MAXIMUM_REASON_LENGTH)
      throw new InvalidInputError([
        { field: 'reason', message: `Reason must be ${MAXIMUM_REASON_LENGTH} characters or fewer` },
      ]);
    const account = await this.#deps.accounts.findById(request.accountId);
    if (!account) throw new NotFoundError('There is no such account.');
    const at = this.#deps.clock().toISOString();
    await this.#apply(request.action, account, at);
    const by = { staffId: staff.staffId, name: staff.name };
    await Promise.all([
      this.#deps.audit.record({
        accountId: account.accountId,
        type: 'support-action',
        at,
        detail: request.action,
        by,
        reason,
        ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
      }),
      this.#deps.staffAudit.record({
        staffId: staff.staffId,
        type: 'support-action',
        at,
        accountId: account.accountId,
        detail: request.action,
        reason,
        ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
      }),
    ]);
  }

  async #apply(action: SupportActionName, account: Account, at: string): Promise<void> {
    const { accounts } = this.#deps;
    switch (action) {
      case 'suspend':
        if (account.disabled)
          throw new SupportActionRefusedError(
            account.disabled.reason === 'suspended'
              ? 'The account is suspended already.'
              : 'The account is disabled by its PDS record already.',
          );
        await accounts.disable(account.accountId, { reason: 'suspended', at });
        await this.#endSessions(account.accountId);
        return;
      case 'lift-suspension':
        if (account.disabled?.reason !== 'suspended')
          throw new SupportActionRefusedError(
            account.disabled
              ? 'The account is disabled by its PDS record, not suspended: it can be used again once the record is corrected.'
              : 'The account is not suspended.',
          );
        await accounts.liftSuspension(account.accountId);
        return;
      case 'force-password-reset':
        await accounts.requirePasswordReset(account.accountId, at);
        await Promise.all([
          this.#endSessions(account.accountId),
          this.#deps.devices.forgetAll(account.accountId),
        ]);
        return;
      case 'new-second-factor':
        // At P0 there is nothing to prove who the patient is with, so a new factor would be
        // whoever knows the password's: suspend the account or require a new password instead.
        if (account.proofingLevel === 'P0')
          throw new SupportActionRefusedError(
            'The account has not proved who the patient is, so a new second factor cannot be checked: suspend it or require a new password instead.',
          );
        await accounts.removeSecondFactors(account.accountId, { level: account.proofingLevel, at });
        await Promise.all([
          this.#endSessions(account.accountId),
          this.#deps.devices.forgetAll(account.accountId),
          this.#removePasskeys(account.accountId),
        ]);
        return;
      case 'end-sessions':
        await this.#endSessions(account.accountId);
        return;
    }
  }

  /** Deleted from the store, and refused if one is written back (the generation moves on). */
  async #endSessions(accountId: string): Promise<void> {
    await this.#deps.accounts.revokeSessions(accountId);
    await this.#deps.sessions.endAllFor(accountId);
  }

  async #removePasskeys(accountId: string): Promise<void> {
    const passkeys = await this.#deps.passkeys.forAccount(accountId);
    await Promise.all(passkeys.map((passkey) => this.#deps.passkeys.remove(accountId, passkey.credentialId)));
  }
}

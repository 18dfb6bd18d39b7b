import type { Account, AccountStore, HeldIdentity } from '../accounts/account.ts';
import type { PatientServiceSettings } from '../accounts/patient-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { ConflictError, DomainError } from '../errors.ts';
import { accountReplacedMessage, identityMovedMessage } from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import { higherProofingLevel } from '../oidc/vectors-of-trust.ts';
import { disabledProblem, PatientProblemError } from '../patient-problems.ts';
import { upliftAccount } from './identity-uplift.ts';
import type { VerifiedIdentity } from './verified-identity.ts';

/** The account has no held identity to replace another with (it was used, or never was). */
export class NothingHeldError extends DomainError {
  readonly code = 'nothing_held';
  readonly status = 409;
}

/** What the "you already have an NHS login" page offers. */
export interface DuplicateChoice {
  /** The held identity is P9 and at least the other account's level: this account may replace it. */
  readonly canReplace: boolean;
}

export interface DuplicateAccountsDependencies {
  readonly accounts: Pick<
    AccountStore,
    'findById' | 'setIdentity' | 'holdIdentity' | 'replace' | 'finishReplacing'
  >;
  readonly audit: AuditLog;
  readonly email: EmailSender;
  readonly clock: Clock;
  readonly service: Pick<PatientServiceSettings, 'serviceName' | 'contactLink'>;
}

/**
 * One account per NHS number, and seed 002's way out when a patient cannot log in to the account
 * that has theirs: "Once you've passed ID checks and logged in to the new account, we'll delete
 * your other account". An account whose proven identity names another account's NHS number holds
 * it (`heldIdentity`); the patient then logs in to the other account, or replaces it: allowed
 * only when the held identity is P9 and at least the other's level (P5 is a claimed identity and
 * never displaces anyone). The replacement moves the NHS number and GP link in one write and
 * deletes the other account; what that account leaves is cleaned up after, and the cleaning
 * resumes on the next try if it is interrupted. Both addresses are emailed. A reviewer's approval
 * (the photo ID route) holds the identity the same way, and the patient chooses at their next login.
 */
export class DuplicateAccounts {
  readonly #deps: DuplicateAccountsDependencies;

  constructor(deps: DuplicateAccountsDependencies) {
    this.#deps = deps;
  }

  /** Whether the held identity may replace the other account. */
  async choice(account: Account): Promise<DuplicateChoice> {
    const held = account.heldIdentity;
    if (!held) throw new NothingHeldError('The account holds no identity.');
    const other = await this.#deps.accounts.findById(held.otherAccountId);
    refuseWhileSuspended(account, other);
    return { canReplace: mayReplace(held, other) };
  }

  /**
   * Replaces the other account with this one, once the patient has said they cannot log in to it;
   * returns this account as it now is. When the other account went meanwhile (deleted, or its
   * number changed), the identity is simply taken, or held again against the account that now
   * has the number.
   */
  async replace(account: Account, sourceIp: string): Promise<Account> {
    const current = await this.#deps.accounts.findById(account.accountId);
    const held = current?.heldIdentity;
    if (!current || !held) {
      // Asked again after the move itself: finish what it left, if anything.
      if (current) await this.finish(current);
      if (current && current.proofingLevel !== 'P0') return current;
      throw new NothingHeldError('The account holds no identity.');
    }
    const other = await this.#deps.accounts.findById(held.otherAccountId);
    refuseWhileSuspended(current, other);
    if (!other || other.identity?.nhsNumber !== held.identity.nhsNumber) {
      // The other account went meanwhile: the identity is taken (the held one is forgotten in the same write).
      const outcome = await upliftAccount(this.#deps, current, held.level, held.identity);
      if (outcome.kind === 'duplicate') throw new ConflictError('Another account has the NHS number now.');
      return outcome.account;
    }
    if (!mayReplace(held, other))
      throw new NothingHeldError('The held identity cannot replace the other account.');
    const identity = takenIdentity(held.identity, other.identity);
    const at = this.#deps.clock().toISOString();
    await this.#deps.accounts.replace(current, other, held.level, identity, { at, sourceIp });
    await this.#deps.audit.record({ accountId: current.accountId, type: 'account-replaced', at, sourceIp });
    await this.finish(current);
    return {
      ...current,
      heldIdentity: undefined,
      proofingLevel: higherProofingLevel(held.level, current.proofingLevel),
      identity,
    };
  }

  /**
   * Deletes what replaced accounts left behind (sessions, devices, consents, links) and tells both
   * addresses; safe to run again, and an interrupted run's emails are sent by the next.
   */
  async finish(account: Pick<Account, 'accountId' | 'email'>): Promise<void> {
    const { serviceName, contactLink } = this.#deps.service;
    await this.#deps.accounts.finishReplacing(account.accountId, async (replaced) => {
      await Promise.all([
        this.#deps.email.send(accountReplacedMessage({ to: replaced.email, serviceName, contactLink })),
        this.#deps.email.send(identityMovedMessage({ to: account.email, serviceName, contactLink })),
      ]);
    });
  }
}

/** Neither account may be changed while ops look at it (suspended, or disabled by its PDS record). */
const refuseWhileSuspended = (current: Account, other: Account | undefined) => {
  for (const account of [current, other]) {
    if (account?.disabled)
      throw new PatientProblemError(disabledProblem(account.disabled.reason), {
        logDetail: account === current ? 'replacing-disabled' : 'replaced-disabled',
      });
  }
};

const mayReplace = (held: HeldIdentity, other: Account | undefined): boolean =>
  held.level === 'P9' &&
  (other === undefined || higherProofingLevel(held.level, other.proofingLevel) === held.level);

/** The identity the replacing account takes: its own, with the other's GP link when it has none of its own. */
const takenIdentity = (held: VerifiedIdentity, other: VerifiedIdentity | undefined): VerifiedIdentity =>
  held.gpLink || !other?.gpLink
    ? held
    : {
        ...held,
        gpLink: other.gpLink,
        sealedGpIntegrationCredentials: other.sealedGpIntegrationCredentials,
      };

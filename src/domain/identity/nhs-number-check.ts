import type { Account, AccountStore } from '../accounts/account.ts';
import { NhsNumberTakenError } from '../accounts/account-errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { Limits } from '../limits/limits.ts';
import type { RateLimiter, RateRule } from '../limits/rate-limiter.ts';
import { PatientProblemError } from '../patient-problems.ts';
import { type Demographics, DemographicsUnavailableError, isNoUsableRecord } from './demographics.ts';

export const pdsBudgetScope = 'pds-requests';

export interface NhsNumberCheckDependencies {
  readonly demographics: Demographics;
  readonly accounts: Pick<AccountStore, 'setIdentity' | 'disable'>;
  readonly rateLimiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
}

/**
 * The NHS number check at login (seed 002: "Every time you log in ... we check your NHS number"):
 * before a code with P5 or P9 claims is issued, PDS is asked for the account's record, within a
 * service-wide budget of requests a second (PDS's rate limit). A superseded number is followed
 * and kept; the record's details refresh what the claims carry. No usable record (invalidated, or
 * none) is CID2011; a record showing a death or errors disables the account (CID2012). When PDS
 * cannot be reached, or the budget is spent, nothing is issued: a page says to try again.
 */
export class NhsNumberCheck {
  readonly #deps: NhsNumberCheckDependencies;
  readonly #budget: RateRule;

  constructor(deps: NhsNumberCheckDependencies) {
    this.#deps = deps;
    this.#budget = { scope: pdsBudgetScope, limit: deps.limits.pdsRequestsPerSecond, windowSeconds: 1 };
  }

  /**
   * Resolves, once PDS has confirmed the number, with the account as it now is (its identity
   * refreshed from the record); throws PatientProblemError otherwise.
   */
  async check(account: Account, sourceIp: string): Promise<Account> {
    const identity = account.identity;
    if (!identity?.nhsNumber) return account;
    const within = await this.#deps.rateLimiter.hit(this.#budget, 'service');
    if (!within.allowed) throw new PatientProblemError('pds-unavailable', { logDetail: 'budget' });
    const at = this.#deps.clock().toISOString();
    const audit = (detail: string) =>
      this.#deps.audit.record({
        accountId: account.accountId,
        type: 'nhs-number-checked',
        at,
        sourceIp,
        detail,
      });
    let record: Awaited<ReturnType<Demographics['retrieve']>>;
    try {
      record = await this.#deps.demographics.retrieve(identity.nhsNumber);
    } catch (error) {
      if (error instanceof DemographicsUnavailableError)
        throw new PatientProblemError('pds-unavailable', {
          logDetail: error.logDetail ?? error.code,
          cause: error,
        });
      if (isNoUsableRecord(error)) {
        await audit(error.code);
        throw new PatientProblemError('nhs-number-problem', { logDetail: error.code });
      }
      throw error;
    }
    if (record.deceased || !record.nhsNumberVerified) {
      await Promise.all([
        this.#deps.accounts.disable(account.accountId, { reason: 'pds-record', at }),
        audit(record.deceased ? 'deceased' : 'unverified'),
      ]);
      throw new PatientProblemError('account-disabled', {
        logDetail: record.deceased ? 'deceased' : 'unverified',
      });
    }
    const refreshed = {
      ...identity,
      nhsNumber: record.nhsNumber,
      givenName: record.givenNames[0] ?? identity.givenName,
      familyName: record.familyName ?? identity.familyName,
      birthdate: record.birthDate ?? identity.birthdate,
      gpOdsCode: record.gpOdsCode ?? identity.gpOdsCode,
      checkedAt: at,
    };
    try {
      await this.#deps.accounts.setIdentity(account.accountId, account.proofingLevel, refreshed);
    } catch (error) {
      // The number PDS now gives (a superseding one) is another account's: used by someone else.
      if (!(error instanceof NhsNumberTakenError)) throw error;
      await Promise.all([
        this.#deps.accounts.disable(account.accountId, { reason: 'pds-record', at }),
        audit('used-by-another-account'),
      ]);
      throw new PatientProblemError('account-disabled', { logDetail: 'used-by-another-account' });
    }
    await audit(record.nhsNumber === identity.nhsNumber ? 'confirmed' : 'superseded');
    return { ...account, identity: refreshed };
  }
}

import type { Account, AccountStore } from '../accounts/account.ts';
import { GpDetailsUsedError } from '../accounts/account-errors.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { type FieldProblem, InvalidInputError } from '../invalid-input-error.ts';
import type { Limits } from '../limits/limits.ts';
import type { RateLimiter, RateRule } from '../limits/rate-limiter.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { disabledProblem, PatientProblemError } from '../patient-problems.ts';
import {
  type Demographics,
  type DemographicsRecord,
  DemographicsUnavailableError,
  isNoUsableRecord,
} from './demographics.ts';
import { normaliseName } from './details-match.ts';
import {
  compactGpDetail,
  GpAlreadyLinkedError,
  GpDetailsNotMatchedError,
  type GpLinkage,
  GpLinkRefusedError,
  type GpOnlineServices,
  type GpRegistrationDetails,
  GpSystemUnavailableError,
  gpLinkKey,
} from './gp-online-services.ts';
import { upliftAccount } from './identity-uplift.ts';
import { identityOf, readBirthDate } from './record-identity.ts';
import { type SecretBox, sealGpCredentials } from './secret-box.ts';

export const gpDetailsCheckScope = 'gp-checks';

/** The GP online-services form as typed: the 3 registration details, the surname and the date of birth. */
export interface GpDetailsForm {
  readonly linkageKey: string;
  readonly odsCode: string;
  readonly gpAccountId: string;
  readonly surname: string;
  readonly day: string;
  readonly month: string;
  readonly year: string;
}

export type GpDetailsCheckOutcome =
  /** The account as it now is, at P9, with the NHS number and the GP credentials. */
  | { readonly kind: 'proven'; readonly account: Account }
  /** Proven, but another account has the NHS number: held for the duplicate journey (CID1006). */
  | { readonly kind: 'duplicate'; readonly account: Account }
  /** The practice system has no patient with these details: check them and try again. */
  | { readonly kind: 'not-matched' };

export interface GpDetailsCheckDependencies {
  readonly gp: GpOnlineServices;
  readonly demographics: Demographics;
  readonly secrets: Pick<SecretBox, 'seal'>;
  readonly accounts: Pick<AccountStore, 'setIdentity' | 'holdIdentity' | 'disable'>;
  readonly rateLimiter: RateLimiter;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
}

/** Linkage keys, ODS codes and account IDs are letters and digits (spaces and hyphens as typed are dropped). */
const LINKAGE_KEY = /^[A-Za-z0-9]{6,30}$/;
const ODS_CODE = /^[A-Za-z0-9]{3,10}$/;
const GP_ACCOUNT_ID = /^[A-Za-z0-9]{1,30}$/;

/**
 * P9 with GP online-services details (seed 001; reference 6.3, POL): the Linkage Key, ODS Code
 * and Account ID with the surname and date of birth are checked with the practice's system,
 * which answers the NHS number; then PDS must have a usable record for that number with the same
 * surname and date of birth. The details can be used once (CID7004); the practice system
 * unreachable or refusing is CID7023; a link that cannot be made (PDS disagrees) is CID7029.
 * The GP credentials are kept sealed; checks are capped per account.
 */
export class GpDetailsCheck {
  readonly #deps: GpDetailsCheckDependencies;
  readonly #rule: RateRule;

  constructor(deps: GpDetailsCheckDependencies) {
    this.#deps = deps;
    this.#rule = {
      scope: gpDetailsCheckScope,
      limit: deps.limits.gpChecksPerAccount,
      windowSeconds: deps.limits.gpChecksWindowSeconds,
    };
  }

  /** Throws InvalidInputError, TooManyAttemptsError, or PatientProblemError with the page to show. */
  async check(account: Account, form: GpDetailsForm, sourceIp: string): Promise<GpDetailsCheckOutcome> {
    const details = this.#read(form);
    // An account ops are looking at (or one PDS shows a problem with) proves nothing until it is fixed.
    if (account.disabled) throw new PatientProblemError(disabledProblem(account.disabled.reason));
    const counted = await this.#deps.rateLimiter.hit(this.#rule, account.accountId);
    if (!counted.allowed) throw new TooManyAttemptsError('gp-checks', counted.retryAt);
    const audit = (detail: string) =>
      this.#deps.audit.record({
        accountId: account.accountId,
        type: 'gp-details-checked',
        at: this.#deps.clock().toISOString(),
        sourceIp,
        detail,
      });
    let linkage: GpLinkage;
    try {
      linkage = await this.#deps.gp.link(details);
    } catch (error) {
      const problem = gpProblem(error);
      if (!problem) throw error;
      await audit(problem.detail);
      if (problem.page === 'not-matched') return { kind: 'not-matched' };
      throw new PatientProblemError(problem.page, { logDetail: problem.detail, cause: error });
    }
    const record = await this.#record(linkage.nhsNumber, audit);
    if (
      record.deceased ||
      !record.nhsNumberVerified ||
      record.birthDate !== details.birthDate ||
      record.familyName === undefined ||
      normaliseName(record.familyName) !== normaliseName(details.surname)
    ) {
      const detail = record.deceased
        ? 'pds-deceased'
        : !record.nhsNumberVerified
          ? 'pds-unverified'
          : 'pds-differs';
      await audit(detail);
      throw new PatientProblemError('gp-link-failed', { logDetail: detail });
    }
    // P5 evidence and P9 evidence for different NHS numbers: the account is held for ops (CID1101).
    if (account.identity?.nhsNumber && account.identity.nhsNumber !== record.nhsNumber) {
      const at = this.#deps.clock().toISOString();
      await Promise.all([
        this.#deps.accounts.disable(account.accountId, { reason: 'suspended', at }),
        audit('nhs-number-differs'),
      ]);
      throw new PatientProblemError('identity-mismatch', { logDetail: 'nhs-number-differs' });
    }
    const identity = {
      ...account.identity,
      ...identityOf(record, account),
      sealedGpIntegrationCredentials: await sealGpCredentials(this.#deps.secrets, linkage.credentials),
      gpLink: gpLinkKey(details),
      checkedAt: this.#deps.clock().toISOString(),
    };
    try {
      const outcome = await upliftAccount(this.#deps, account, 'P9', identity);
      await audit(outcome.kind === 'proven' ? 'linked' : 'nhs-number-has-account');
      return outcome;
    } catch (error) {
      if (!(error instanceof GpDetailsUsedError)) throw error;
      await audit('used-by-another-account');
      throw new PatientProblemError('gp-details-used', { logDetail: error.code });
    }
  }

  /** The PDS record of the number the practice gave: CID7029 when there is none to link to. */
  async #record(nhsNumber: string, audit: (detail: string) => Promise<void>): Promise<DemographicsRecord> {
    try {
      return await this.#deps.demographics.retrieve(nhsNumber);
    } catch (error) {
      if (error instanceof DemographicsUnavailableError)
        throw new PatientProblemError('pds-unavailable-proving', {
          logDetail: error.logDetail ?? error.code,
        });
      if (isNoUsableRecord(error)) {
        await audit(error.code);
        throw new PatientProblemError('gp-link-failed', { logDetail: error.code });
      }
      throw error;
    }
  }

  #read(form: GpDetailsForm): GpRegistrationDetails {
    const problems: FieldProblem[] = [];
    const linkageKey = compactGpDetail(form.linkageKey);
    const odsCode = compactGpDetail(form.odsCode).toUpperCase();
    const accountId = compactGpDetail(form.gpAccountId);
    const surname = form.surname.trim();
    if (linkageKey === '') problems.push({ field: 'linkageKey', message: 'Enter your Linkage Key' });
    else if (!LINKAGE_KEY.test(linkageKey))
      problems.push({ field: 'linkageKey', message: 'Linkage Key must only include letters and numbers' });
    if (odsCode === '') problems.push({ field: 'odsCode', message: 'Enter your ODS Code' });
    else if (!ODS_CODE.test(odsCode))
      problems.push({
        field: 'odsCode',
        message: 'ODS Code must only include letters and numbers, like A12345',
      });
    if (accountId === '') problems.push({ field: 'gpAccountId', message: 'Enter your Account ID' });
    else if (!GP_ACCOUNT_ID.test(accountId))
      problems.push({ field: 'gpAccountId', message: 'Account ID must only include letters and numbers' });
    if (surname === '') problems.push({ field: 'surname', message: 'Enter your last name' });
    const birthDate = readBirthDate(form, this.#deps.clock(), problems);
    if (problems.length > 0) throw new InvalidInputError(problems);
    return { linkageKey, odsCode, accountId, surname, birthDate };
  }
}

/** The page for what the practice system answered, or undefined for an error that is not the GP's. */
const gpProblem = (
  error: unknown,
): { page: 'not-matched' | 'gp-details-used' | 'gp-unavailable'; detail: string } | undefined => {
  if (error instanceof GpDetailsNotMatchedError) return { page: 'not-matched', detail: 'not-matched' };
  if (error instanceof GpAlreadyLinkedError) return { page: 'gp-details-used', detail: 'already-linked' };
  if (error instanceof GpLinkRefusedError) return { page: 'gp-unavailable', detail: 'refused' };
  if (error instanceof GpSystemUnavailableError)
    return { page: 'gp-unavailable', detail: error.logDetail ?? 'unavailable' };
  return undefined;
};

import type { Account, AccountStore } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { type FieldProblem, InvalidInputError } from '../invalid-input-error.ts';
import type { FailureCounter } from '../limits/failure-counter.ts';
import type { Limits } from '../limits/limits.ts';
import type { RateLimiter, RateRule } from '../limits/rate-limiter.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { disabledProblem, PatientProblemError } from '../patient-problems.ts';
import { type Demographics, type DemographicsRecord, isNoUsableRecord } from './demographics.ts';
import { normalisePostcode, recordMatches, type TypedDetails } from './details-match.ts';
import { upliftAccount } from './identity-uplift.ts';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number.ts';
import { identityOf, readBirthDate } from './record-identity.ts';

export const detailsCheckScopes = { checks: 'details-checks', failures: 'details-failures' } as const;

/** The "check your details" form as typed: the date of birth in three fields, then an NHS number or name and postcode. */
export interface DetailsForm {
  readonly day: string;
  readonly month: string;
  readonly year: string;
  /** `yes` with `nhsNumber`, `no` with the name and postcode. */
  readonly knowsNhsNumber: string;
  readonly nhsNumber: string;
  readonly givenName: string;
  readonly familyName: string;
  readonly postcode: string;
}

export type DetailsCheckOutcome =
  /** The account as it now is, at P5 or higher, with the identity the match established. */
  | { readonly kind: 'proven'; readonly account: Account }
  /** The details matched, but another account has the NHS number: held for the duplicate journey (CID1006). */
  | { readonly kind: 'duplicate'; readonly account: Account }
  /** No record matched: after `detailsCheckFailuresBeforeOtherRoutes` in a row, the other routes are offered. */
  | { readonly kind: 'not-matched'; readonly offerOtherRoutes: boolean };

export interface DetailsCheckDependencies {
  readonly demographics: Demographics;
  readonly accounts: Pick<AccountStore, 'setIdentity' | 'holdIdentity' | 'disable'>;
  readonly rateLimiter: RateLimiter;
  readonly failures: FailureCounter;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
}

/** A UK postcode's shape (outward and inward parts), spaces optional. */
const POSTCODE = /^[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}$/;

/**
 * P5, "check your details" (reference 6.3): the date of birth, and the NHS number if the patient
 * knows it, else their name and the postcode registered with their practice, matched against
 * PDS in the application-restricted mode: a record by NHS number, or the single record a search
 * finds, then our own rules (`recordMatches`). Nothing from PDS is shown to the patient, matched
 * or not: the page says only whether the details matched. Checks are capped per account per day,
 * and a run of failures offers the other ways to prove who you are.
 */
export class DetailsCheck {
  readonly #deps: DetailsCheckDependencies;
  readonly #rule: RateRule;

  constructor(deps: DetailsCheckDependencies) {
    this.#deps = deps;
    this.#rule = {
      scope: detailsCheckScopes.checks,
      limit: deps.limits.detailsChecksPerAccount,
      windowSeconds: deps.limits.detailsChecksWindowSeconds,
    };
  }

  /** Throws InvalidInputError with every problem of the form, TooManyAttemptsError past the cap, DemographicsUnavailableError. */
  async check(account: Account, form: DetailsForm, sourceIp: string): Promise<DetailsCheckOutcome> {
    const typed = readDetailsForm(form, this.#deps.clock());
    // An account ops are looking at (or one PDS shows a problem with) proves nothing until it is fixed.
    if (account.disabled) throw new PatientProblemError(disabledProblem(account.disabled.reason));
    const counted = await this.#deps.rateLimiter.hit(this.#rule, account.accountId);
    if (!counted.allowed) throw new TooManyAttemptsError('details-checks', counted.retryAt);
    const record = await this.#find(typed);
    const matched = record !== undefined && recordMatches(record, typed);
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'details-checked',
      at: this.#deps.clock().toISOString(),
      sourceIp,
      detail: matched ? 'matched' : 'not-matched',
    });
    if (!matched || !record) {
      const failures = await this.#deps.failures.add(
        detailsCheckScopes.failures,
        account.accountId,
        this.#deps.limits.detailsChecksWindowSeconds,
      );
      return {
        kind: 'not-matched',
        offerOtherRoutes: failures >= this.#deps.limits.detailsCheckFailuresBeforeOtherRoutes,
      };
    }
    // Details of another NHS number than the account proved before: held for ops (CID1101), never switched.
    if (account.identity?.nhsNumber && account.identity.nhsNumber !== record.nhsNumber) {
      await this.#deps.accounts.disable(account.accountId, {
        reason: 'suspended',
        at: this.#deps.clock().toISOString(),
      });
      throw new PatientProblemError('identity-mismatch', { logDetail: 'nhs-number-differs' });
    }
    // A P9 account checking its details again keeps what P9 gave it (its GP link and credentials).
    const identity = {
      ...account.identity,
      ...identityOf(record, account),
      checkedAt: this.#deps.clock().toISOString(),
    };
    const [outcome] = await Promise.all([
      upliftAccount(this.#deps, account, 'P5', identity),
      this.#deps.failures.clear(detailsCheckScopes.failures, account.accountId),
    ]);
    return outcome;
  }

  /** The record by NHS number, or the single one a search finds; undefined when PDS has none that could be the patient's. */
  async #find(typed: TypedDetails): Promise<DemographicsRecord | undefined> {
    try {
      if ('nhsNumber' in typed) return await this.#deps.demographics.retrieve(typed.nhsNumber);
      return await this.#deps.demographics.search(typed);
    } catch (error) {
      if (isNoUsableRecord(error)) return undefined;
      throw error;
    }
  }
}

/**
 * The "check your details" form read strictly (the P5 check and the photo-ID check use the same):
 * InvalidInputError with every problem of it.
 */
export const readDetailsForm = (form: DetailsForm, now: Date): TypedDetails => {
  const problems: FieldProblem[] = [];
  const birthDate = readBirthDate(form, now, problems);
  if (form.knowsNhsNumber === 'yes') {
    const nhsNumber = normaliseNhsNumber(form.nhsNumber);
    if (nhsNumber === '') problems.push({ field: 'nhsNumber', message: 'Enter your NHS number' });
    else if (!isValidNhsNumber(nhsNumber))
      problems.push({
        field: 'nhsNumber',
        message: 'Enter a real NHS number. It is 10 digits, like 485 777 3456',
      });
    if (problems.length > 0) throw new InvalidInputError(problems);
    return { birthDate, nhsNumber };
  }
  if (form.knowsNhsNumber !== 'no')
    problems.push({ field: 'knowsNhsNumber', message: 'Select yes if you know your NHS number' });
  const givenName = form.givenName.trim();
  const familyName = form.familyName.trim();
  const postcode = normalisePostcode(form.postcode);
  if (form.knowsNhsNumber === 'no') {
    if (givenName === '') problems.push({ field: 'givenName', message: 'Enter your first name' });
    if (familyName === '') problems.push({ field: 'familyName', message: 'Enter your last name' });
    if (postcode === '') problems.push({ field: 'postcode', message: 'Enter your postcode' });
    else if (!POSTCODE.test(postcode))
      problems.push({ field: 'postcode', message: 'Enter a real postcode, like LS1 6AE' });
  }
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { birthDate, givenName, familyName, postcode };
};

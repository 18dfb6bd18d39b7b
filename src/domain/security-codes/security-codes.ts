import type { Clock } from '../clock.ts';
import type { FailureCounter } from '../limits/failure-counter.ts';
import type { Limits } from '../limits/limits.ts';
import type { Lockouts } from '../limits/lockouts.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { generateSecurityCode, type RandomBytes, systemRandomBytes } from './security-code.ts';
import { digestSecurityCode, matchesSecurityCode } from './security-code-digest.ts';
import {
  IncorrectSecurityCodeError,
  MalformedSecurityCodeError,
  NoSecurityCodeError,
  SecurityCodeExpiredError,
  SecurityCodeReplacedError,
  SecurityCodeUsedError,
} from './security-code-errors.ts';
import type { SecurityCodeChannel, SecurityCodePurpose, SecurityCodeStore } from './security-code-store.ts';

/**
 * A code bound to its destination: the digest covers both, so a code texted to one new number
 * cannot confirm another number a second session asked for.
 */
const bound = (code: string, destination: string | undefined): string =>
  destination === undefined ? code : `${code}\u0000${destination}`;

/** Code entry is locked per account, across purposes, so switching purpose gains no attempts. */
export const codeEntryScope = 'code-entry';

/**
 * Wrong codes are counted per account, across codes, purposes and resends: asking for a new code
 * or switching purpose never gives more guesses.
 */
export const codeFailuresScope = 'code-failures';

export interface SecurityCodesOptions {
  readonly store: SecurityCodeStore;
  readonly lockouts: Lockouts;
  readonly failures: FailureCounter;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly random?: RandomBytes;
}

/**
 * Issues and checks 6-digit security codes: random, stored as digests, short-lived, single use
 * and attempt-limited. Send caps are the caller's (CodeSendThrottle), before `issue`.
 */
export class SecurityCodes {
  readonly #store: SecurityCodeStore;
  readonly #lockouts: Lockouts;
  readonly #failures: FailureCounter;
  readonly #clock: Clock;
  readonly #limits: Limits;
  readonly #random: RandomBytes;

  constructor(options: SecurityCodesOptions) {
    this.#store = options.store;
    this.#lockouts = options.lockouts;
    this.#failures = options.failures;
    this.#clock = options.clock;
    this.#limits = options.limits;
    this.#random = options.random ?? systemRandomBytes;
  }

  /**
   * A new code for the account and purpose, replacing any earlier one; returns the code in clear,
   * to send and then forget. Throws TooManyAttemptsError while code entry is locked, since a code
   * that cannot be entered is not worth a text.
   */
  async issue(request: {
    accountId: string;
    purpose: SecurityCodePurpose;
    channel: SecurityCodeChannel;
    /** Where the code goes: it then only works with the same destination (a new phone number). */
    destination?: string;
  }): Promise<string> {
    const code = generateSecurityCode(this.#random);
    const issuedAt = this.#clock();
    const { destination, ...stored } = request;
    // The lock is looked at while the code is saved. A code saved while entry is locked is never
    // sent, and only replaces the purpose's earlier code, which the lock keeps from use as well.
    const [locked, saved] = await Promise.allSettled([
      this.#refuseWhileLocked(request.accountId),
      this.#store.save({
        ...stored,
        codeId: Buffer.from(this.#random(16)).toString('base64url'),
        digest: digestSecurityCode(bound(code, destination), this.#random),
        issuedAt,
        validUntil: new Date(issuedAt.getTime() + this.#limits.securityCodeLifetimeSeconds * 1000),
        attempts: 0,
      }),
    ]);
    if (locked.status === 'rejected') throw locked.reason;
    if (saved.status === 'rejected') throw saved.reason;
    return code;
  }

  /**
   * Accepts the current code once; spaces in the entry are ignored. Throws
   * MalformedSecurityCodeError (not counted), NoSecurityCodeError, SecurityCodeUsedError,
   * SecurityCodeExpiredError, IncorrectSecurityCodeError with the attempts the account has left,
   * or, on its last wrong entry and while locked, TooManyAttemptsError (`code-entry-locked`).
   * Wrong entries add up per account whatever the code or purpose, and are forgotten after a
   * right code or once none has been made for the lockout's length.
   */
  async verify(request: {
    accountId: string;
    purpose: SecurityCodePurpose;
    code: string;
    destination?: string;
  }): Promise<void> {
    const entered = request.code.replace(/\s/g, '');
    if (!/^\d{6}$/.test(entered)) {
      await this.#refuseWhileLocked(request.accountId);
      throw new MalformedSecurityCodeError();
    }
    // The lock is looked at while the entry is counted against the code: a lock still comes first.
    const [unlocked, counted] = await Promise.allSettled([
      this.#refuseWhileLocked(request.accountId),
      this.#store.countAttempt(request.accountId, request.purpose),
    ]);
    if (unlocked.status === 'rejected') throw unlocked.reason;
    if (counted.status === 'rejected') throw counted.reason;
    const issued = counted.value;
    const allowed = this.#limits.securityCodeAttempts;
    // Past the allowed attempts the code is ended (concurrent entries can overshoot the count).
    if (!issued || issued.attempts > allowed) throw new NoSecurityCodeError();
    if (issued.usedAt) throw new SecurityCodeUsedError();
    if (issued.validUntil.getTime() <= this.#clock().getTime()) throw new SecurityCodeExpiredError();
    const attempt = bound(entered, request.destination);
    // The code a newer one replaced, while it would still have worked, is not a wrong guess: only
    // an entry that is neither that code nor the current one goes on to be counted as a try.
    if (
      issued.replaced &&
      issued.replaced.validUntil.getTime() > this.#clock().getTime() &&
      matchesSecurityCode(attempt, issued.replaced.digest) &&
      !matchesSecurityCode(attempt, issued.digest)
    ) {
      await this.#refuseWhileLocked(request.accountId);
      throw new SecurityCodeReplacedError();
    }
    // Every entry is counted against the account before it is compared, and the lock looked at
    // again after counting: of entries made at once, across codes and purposes, no more than the
    // allowed number are ever compared.
    const tries = await this.#failures.add(
      codeFailuresScope,
      request.accountId,
      this.#limits.securityCodeLockoutSeconds,
    );
    await this.#refuseWhileLocked(request.accountId);
    if (tries > allowed) throw await this.#lockEntry(request.accountId);
    if (matchesSecurityCode(attempt, issued.digest)) {
      await Promise.all([
        this.#store.markUsed(request.accountId, request.purpose, issued.codeId),
        this.#failures.clear(codeFailuresScope, request.accountId),
      ]);
      return;
    }
    if (tries < allowed) throw new IncorrectSecurityCodeError(allowed - tries);
    throw await this.#lockEntry(request.accountId);
  }

  /**
   * An answer the caller checks (an authenticator app's code, a recovery code): counted against
   * the account's attempts exactly as an entry of a code we sent is, so wrong answers of every
   * kind add up to the one lockout. `check` runs only for an entry that is counted and not locked.
   * Throws MalformedSecurityCodeError (not counted) when `wellFormed` is false,
   * IncorrectSecurityCodeError, or TooManyAttemptsError (`code-entry-locked`).
   */
  async verifyAnswer(request: {
    readonly accountId: string;
    readonly wellFormed: boolean;
    readonly check: () => Promise<boolean>;
  }): Promise<void> {
    await this.#refuseWhileLocked(request.accountId);
    if (!request.wellFormed) throw new MalformedSecurityCodeError();
    const allowed = this.#limits.securityCodeAttempts;
    const tries = await this.#failures.add(
      codeFailuresScope,
      request.accountId,
      this.#limits.securityCodeLockoutSeconds,
    );
    await this.#refuseWhileLocked(request.accountId);
    if (tries > allowed) throw await this.#lockEntry(request.accountId);
    if (await request.check()) {
      await this.#failures.clear(codeFailuresScope, request.accountId);
      return;
    }
    if (tries < allowed) throw new IncorrectSecurityCodeError(allowed - tries);
    throw await this.#lockEntry(request.accountId);
  }

  async #refuseWhileLocked(accountId: string): Promise<void> {
    const lockedUntil = await this.#lockouts.lockedUntil(codeEntryScope, accountId);
    if (lockedUntil) throw new TooManyAttemptsError('code-entry-locked', lockedUntil);
  }

  async #lockEntry(accountId: string): Promise<TooManyAttemptsError> {
    const until = new Date(this.#clock().getTime() + this.#limits.securityCodeLockoutSeconds * 1000);
    await this.#lockouts.lock(codeEntryScope, accountId, until);
    // The lock now holds the account back; when it ends, the account has every attempt again.
    // (An entry counted after this clear looks at the lock again before comparing, and is refused.)
    await this.#failures.clear(codeFailuresScope, accountId);
    return new TooManyAttemptsError('code-entry-locked', until);
  }
}

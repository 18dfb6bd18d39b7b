import { createHash } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock.ts';
import type { Limits } from './limits.ts';
import { networkOf } from './network.ts';
import type { RateLimiter, RateRule } from './rate-limiter.ts';
import { TooManyAttemptsError } from './too-many-attempts-error.ts';

export const passwordScopes = { ip: 'password-ip' } as const;

/** The most networks remembered as the patient's own, newest first. */
const maximumKnownNetworks = 10;

/**
 * Where a password attempt comes from. A network is an IPv4 address or an IPv6 /64. A trusted
 * source is something of the patient's own that an attacker elsewhere does not have: a
 * remembered device of the account, or a browser that has just unlocked it by email link and
 * second factor. Failures from elsewhere never hold back a trusted source.
 */
export type PasswordSource =
  | { readonly kind: 'network'; readonly ip: string }
  | { readonly kind: 'trusted'; readonly id: string };

/** The failures counted for one source of one account. */
export interface SourceFailures {
  /** Consecutive wrong passwords from this source. */
  readonly failures: number;
  /** Epoch seconds of the latest. */
  readonly lastAt: number;
}

/** Everything counted against one account key (a hash of the address, whether or not it has an account). */
export interface PasswordFailureState {
  /** Consecutive wrong passwords from every network together (trusted sources are not in it). */
  readonly failures: number;
  /** Epoch seconds of the latest of them. */
  readonly lastAt: number;
  /** By a digest of the source. */
  readonly sources: Readonly<Record<string, SourceFailures>>;
  /**
   * Networks a right password came from (by digest, with when, epoch seconds): the patient's own
   * usual networks, which failures from other networks together never hold back.
   */
  readonly knownNetworks?: Readonly<Record<string, number>>;
}

/** Where the failure state of each account key is kept, written with optimistic concurrency. */
export interface PasswordFailureStore {
  /** The state and its version (0 when there is none). */
  read(accountKey: string): Promise<{ state: PasswordFailureState; version: number }>;
  /**
   * Replaces the state if it is still at `version`; false when another request changed it first.
   * The store forgets the state at `expiresAt` (epoch seconds).
   */
  write(
    accountKey: string,
    state: PasswordFailureState,
    version: number,
    expiresAt: number,
  ): Promise<boolean>;
  /** Forgets everything counted against the account key. */
  clear(accountKey: string): Promise<void>;
}

/** An admitted attempt, to report its outcome with. */
export interface PasswordAttempt {
  readonly accountKey: string;
  readonly source: PasswordSource;
  readonly sourceKey: string;
  readonly state: PasswordFailureState;
  readonly version: number;
}

const sourceKeyOf = (source: PasswordSource): string =>
  createHash('sha256')
    .update(source.kind === 'network' ? `network ${networkOf(source.ip)}` : `trusted ${source.id}`)
    .digest('base64url')
    .slice(0, 22);

/**
 * The password policy, built so that nobody can keep a patient out. Instead of a flat lock after a
 * few wrong passwords from anywhere, each source of attempts gets delays that grow with its own
 * consecutive failures (so an attacker's network slows itself down), the account gets a slower
 * growing delay for failures from all networks together (so spreading guesses over many networks
 * gains little), a trusted source (a remembered device, a browser that unlocked the account)
 * ignores failures from elsewhere, and after 100 consecutive failures (NIST SP 800-63B's ceiling)
 * password login stops until the account is unlocked by email link and second factor or the
 * password is reset. The curve is in docs/limits.md.
 *
 * Attempts are counted when they are admitted, before the password is checked, and a right
 * password takes its count back off: a burst of parallel guesses cannot slip between check and
 * count. The account key should be a hash of the normalised email, so an address without an
 * account is throttled exactly like one with.
 */
export class PasswordThrottle {
  readonly #store: PasswordFailureStore;
  readonly #rateLimiter: RateLimiter;
  readonly #clock: Clock;
  readonly #limits: Limits;
  readonly #ipRule: RateRule;

  constructor(options: {
    store: PasswordFailureStore;
    rateLimiter: RateLimiter;
    clock: Clock;
    limits: Limits;
  }) {
    this.#store = options.store;
    this.#rateLimiter = options.rateLimiter;
    this.#clock = options.clock;
    this.#limits = options.limits;
    this.#ipRule = {
      scope: passwordScopes.ip,
      limit: options.limits.passwordFailuresPerIp,
      windowSeconds: options.limits.passwordFailuresPerIpWindowSeconds,
    };
  }

  /**
   * Call before checking a password; the source may still be being looked up (its state is read
   * meanwhile). Throws TooManyAttemptsError: `password-delayed` (with when
   * the next attempt may be made), `password-hard-stop`, or `ip-throttled` for a network with
   * too many failures across accounts. Otherwise counts the attempt as a failure until told
   * otherwise, and returns it.
   */
  async admitAttempt(
    accountKey: string,
    sourceOrLookup: PasswordSource | Promise<PasswordSource>,
  ): Promise<PasswordAttempt> {
    // The account's state is read while the source is still being looked up (it needs the account).
    const [first, source] = await Promise.all([
      this.#store.read(accountKey),
      Promise.resolve(sourceOrLookup).then(async (source) => {
        if (source.kind === 'network') {
          const fromIp = await this.#rateLimiter.peek(this.#ipRule, networkOf(source.ip));
          if (!fromIp.allowed) throw new TooManyAttemptsError('ip-throttled', fromIp.retryAt);
        }
        return source;
      }),
    ]);
    const sourceKey = sourceKeyOf(source);
    // Optimistic concurrency: of parallel attempts, each is counted on the state the one before left.
    for (let round = 0; round < 5; round += 1) {
      const { state, version } = round === 0 ? first : await this.#store.read(accountKey);
      const now = epochSeconds(this.#clock());
      const current = this.#current(state, now);
      this.#refuse(current, sourceKey, source, now);
      const counted = this.#counted(current, sourceKey, source, now);
      if (await this.#store.write(accountKey, counted, version, this.#expiry(counted, now))) {
        return { accountKey, source, sourceKey, state: counted, version: version + 1 };
      }
    }
    // So many attempts at once on one account that it could not keep count: refuse this one briefly.
    throw new TooManyAttemptsError('password-delayed', new Date(this.#clock().getTime() + 1000));
  }

  /**
   * Call after a wrong password: counts it against the network across accounts. Returns when the
   * account's next attempt from this source may be made, if the failure started a delay (for the
   * audit trail), or undefined.
   */
  async recordFailure(attempt: PasswordAttempt): Promise<Date | undefined> {
    if (attempt.source.kind === 'network')
      await this.#rateLimiter.hit(this.#ipRule, networkOf(attempt.source.ip));
    const source = attempt.state.sources[attempt.sourceKey];
    const sourceDelay = this.#sourceDelay(source?.failures ?? 0);
    const accountDelay = attempt.source.kind === 'network' ? this.#accountDelay(attempt.state.failures) : 0;
    const delay = Math.max(sourceDelay, accountDelay);
    return delay > 0 ? new Date(((source?.lastAt ?? 0) + delay) * 1000) : undefined;
  }

  /**
   * Whether the next wrong password from this source will start a delay, this attempt having
   * been a wrong one (and no delay started yet): the page can warn before it happens. The same
   * for an address with an account as for one without, as the count is.
   */
  nextFailureDelays(attempt: PasswordAttempt): boolean {
    const failures = attempt.state.sources[attempt.sourceKey]?.failures ?? 0;
    return failures === this.#limits.passwordFailuresBeforeDelay - 1;
  }

  /**
   * Call after a right password: this source's failures and the account's consecutive count no
   * longer count, and a network becomes one of the account's known networks.
   */
  async recordSuccess(attempt: PasswordAttempt): Promise<void> {
    let { state, version } = attempt;
    for (let round = 0; round < 5; round += 1) {
      const { [attempt.sourceKey]: _mine, ...others } = state.sources;
      const now = epochSeconds(this.#clock());
      const cleared = {
        failures: 0,
        lastAt: state.lastAt,
        sources: others,
        knownNetworks: this.#knownAfter(state, attempt, now),
      };
      if (await this.#store.write(attempt.accountKey, cleared, version, this.#expiry(cleared, now))) return;
      ({ state, version } = await this.#store.read(attempt.accountKey));
    }
  }

  /**
   * Whether the address is one a right password has come from this network for, lately: one read,
   * whether or not the address has an account.
   */
  async isKnownNetwork(accountKey: string, ip: string): Promise<boolean> {
    const { state } = await this.#store.read(accountKey);
    const at = state.knownNetworks?.[sourceKeyOf({ kind: 'network', ip })];
    return at !== undefined && at + this.#limits.passwordKnownNetworkSeconds > epochSeconds(this.#clock());
  }

  /** Forgets every failure of the account key: after a password reset, or an unlock by link and second factor. */
  async clear(accountKey: string): Promise<void> {
    await this.#store.clear(accountKey);
  }

  /** When the store may forget the state: with known networks, not before they would be forgotten. */
  #expiry(state: PasswordFailureState, now: number): number {
    const known = Object.keys(state.knownNetworks ?? {}).length > 0;
    const { passwordAccountMemorySeconds, passwordKnownNetworkSeconds } = this.#limits;
    return (
      now +
      (known
        ? Math.max(passwordAccountMemorySeconds, passwordKnownNetworkSeconds)
        : passwordAccountMemorySeconds)
    );
  }

  /** The known networks with this one added (when it is a network), the oldest dropped past the most kept. */
  #knownAfter(state: PasswordFailureState, attempt: PasswordAttempt, now: number): Record<string, number> {
    const known = { ...(state.knownNetworks ?? {}) };
    if (attempt.source.kind === 'network') known[attempt.sourceKey] = now;
    const newest = Object.entries(known)
      .filter(([, at]) => at + this.#limits.passwordKnownNetworkSeconds > now)
      .sort(([, a], [, b]) => b - a)
      .slice(0, maximumKnownNetworks);
    return Object.fromEntries(newest);
  }

  /** The state without the sources whose failures are old enough to be forgotten. */
  #current(state: PasswordFailureState, now: number): PasswordFailureState {
    const memory = this.#limits.passwordSourceMemorySeconds;
    const sources = Object.fromEntries(
      Object.entries(state.sources).filter(([, source]) => source.lastAt + memory > now),
    );
    return { ...state, sources };
  }

  #refuse(state: PasswordFailureState, sourceKey: string, source: PasswordSource, now: number): void {
    const hardStop = this.#limits.passwordFailuresHardStop;
    const mine = state.sources[sourceKey];
    // A network the patient has logged in from is held back by its own failures only.
    const knownAt = state.knownNetworks?.[sourceKey];
    const known = knownAt !== undefined && knownAt + this.#limits.passwordKnownNetworkSeconds > now;
    const fromNetworks = source.kind === 'network' && !known;
    if ((mine?.failures ?? 0) >= hardStop || (fromNetworks && state.failures >= hardStop)) {
      const until = new Date((now + this.#limits.passwordAccountMemorySeconds) * 1000);
      throw new TooManyAttemptsError('password-hard-stop', until);
    }
    const notBefore = Math.max(
      mine ? mine.lastAt + this.#sourceDelay(mine.failures) : 0,
      fromNetworks && state.failures > 0 ? state.lastAt + this.#accountDelay(state.failures) : 0,
    );
    if (now < notBefore) throw new TooManyAttemptsError('password-delayed', new Date(notBefore * 1000));
  }

  #counted(state: PasswordFailureState, sourceKey: string, source: PasswordSource, now: number) {
    const mine = state.sources[sourceKey];
    const sources = { ...state.sources, [sourceKey]: { failures: (mine?.failures ?? 0) + 1, lastAt: now } };
    if (source.kind !== 'network') return { ...state, sources };
    return { ...state, failures: state.failures + 1, lastAt: now, sources };
  }

  /** Seconds to wait after a source's `failures`th consecutive wrong password. */
  #sourceDelay(failures: number): number {
    return this.#delay(failures, this.#limits.passwordFailuresBeforeDelay);
  }

  /** Seconds every network waits after the account's `failures`th consecutive wrong password from networks. */
  #accountDelay(failures: number): number {
    return this.#delay(failures, this.#limits.passwordAccountFailuresBeforeDelay);
  }

  #delay(failures: number, free: number): number {
    if (failures < free) return 0;
    const grown = this.#limits.passwordDelayBaseSeconds * 2 ** Math.min(failures - free, 20);
    return Math.min(this.#limits.passwordDelayMaxSeconds, grown);
  }
}

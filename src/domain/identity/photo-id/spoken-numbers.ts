import { randomInt, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { DomainError } from '../../errors.ts';

/** The 4 numbers a patient says, signs or writes in their video: made and kept here, never by the browser. */
export interface SpokenNumbersChallenge {
  /** Names this challenge: the video's submission carries it, so a replaced challenge's video is refused. */
  readonly challengeId: string;
  /** 4 digits, each different, e.g. `4719`. */
  readonly numbers: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/** Where each account's current challenge is kept: a new one replaces the last; using one ends it. */
export interface SpokenNumbersStore {
  save(accountId: string, challenge: SpokenNumbersChallenge): Promise<void>;
  /**
   * Uses the account's challenge if it is the one named, unexpired and unused, and returns it;
   * throws SpokenNumbersUnusableError otherwise. Exactly one use can win.
   */
  use(accountId: string, challengeId: string): Promise<SpokenNumbersChallenge>;
}

/** The challenge was replaced, used already, or expired: the patient records the video again with new numbers. */
export class SpokenNumbersUnusableError extends DomainError {
  readonly code = 'spoken_numbers_unusable';
  readonly status = 409;
}

/** 4 different digits, from the operating system's random source. */
export const randomSpokenNumbers = (): string => {
  const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  // A Fisher-Yates draw of the first 4.
  for (let index = 0; index < 4; index += 1) {
    const pick = index + randomInt(digits.length - index);
    [digits[index], digits[pick]] = [digits[pick] as string, digits[index] as string];
  }
  return digits.slice(0, 4).join('');
};

/**
 * The numbers shown on screen while the patient records their video (seed 001: "record a short
 * video of their face as they say 4 randomly generated numbers"): made server-side, one current
 * challenge per account, short-lived and single use, so a video recorded earlier, or for someone
 * else, cannot be replayed.
 */
export class SpokenNumbers {
  readonly #store: SpokenNumbersStore;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;

  constructor(deps: {
    readonly store: SpokenNumbersStore;
    readonly clock: Clock;
    readonly lifetimeSeconds: number;
  }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#lifetimeSeconds = deps.lifetimeSeconds;
  }

  /** New numbers for the account, replacing any it had. */
  async issue(accountId: string): Promise<SpokenNumbersChallenge> {
    const challenge = {
      challengeId: randomUUID(),
      numbers: randomSpokenNumbers(),
      expiresAt: Math.floor(this.#clock().getTime() / 1000) + this.#lifetimeSeconds,
    };
    await this.#store.save(accountId, challenge);
    return challenge;
  }

  /** The numbers the video must show, once: a second use, another challenge or a late one is refused. */
  async use(accountId: string, challengeId: string): Promise<string> {
    return (await this.#store.use(accountId, challengeId)).numbers;
  }
}

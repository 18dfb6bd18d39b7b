import type { Account } from '../accounts/account.ts';
import { DomainError } from '../errors.ts';

/** The second factors an account can have: the phone's texts, and an authenticator app. */
export type SecondFactorKind = 'sms' | 'app';

/** What a second factor is being asked for: each purpose has its own challenge, so one cannot answer another. */
export type SecondFactorPurpose =
  | 'login'
  | 'reset-password'
  | 'unlock-account'
  | 'reauthenticate'
  | 'restore-email';

/** What the page tells the patient about a challenge it has just sent. */
export interface SecondFactorChallenge {
  readonly kind: SecondFactorKind;
  /** Where it went, masked for the page (e.g. "ending 123"). */
  readonly sentTo: string;
}

/**
 * One kind of second factor (something the patient has): it is set up on an account or not, it
 * can be challenged for a purpose, and the patient's answer checked. Login, password reset,
 * unlocking an account and re-authentication all go through this port, so every new kind of
 * factor works for all of them at once.
 */
export interface SecondFactorMethod {
  readonly kind: SecondFactorKind;
  /** Whether the account has this factor set up and confirmed. */
  isSetUp(account: Account): boolean;
  /** Sends or prepares a challenge; TooManyAttemptsError when a limit refuses it. */
  challenge(account: Account, purpose: SecondFactorPurpose, sourceIp: string): Promise<SecondFactorChallenge>;
  /** Checks the patient's answer; InvalidInputError (field `code`) or TooManyAttemptsError when it is refused. */
  verify(account: Account, purpose: SecondFactorPurpose, answer: string, sourceIp: string): Promise<void>;
}

/** A journey needed the account's second factor, and the account has none set up. */
export class NoSecondFactorError extends DomainError {
  readonly code = 'no_second_factor';
  readonly status = 403;
}

/** The second factors the service offers, in order of preference. */
export class SecondFactors {
  readonly #methods: readonly SecondFactorMethod[];

  constructor(methods: readonly SecondFactorMethod[]) {
    this.#methods = methods;
  }

  /** Whether the account has any second factor set up: without one, a first login is not finished. */
  has(account: Account): boolean {
    return this.#methods.some((method) => method.isSetUp(account));
  }

  /** The account's factor of this kind, when it has it set up. */
  get(account: Account, kind: SecondFactorKind): SecondFactorMethod | undefined {
    return this.#methods.find((candidate) => candidate.kind === kind && candidate.isSetUp(account));
  }

  /** The account's preferred second factor; NoSecondFactorError when it has none. */
  of(account: Account): SecondFactorMethod {
    const method = this.#methods.find((candidate) => candidate.isSetUp(account));
    if (!method) throw new NoSecondFactorError('The account has no second factor set up.');
    return method;
  }
}

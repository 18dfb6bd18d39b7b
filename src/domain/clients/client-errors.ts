import { DomainError } from '../errors.ts';

/** A registration was refused: each problem says, in plain words, what to change. */
export class InvalidClientRegistrationError extends DomainError {
  readonly code = 'invalid_client_metadata';
  readonly status = 400;
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`The client cannot be registered:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

export class ClientAlreadyRegisteredError extends DomainError {
  readonly code = 'client_already_registered';
  readonly status = 409;
}

export class UnknownClientError extends DomainError {
  readonly code = 'unknown_client';
  readonly status = 404;
}

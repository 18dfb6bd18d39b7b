import { DomainError } from '../errors.ts';

/** The entry is not six digits; it does not count as an attempt. */
export class MalformedSecurityCodeError extends DomainError {
  readonly code = 'security_code_malformed';
  readonly status = 400;

  constructor() {
    super('Enter the 6-digit security code.');
  }
}

/** A wrong code; `attemptsLeft` more entries are allowed before the code is ended. */
export class IncorrectSecurityCodeError extends DomainError {
  readonly code = 'security_code_incorrect';
  readonly status = 400;
  readonly attemptsLeft: number;

  constructor(attemptsLeft: number) {
    super('The security code is not correct.');
    this.attemptsLeft = attemptsLeft;
  }
}

/** The code entered is the one a newer code replaced; not counted as a wrong code. */
export class SecurityCodeReplacedError extends DomainError {
  readonly code = 'security_code_replaced';
  readonly status = 400;

  constructor() {
    super('A newer security code has been sent. Enter the code from the newest message.');
  }
}

export class SecurityCodeExpiredError extends DomainError {
  readonly code = 'security_code_expired';
  readonly status = 400;

  constructor() {
    super('The security code has expired. Ask for a new one.');
  }
}

/** No code is current: none was sent, or it was replaced, ended or has long expired. */
export class NoSecurityCodeError extends DomainError {
  readonly code = 'security_code_not_issued';
  readonly status = 400;

  constructor() {
    super('There is no security code to check. Ask for a new one.');
  }
}

export class SecurityCodeUsedError extends DomainError {
  readonly code = 'security_code_used';
  readonly status = 400;

  constructor() {
    super('The security code has been used already. Ask for a new one.');
  }
}

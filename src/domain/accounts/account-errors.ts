import { DomainError } from '../errors.ts';

/** An account exists already for this email address. Never shown as such to the person asking. */
export class EmailAlreadyRegisteredError extends DomainError {
  readonly code = 'email_already_registered';
  readonly status = 409;
}

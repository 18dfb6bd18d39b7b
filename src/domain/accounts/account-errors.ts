import { DomainError } from '../errors.ts';

/** An account exists already for this email address. Never shown as such to the person asking. */
export class EmailAlreadyRegisteredError extends DomainError {
  readonly code = 'email_already_registered';
  readonly status = 409;
}

/**
 * The right password for a registration whose email is not confirmed yet: the patient is told to
 * confirm it and offered the email again. Only whoever knows the password chosen learns this.
 */
export class RegistrationNotConfirmedError extends DomainError {
  readonly code = 'registration_not_confirmed';
  readonly status = 403;
  readonly email: string;
  /** The digest of the registration's newest link, whose password was given (never its token). */
  readonly linkDigest: string;

  constructor(email: string, linkDigest: string) {
    super('The email address of this registration is not confirmed yet.');
    this.email = email;
    this.linkDigest = linkDigest;
  }
}

/** The NHS number is another account's: one account per NHS number (CID1006). */
export class NhsNumberTakenError extends DomainError {
  readonly code = 'nhs_number_taken';
  readonly status = 409;
  /** The account that has the number. */
  readonly otherAccountId: string;

  constructor(otherAccountId: string) {
    super('The NHS number belongs to another account.');
    this.otherAccountId = otherAccountId;
  }
}

/** These GP online-services details were used by another account: they can be used once (CID7004). */
export class GpDetailsUsedError extends DomainError {
  readonly code = 'gp_details_used';
  readonly status = 409;
}

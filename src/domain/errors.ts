/**
 * Typed errors, mapped to responses once at the edge. `code` is stable and safe to show;
 * `description` is what a client may read; `logDetail` is for logs only and never holds
 * personal data, tokens or codes.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly description: string;
  readonly logDetail: string | undefined;

  constructor(description: string, options: { logDetail?: string; cause?: unknown } = {}) {
    super(description, { cause: options.cause });
    this.name = new.target.name;
    this.description = description;
    this.logDetail = options.logDetail;
  }
}

/** A protocol error whose `code` is the OAuth 2.0 / OpenID Connect `error` value. */
export abstract class ProtocolError extends DomainError {}

export class InvalidRequestError extends ProtocolError {
  readonly code = 'invalid_request';
  readonly status = 400;
}

export class NotFoundError extends ProtocolError {
  readonly code = 'not_found';
  readonly status = 404;
}

/** A store condition failed: the item exists already, or is not in the state the write needs. */
export class ConflictError extends DomainError {
  readonly code = 'conflict';
  readonly status = 409;
}

/** A single-use item (code, link, challenge) was presented a second time. */
export class AlreadyUsedError extends DomainError {
  readonly code = 'already_used';
  readonly status = 400;
}

/** A short-lived item was presented after its expiry. */
export class ExpiredError extends DomainError {
  readonly code = 'expired';
  readonly status = 400;
}

/** A dependency (store, key service) is throttled or unreachable: safe to retry later. */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'temporarily_unavailable';
  readonly status = 503;
}

/** The deployment itself is wrong (a missing table or key): an operator must act. */
export class MisconfigurationError extends DomainError {
  readonly code = 'server_error';
  readonly status = 500;
}

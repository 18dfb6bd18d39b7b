import { MisconfigurationError, ServiceUnavailableError } from '../../domain/errors.ts';
import { isTransportError } from '../transport-errors.ts';

const retryable = new Set(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException']);
const misconfigured = new Set([
  'NotFoundException',
  'DisabledException',
  'KMSInvalidStateException',
  'InvalidKeyUsageException',
  'KeyUnavailableException',
  'AccessDeniedException',
  'UnsupportedOperationException',
]);

/** Turns a KMS SDK error into a domain error that says whether to retry or call an operator. */
export const translateKmsError = (error: unknown): unknown => {
  const name = error instanceof Error ? error.name : 'UnknownError';
  if (retryable.has(name) || isTransportError(error)) {
    return new ServiceUnavailableError('The signing service is busy; try again.', {
      logDetail: name,
      cause: error,
    });
  }
  if (misconfigured.has(name)) {
    return new MisconfigurationError('The signing key is not usable.', { logDetail: name, cause: error });
  }
  return error;
};

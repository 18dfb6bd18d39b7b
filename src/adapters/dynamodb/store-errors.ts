import { ConflictError, MisconfigurationError, ServiceUnavailableError } from '../../domain/errors.ts';
import { isTransportError } from '../transport-errors.ts';

const retryableErrors = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TransactionInProgressException',
]);

interface SdkErrorShape {
  name?: string;
  code?: string;
  CancellationReasons?: { Code?: string }[];
}

/**
 * Turns an AWS SDK DynamoDB error into a domain error. The SDK message is kept out of the
 * description (it can quote key values) and only the error name goes to `logDetail`.
 */
export const translateStoreError = (error: unknown): unknown => {
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const name = shape.name ?? 'UnknownError';
  if (name === 'ConditionalCheckFailedException') {
    return new ConflictError('The item is not in the state this write requires.', {
      logDetail: name,
      cause: error,
    });
  }
  if (name === 'TransactionCanceledException') {
    const reasons = (shape.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
    if (reasons.includes('ConditionalCheckFailed')) {
      return new ConflictError('The item is not in the state this write requires.', {
        logDetail: `${name}: ${reasons.join(',')}`,
        cause: error,
      });
    }
    return new ServiceUnavailableError('The store is busy; try again.', {
      logDetail: `${name}: ${reasons.join(',')}`,
      cause: error,
    });
  }
  if (retryableErrors.has(name) || isTransportError(error)) {
    return new ServiceUnavailableError('The store is busy or unreachable; try again.', {
      logDetail: shape.code ?? name,
      cause: error,
    });
  }
  if (name === 'ResourceNotFoundException') {
    return new MisconfigurationError('The store is not set up.', { logDetail: name, cause: error });
  }
  return error;
};

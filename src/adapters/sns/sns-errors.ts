import { MessageNotSentError } from '../../domain/messaging/message-errors.ts';
import { isTransportError } from '../transport-errors.ts';

/** SNS is busy or failed on its side: the same text message may go through later. */
const retryable = new Set(['ThrottledException', 'InternalErrorException', 'KMSThrottlingException']);

/**
 * Turns any failure of an SNS call into MessageNotSentError. Only the SDK error's name is kept:
 * SNS messages can quote the phone number ("Invalid parameter: PhoneNumber ..."), so neither the
 * message nor the SDK error itself (as `cause`) travels on. Invalid numbers
 * (InvalidParameterException, InvalidParameterValueException, ValidationException) and
 * permission problems (AuthorizationErrorException, KMS*) are not retryable.
 */
export const translateSnsError = (error: unknown): MessageNotSentError => {
  const name = error instanceof Error ? error.name : 'UnknownError';
  return new MessageNotSentError('sms', {
    logDetail: name,
    retryable: retryable.has(name) || isTransportError(error),
  });
};

import { MessageNotSentError } from '../../domain/messaging/message-errors.ts';
import { isTransportError } from '../transport-errors.ts';

/** SES is busy or over its sending rate: the same email may go through later. */
const retryable = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'InternalServiceErrorException',
  'ServiceUnavailable',
]);

/**
 * Turns any failure of an SES call into MessageNotSentError. Only the SDK error's name is kept:
 * SES messages can quote the recipient ("Email address is not verified: ..."), so neither the
 * message nor the SDK error itself (as `cause`) travels on. Rejections (MessageRejected,
 * BadRequestException) and account or identity problems (MailFromDomainNotVerifiedException,
 * SendingPausedException, AccountSuspendedException, NotFoundException, AccessDeniedException)
 * are not retryable: the same call would fail the same way.
 */
export const translateSesError = (error: unknown): MessageNotSentError => {
  const name = error instanceof Error ? error.name : 'UnknownError';
  return new MessageNotSentError('email', {
    logDetail: name,
    retryable: retryable.has(name) || isTransportError(error),
  });
};

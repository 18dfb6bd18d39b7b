import type { MiddlewareObj } from '@middy/core';
import { DomainError } from '../../domain/errors.ts';
import { logMessages } from '../log-messages.ts';
import type { Logger } from '../logger.ts';
import type { HttpEvent, HttpResponse } from './http-types.ts';
import { jsonResponse } from './responses.ts';

/** An error middy's own middlewares throw (bad JSON, wrong content type): safe status, unsafe detail. */
interface MiddyHttpError {
  readonly statusCode: number;
  readonly expose: boolean;
}

const isMiddyHttpError = (error: unknown): error is MiddyHttpError =>
  typeof error === 'object' &&
  error !== null &&
  typeof (error as MiddyHttpError).statusCode === 'number' &&
  (error as MiddyHttpError).expose === true;

/** Stack frames only: the first line of a stack repeats the message, which may quote input. */
const framesOf = (error: unknown): string | undefined =>
  error instanceof Error ? error.stack?.split('\n').slice(1).join('\n') : undefined;

/** Turns any thrown error into the response the client may see. Unknown errors reveal nothing. */
export const toErrorResponse = (error: unknown, logger: Logger): HttpResponse => {
  if (error instanceof DomainError) {
    logger.info({
      ...logMessages.requestRejected,
      errorCode: error.code,
      errorClass: error.name,
      detail: error.logDetail,
    });
    return jsonResponse(error.status, { error: error.code, error_description: error.description });
  }
  if (isMiddyHttpError(error) && error.statusCode < 500) {
    logger.info({
      ...logMessages.requestRejected,
      errorCode: 'invalid_request',
      httpStatus: error.statusCode,
    });
    return jsonResponse(error.statusCode, {
      error: 'invalid_request',
      error_description: 'The request body could not be read; check its content type and encoding.',
    });
  }
  logger.error({
    ...logMessages.unexpectedError,
    errorClass: error instanceof Error ? error.name : typeof error,
    frames: framesOf(error),
  });
  return jsonResponse(500, { error: 'server_error', error_description: 'An unexpected error occurred.' });
};

/** The error mapper: registered so that its `onError` runs after every other middleware's. */
export const errorMapper = (logger: Logger): MiddlewareObj<HttpEvent, HttpResponse> => ({
  onError: async (request) => {
    request.response = toErrorResponse(request.error, logger);
  },
});

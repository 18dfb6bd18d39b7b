import type { MiddlewareObj } from '@middy/core';
import { DomainError, InvalidRequestError } from '../../domain/errors.ts';
import { ParameterTooLongError } from '../../domain/input-limits.ts';
import { TooManyAttemptsError } from '../../domain/limits/too-many-attempts-error.ts';
import { PatientProblemError } from '../../domain/patient-problems.ts';
import { limitLogMessages, logMessages, problemLogMessages } from '../log-messages.ts';
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

/**
 * What the client may be told about an error: its status, stable code and safe description, and
 * the typed error it was classified as (an unreadable body becomes an InvalidRequestError; an
 * unexpected error has none). Every presenter works from this one classification.
 */
export interface ClassifiedError {
  readonly status: number;
  readonly code: string;
  readonly description: string;
  readonly cause: DomainError | undefined;
}

/** Turns a classified error into a response. Protocol endpoints answer JSON; the hosted pages render an accessible page. */
export type ErrorPresenter = (classified: ClassifiedError) => HttpResponse;

export const presentAsJson: ErrorPresenter = (classified) =>
  jsonResponse(classified.status, { error: classified.code, error_description: classified.description });

/** Classifies and logs any thrown error once; unknown errors reveal nothing. */
export const classifyError = (error: unknown, logger: Logger): ClassifiedError => {
  if (error instanceof DomainError) {
    const entry = { errorCode: error.code, errorClass: error.name, detail: error.logDetail };
    // Refusals by a limit have codes of their own, at warn: they are what abuse alarms watch.
    if (error instanceof TooManyAttemptsError) logger.warn({ ...limitLogMessages[error.reason], ...entry });
    else if (error instanceof ParameterTooLongError) logger.warn({ ...logMessages.inputTooLong, ...entry });
    else if (error instanceof PatientProblemError)
      logger.info({ ...problemLogMessages[error.problem], ...entry });
    else logger.info({ ...logMessages.requestRejected, ...entry });
    // Server-side failures say nothing of what failed: that is for the logs.
    const description =
      error.status < 500
        ? error.description
        : error.status === 503
          ? 'The service is busy or a dependency is unavailable; try again shortly.'
          : 'An unexpected error occurred.';
    return { status: error.status, code: error.code, description, cause: error };
  }
  if (isMiddyHttpError(error) && error.statusCode < 500) {
    logger.info({
      ...logMessages.requestRejected,
      errorCode: 'invalid_request',
      httpStatus: error.statusCode,
    });
    const description = 'The request body could not be read; check its content type and encoding.';
    return { status: 400, code: 'invalid_request', description, cause: new InvalidRequestError(description) };
  }
  logger.error({
    ...logMessages.unexpectedError,
    errorClass: error instanceof Error ? error.name : typeof error,
    frames: framesOf(error),
  });
  return {
    status: 500,
    code: 'server_error',
    description: 'An unexpected error occurred.',
    cause: undefined,
  };
};

/** The error mapper: registered so that its `onError` runs after every other middleware's. */
export const errorMapper = (
  logger: Logger,
  present: ErrorPresenter = presentAsJson,
): MiddlewareObj<HttpEvent, HttpResponse> => ({
  onError: async (request) => {
    request.response = present(classifyError(request.error, logger));
  },
});

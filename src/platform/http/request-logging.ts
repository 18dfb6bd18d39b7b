import type { MiddlewareObj } from '@middy/core';
import { logMessages } from '../log-messages.ts';
import type { Logger } from '../logger.ts';
import type { HttpEvent, HttpResponse } from './http-types.ts';

/**
 * Adds the Lambda context and request id to every log line of a request, and logs one line when it
 * completes: the route key (a template, never the raw path), status and duration. Never the query,
 * body, cookies or headers, which carry codes, tokens and personal data.
 */
export const requestLogging = (
  logger: Logger,
  now: () => number = Date.now,
): MiddlewareObj<HttpEvent, HttpResponse> => {
  // Keyed by request: the local server runs many requests through one handler at a time.
  const startedAt = new WeakMap<object, number>();
  const complete = async (request: { response: HttpResponse | undefined | null }) => {
    logger.info({
      ...logMessages.requestCompleted,
      status: request.response?.statusCode,
      durationMs: now() - (startedAt.get(request) ?? now()),
    });
  };
  return {
    before: async (request) => {
      startedAt.set(request, now());
      logger.resetKeys();
      logger.addContext(request.context);
      logger.appendKeys({
        route: request.event.routeKey,
        requestId: request.event.requestContext?.requestId,
      });
    },
    after: complete,
    onError: complete,
  };
};

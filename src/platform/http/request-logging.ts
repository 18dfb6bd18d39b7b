import type { MiddlewareObj } from '@middy/core';
import { logMessages } from '../log-messages.ts';
import type { Logger } from '../logger.ts';
import type { ServiceMetrics } from '../metrics.ts';
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

/**
 * Counts each response by its function and status class, then publishes what the request counted
 * (its journey's steps too), so a request's metrics leave with it: the 5xx rate per function is
 * the service's first alarm, and errors mapped to a page or JSON never reach Lambda's own Errors.
 */
export const requestMetrics = (
  metrics: ServiceMetrics,
  functionName: string,
): MiddlewareObj<HttpEvent, HttpResponse> => {
  const complete = async (request: { response: HttpResponse | undefined | null }) => {
    const status = request.response?.statusCode ?? 500;
    metrics.add('Responses', { function: functionName, status: `${Math.floor(status / 100)}xx` });
    metrics.publish();
  };
  return { after: complete, onError: complete };
};

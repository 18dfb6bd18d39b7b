import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, HttpEvent, HttpHandler, HttpResponse } from './http/http-types.ts';

/** What of Powertools' Tracer a traced handler uses (a fake in tests; a no-op outside Lambda). */
export interface TraceWriter {
  getSegment(): TraceSegment | undefined;
  setSegment(segment: TraceSegment): void;
  annotateColdStart(): void;
  addServiceNameAnnotation(): void;
  putAnnotation(key: string, value: string): void;
}

export interface TraceSegment {
  addNewSubsegment(name: string): TraceSegment;
  addError(error: Error): void;
  close(): void;
}

/** A handler's X-Ray annotations: codes only (a route template, a task, a status class), never personal data. */
type Annotations = Readonly<Record<string, string>>;

/**
 * Runs a handler in a `## handler` subsegment of the function's X-Ray trace, annotated with what
 * it was asked (`annotate`) and how it ended (`outcome`), so traces can be searched by route and
 * outcome. The segment's errors are the error's class only (X-Ray records its message too, and
 * our messages carry no personal data).
 */
export const traced =
  <E, R>(
    tracer: TraceWriter,
    handler: (event: E, context: Context) => Promise<R>,
    describe: { annotate(event: E): Annotations; outcome(result: R): string },
  ) =>
  async (event: E, context: Context): Promise<R> => {
    const segment = tracer.getSegment();
    const subsegment = segment?.addNewSubsegment('## handler');
    if (subsegment) tracer.setSegment(subsegment);
    tracer.annotateColdStart();
    tracer.addServiceNameAnnotation();
    for (const [key, value] of Object.entries(describe.annotate(event))) tracer.putAnnotation(key, value);
    try {
      const result = await handler(event, context);
      tracer.putAnnotation('outcome', describe.outcome(result));
      return result;
    } catch (error) {
      tracer.putAnnotation('outcome', 'error');
      subsegment?.addError(error as Error);
      throw error;
    } finally {
      subsegment?.close();
      if (segment) tracer.setSegment(segment);
    }
  };

const lambdaTracer = (): TraceWriter =>
  new Tracer({ serviceName: 'patient-login' }) as unknown as TraceWriter;

/** An HTTP function's handler, traced by its function, route (the template) and status class. */
export const tracedHttpHandler = (
  functionName: string,
  handler: HttpHandler,
  tracer: TraceWriter = lambdaTracer(),
): HttpHandler =>
  traced<HttpEvent, HttpResponse>(tracer, handler, {
    annotate: (event) => ({ function: functionName, route: event.routeKey }),
    outcome: (response) => `${Math.floor(response.statusCode / 100)}xx`,
  });

/** A workflow task function's handler, traced by its function and task. */
export const tracedTaskHandler = (
  functionName: string,
  handler: (event: unknown) => Promise<unknown>,
  tracer: TraceWriter = lambdaTracer(),
) =>
  traced<unknown, unknown>(tracer, (event) => handler(event), {
    annotate: (event) => {
      const task = (event as { task?: unknown } | null)?.task;
      return { function: functionName, task: typeof task === 'string' ? task : 'unknown' };
    },
    outcome: () => 'ok',
  });

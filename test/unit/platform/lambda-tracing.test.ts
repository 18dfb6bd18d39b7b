import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { HttpEvent } from '../../../src/platform/http/http-types.ts';
import {
  type TraceSegment,
  type TraceWriter,
  tracedHttpHandler,
  tracedTaskHandler,
} from '../../../src/platform/lambda-tracing.ts';

/** A tracer that records what the handler wrote to it, as X-Ray would receive it. */
const recordingTracer = () => {
  const events: string[] = [];
  const segment = (name: string): TraceSegment => ({
    addNewSubsegment: (child) => {
      events.push(`open ${child}`);
      return segment(child);
    },
    addError: (error) => {
      events.push(`error ${error.name}`);
    },
    close: () => {
      events.push(`close ${name}`);
    },
  });
  const root = segment('facade');
  const tracer: TraceWriter = {
    getSegment: () => root,
    setSegment: (current) => {
      events.push(current === root ? 'back to facade' : 'into subsegment');
    },
    annotateColdStart: () => events.push('annotate ColdStart'),
    addServiceNameAnnotation: () => events.push('annotate Service'),
    putAnnotation: (key, value) => {
      events.push(`annotate ${key}=${value}`);
    },
  };
  return { tracer, events };
};

const context = { awsRequestId: 'request-1' } as Context;
const event = {
  routeKey: 'POST /login',
  rawPath: '/login',
  body: 'email=patient%40example.com',
} as HttpEvent;

describe('lambda tracing', () => {
  it('traces an HTTP request in a handler subsegment annotated with its function, route template and status class', async () => {
    // Prepare
    const { tracer, events } = recordingTracer();
    const handler = tracedHttpHandler('login-pages', async () => ({ statusCode: 303, headers: {} }), tracer);

    // Act
    const response = await handler(event, context);

    // Assess
    expect(response.statusCode).toBe(303);
    expect(events).toEqual([
      'open ## handler',
      'into subsegment',
      'annotate ColdStart',
      'annotate Service',
      'annotate function=login-pages',
      'annotate route=POST /login',
      'annotate outcome=3xx',
      'close ## handler',
      'back to facade',
    ]);
    expect(events.join(' ')).not.toContain('example.com');
  });

  it('records a thrown error on the subsegment, closes it, and throws it on', async () => {
    // Prepare
    const { tracer, events } = recordingTracer();
    const handler = tracedTaskHandler(
      'photo-id-intake',
      async () => {
        throw new TypeError('boom');
      },
      tracer,
    );

    // Act
    const run = handler({ task: 'validate-media' }, context);

    // Assess
    await expect(run).rejects.toThrow('boom');
    expect(events).toEqual(
      expect.arrayContaining([
        'annotate function=photo-id-intake',
        'annotate task=validate-media',
        'annotate outcome=error',
        'error TypeError',
        'close ## handler',
        'back to facade',
      ]),
    );
  });
});

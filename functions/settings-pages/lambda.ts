import { tracedHttpHandler } from '../../src/platform/lambda-tracing.ts';
import { dependencies } from './dependencies.ts';
import { createHandler } from './handler.ts';

export const handler = tracedHttpHandler('settings-pages', createHandler(dependencies(process.env)));

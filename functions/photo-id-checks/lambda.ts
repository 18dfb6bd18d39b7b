import { tracedTaskHandler } from '../../src/platform/lambda-tracing.ts';
import { createPhotoIdTaskHandler } from '../../src/wiring/photo-id-task-function.ts';
import { dependencies } from './dependencies.ts';

export const handler = tracedTaskHandler(
  'photo-id-checks',
  createPhotoIdTaskHandler('photo-id-checks', dependencies(process.env)),
);

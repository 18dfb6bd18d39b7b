import { tracedTaskHandler } from '../../src/platform/lambda-tracing.ts';
import { createPhotoIdTaskHandler } from '../../src/wiring/photo-id-task-function.ts';
import { dependencies } from './dependencies.ts';

export const handler = tracedTaskHandler(
  'photo-id-intake',
  createPhotoIdTaskHandler('photo-id-intake', dependencies(process.env)),
);

import { createPhotoIdTaskHandler } from '../../src/wiring/photo-id-task-function.ts';
import { dependencies } from './dependencies.ts';

export const handler = createPhotoIdTaskHandler('photo-id-checks', dependencies(process.env));

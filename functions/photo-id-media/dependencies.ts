import { S3MediaStore } from '../../src/adapters/s3/s3-media-store.ts';
import { photoIdTaskDependencies } from '../../src/wiring/photo-id-task-function.ts';

/** Deletes the media from the bucket once the decision is made (its role may delete, not read). */
export const dependencies = (env: Record<string, string | undefined>) =>
  photoIdTaskDependencies(env, { media: (bucket) => new S3MediaStore({ bucket }) });

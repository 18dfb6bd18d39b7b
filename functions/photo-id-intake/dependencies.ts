import { S3MediaStore } from '../../src/adapters/s3/s3-media-store.ts';
import { pdsDemographics } from '../../src/wiring/pds-demographics.ts';
import { photoIdTaskDependencies } from '../../src/wiring/photo-id-task-function.ts';

/** Checks the uploads (the media bucket, read only) and matches the details (PDS, with its own key). */
export const dependencies = (env: Record<string, string | undefined>) =>
  photoIdTaskDependencies(env, {
    media: (bucket) => new S3MediaStore({ bucket }),
    demographics: pdsDemographics,
  });

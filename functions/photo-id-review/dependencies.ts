import { pdsDemographics } from '../../src/wiring/pds-demographics.ts';
import { photoIdTaskDependencies } from '../../src/wiring/photo-id-task-function.ts';

/** The review's steps: the table, and PDS again for an approval (the record proved is the one PDS has then). */
export const dependencies = (env: Record<string, string | undefined>) =>
  photoIdTaskDependencies(env, { demographics: pdsDemographics });

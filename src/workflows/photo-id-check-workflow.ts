import { readFileSync } from 'node:fs';
import type { CheckReference, PhotoIdWorkflowTasks } from '../domain/identity/photo-id/photo-id-workflow.ts';

/** The workflow's definition: JSONPath ASL, with `${Name}` for each task function's ARN. */
export const photoIdCheckDefinitionPath = new URL('../../workflows/photo-id-check.asl.json', import.meta.url);

/**
 * The functions the workflow's Task states invoke, each with the tasks it runs: split by what
 * they may touch (the intake reads the media and asks PDS; the checks read the reviewed media and
 * call Rekognition and Textract; the review writes the decision and,
 * for an approval, asks PDS again; the outcome sends email; the media function deletes media).
 */
export const photoIdTaskFunctions = {
  'photo-id-intake': ['validate-submission', 'match-details'],
  'photo-id-checks': ['run-automated-checks'],
  'photo-id-review': ['prepare-review', 'await-review', 'escalate', 'apply-decision', 'record-failure'],
  'photo-id-outcome': ['send-delayed-email', 'send-outcome-email', 'record-email-failure'],
  'photo-id-media': ['schedule-media-deletion', 'delete-media', 'delete-gone-media'],
} as const;

export type PhotoIdTaskFunction = keyof typeof photoIdTaskFunctions;
export type PhotoIdTaskName = (typeof photoIdTaskFunctions)[PhotoIdTaskFunction][number];

/** The definition's substitution for each task function's ARN. */
export const photoIdTaskSubstitutions: Readonly<Record<PhotoIdTaskFunction, string>> = {
  'photo-id-intake': 'PhotoIdIntakeFunctionArn',
  'photo-id-checks': 'PhotoIdChecksFunctionArn',
  'photo-id-review': 'PhotoIdReviewFunctionArn',
  'photo-id-outcome': 'PhotoIdOutcomeFunctionArn',
  'photo-id-media': 'PhotoIdMediaFunctionArn',
};

/** The definition's text as in the file (CDK substitutes the ARNs at deployment). */
export const photoIdCheckDefinitionText = (): string => readFileSync(photoIdCheckDefinitionPath, 'utf8');

/** The definition with every `${Name}` replaced; a name without a value is refused. */
export const substituteDefinition = (text: string, values: Readonly<Record<string, string>>): string =>
  text.replace(/\$\{([A-Za-z0-9_]+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`No value for the definition's \${${name}}`);
    return value;
  });

/** A task's input, read strictly: the check reference every task needs, then what the task adds. */
const readReference = (value: unknown): CheckReference => {
  const { accountId, checkId, attempt } = (value ?? {}) as Record<string, unknown>;
  if (typeof accountId !== 'string' || typeof checkId !== 'string' || typeof attempt !== 'number')
    throw new TypeError('A task needs the check: accountId, checkId and attempt');
  return { accountId, checkId, attempt };
};

/**
 * Runs one task for a function: the Lambda handler of each task function, and the local runner,
 * both call this with the Payload the ASL gives. A task another function runs is refused.
 */
export const runPhotoIdTask = async (
  tasks: PhotoIdWorkflowTasks,
  functionName: PhotoIdTaskFunction,
  payload: unknown,
): Promise<unknown> => {
  const input = (payload ?? {}) as Record<string, unknown>;
  const task = input.task;
  if (!(photoIdTaskFunctions[functionName] as readonly unknown[]).includes(task))
    throw new TypeError(`${functionName} does not run the task ${String(task)}`);
  const check = readReference(input.check);
  switch (task as PhotoIdTaskName) {
    case 'validate-submission':
      return tasks.validateSubmission(check);
    case 'match-details':
      return tasks.matchDetails(check);
    case 'run-automated-checks':
      return tasks.runAutomatedChecks(check);
    case 'prepare-review':
      return tasks.prepareReview(check);
    case 'await-review': {
      if (typeof input.taskToken !== 'string') throw new TypeError('await-review needs the task token');
      await tasks.awaitReview({ ...check, taskToken: input.taskToken });
      return {};
    }
    case 'escalate':
      return tasks.escalate(check);
    case 'apply-decision':
      return tasks.applyDecision({ ...check, decided: input.decided });
    case 'record-failure': {
      const failedAt = (input.failedAt ?? {}) as Record<string, { Error?: unknown }>;
      const [step, error] = Object.entries(failedAt)[0] ?? ['unknown', {}];
      await tasks.recordFailure({ ...check, step, error });
      return {};
    }
    case 'send-delayed-email':
      await tasks.sendDelayedEmail(check);
      return {};
    case 'send-outcome-email':
      await tasks.sendOutcomeEmail({ ...check, outcome: input.outcome });
      return {};
    case 'record-email-failure':
      await tasks.recordEmailFailure(check);
      return {};
    case 'schedule-media-deletion':
      return tasks.scheduleMediaDeletion({ ...check, outcome: input.outcome });
    case 'delete-media':
      await tasks.deleteMedia({ ...check, outcome: input.outcome });
      return {};
    case 'delete-gone-media':
      await tasks.deleteGoneMedia(check);
      return {};
  }
};

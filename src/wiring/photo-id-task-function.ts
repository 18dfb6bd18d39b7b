import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { systemClock } from '../domain/clock.ts';
import type { Demographics } from '../domain/identity/demographics.ts';
import type { DocumentText, FaceComparison } from '../domain/identity/photo-id/automated-checks.ts';
import type { MediaStore } from '../domain/identity/photo-id/media-store.ts';
import type { PhotoIdWorkflowTasks } from '../domain/identity/photo-id/photo-id-workflow.ts';
import type { EmailSender } from '../domain/messaging/message-senders.ts';
import { loadConfig, settings } from '../platform/config.ts';
import { createLambdaMetrics } from '../platform/lambda-metrics.ts';
import { logMessages } from '../platform/log-messages.ts';
import { createLogger, type Logger } from '../platform/logger.ts';
import type { ServiceMetrics } from '../platform/metrics.ts';
import type { WorkflowFunctionName } from '../routes.ts';
import { runPhotoIdTask } from '../workflows/photo-id-check-workflow.ts';
import { createPhotoIdWorkflowTasks } from './photo-id-workflow-services.ts';

/** An adapter a task function does not have (and has no permission for): using it is a bug, refused loudly. */
const notHere = <T extends object>(what: string): T =>
  new Proxy({} as T, {
    get: () => () => Promise.reject(new Error(`This function has no ${what}`)),
  });

/**
 * The composition root every task function shares: the table and the settings, and the adapters
 * the function's own tasks use (the rest refuse, as the function's role would).
 */
export const photoIdTaskDependencies = (
  env: Record<string, string | undefined>,
  adapters: {
    readonly media?: (bucket: string) => MediaStore;
    readonly demographics?: (env: Record<string, string | undefined>) => Demographics;
    readonly email?: (env: Record<string, string | undefined>) => EmailSender;
    readonly faceComparison?: () => FaceComparison;
    readonly documentText?: () => DocumentText;
  },
) => {
  const config = loadConfig(env, {
    tableName: settings.tableName,
    logLevel: settings.logLevel,
    issuer: settings.issuer,
    serviceName: settings.serviceName,
    contactUrl: settings.contactUrl,
    mediaBucket: settings.mediaBucket,
    photoId: settings.photoId,
  });
  const logger = createLogger(config.logLevel);
  const metrics = createLambdaMetrics();
  const clock = systemClock;
  const tasks = createPhotoIdWorkflowTasks({
    table: new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
    clock,
    media: adapters.media ? adapters.media(config.mediaBucket) : notHere('media store'),
    demographics: adapters.demographics ? adapters.demographics(env) : notHere('PDS'),
    email: adapters.email ? adapters.email(env) : notHere('email'),
    faceComparison: adapters.faceComparison ? adapters.faceComparison() : notHere('face comparison'),
    documentText: adapters.documentText ? adapters.documentText() : notHere('document text reader'),
    logger,
    metrics,
    issuer: config.issuer,
    serviceName: config.serviceName,
    contactLink: config.contactUrl ?? `${config.issuer}/contact`,
    settings: config.photoId,
  });
  return { tasks, logger, metrics };
};

/**
 * A task function's handler: the state machine's Payload in, the task's result out. A failure is
 * logged by its name only and thrown on, so Step Functions' Retry and Catch see the error's name.
 */
export const createPhotoIdTaskHandler =
  (
    name: WorkflowFunctionName,
    deps: {
      readonly tasks: PhotoIdWorkflowTasks;
      readonly logger: Logger;
      /** Published as each task ends: the decisions' identity-check counts, and the cold start. */
      readonly metrics?: ServiceMetrics;
    },
  ) =>
  async (event: unknown): Promise<unknown> => {
    const task = (event as { task?: unknown } | null)?.task;
    try {
      return await runPhotoIdTask(deps.tasks, name, event);
    } catch (error) {
      deps.logger.warn({
        ...logMessages.photoIdTaskFailed,
        task: typeof task === 'string' ? task : 'unknown',
        error: (error as Error).name,
      });
      throw error;
    } finally {
      deps.metrics?.publish();
    }
  };

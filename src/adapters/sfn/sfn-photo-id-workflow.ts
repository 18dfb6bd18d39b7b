import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { ConflictError, ServiceUnavailableError } from '../../domain/errors.ts';
import { type ReviewDecision, readReviewDecision } from '../../domain/identity/photo-id/photo-id-check.ts';
import {
  type CheckReference,
  executionNameOf,
  InvalidDecisionError,
  type PhotoIdWorkflow,
  type ReviewDecisions,
  TaskTokenUnusableError,
  type WaitingReview,
} from '../../domain/identity/photo-id/photo-id-workflow.ts';

const unavailable = (action: string, error: unknown) =>
  new ServiceUnavailableError('The identity check workflow could not be reached.', {
    logDetail: `${action}: ${(error as Error).name}`,
    cause: error,
  });

/**
 * The photo-ID workflow on Step Functions: a submission starts the state machine's execution
 * named after it; a reviewer's decision is SendTaskSuccess with the token the wait stored, and
 * names the check and submission it is for.
 */
export class SfnPhotoIdWorkflow implements PhotoIdWorkflow, ReviewDecisions {
  readonly #client: SFNClient;
  readonly #stateMachineArn: string;

  constructor(options: { readonly stateMachineArn: string; readonly client?: SFNClient }) {
    this.#client = options.client ?? new SFNClient({});
    this.#stateMachineArn = options.stateMachineArn;
  }

  async start(check: CheckReference): Promise<void> {
    try {
      await this.#client.send(
        new StartExecutionCommand({
          stateMachineArn: this.#stateMachineArn,
          name: executionNameOf(check),
          input: JSON.stringify({
            check: { accountId: check.accountId, checkId: check.checkId, attempt: check.attempt },
          }),
        }),
      );
    } catch (error) {
      // Step Functions takes the same name and input again while the execution runs; it refuses
      // them once it has ended: this submission ran already, and must not be sent again.
      if (error instanceof ExecutionAlreadyExists)
        throw new ConflictError('This submission was checked already.', {
          logDetail: 'ExecutionAlreadyExists',
        });
      throw unavailable('StartExecution', error);
    }
  }

  async decide(waiting: WaitingReview, decision: ReviewDecision, reviewer: string): Promise<void> {
    const read = readReviewDecision(decision);
    if (!read) throw new InvalidDecisionError('The decision is not one the workflow knows.');
    const { taskToken, checkId, attempt } = waiting;
    try {
      await this.#client.send(
        new SendTaskSuccessCommand({
          taskToken,
          output: JSON.stringify({ decision: read, reviewer, checkId, attempt }),
        }),
      );
    } catch (error) {
      if (error instanceof TaskDoesNotExist || error instanceof TaskTimedOut || error instanceof InvalidToken)
        throw new TaskTokenUnusableError('No task is waiting with this token.', { logDetail: error.name });
      throw unavailable('SendTaskSuccess', error);
    }
  }
}

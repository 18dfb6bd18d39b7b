import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { ConflictError } from '../domain/errors.ts';
import {
  type PhotoIdCheckStore,
  type ReviewDecision,
  readReviewDecision,
} from '../domain/identity/photo-id/photo-id-check.ts';
import {
  type CheckReference,
  executionNameOf,
  InvalidDecisionError,
  type PhotoIdWorkflow,
  type PhotoIdWorkflowTasks,
  type ReviewDecisions,
  TaskTokenUnusableError,
  type WaitingReview,
} from '../domain/identity/photo-id/photo-id-workflow.ts';
import {
  type PhotoIdTaskFunction,
  photoIdCheckDefinitionText,
  photoIdTaskFunctions,
  photoIdTaskSubstitutions,
  runPhotoIdTask,
  substituteDefinition,
} from '../workflows/photo-id-check-workflow.ts';

/** How an execution ended: what the Step Functions console would show. */
export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: unknown }
  | { readonly status: 'FAILED'; readonly error: string }
  | { readonly status: 'ABORTED' };

interface Waiting {
  readonly taskToken: string;
  /** When the wait times out (epoch ms), as the runner times it: a decision after that is refused, as SendTaskSuccess's TaskTimedOut. */
  readonly timesOutAt: number;
  readonly resolve: (output: JSONValue) => void;
}

type TaskState = { readonly Type: string; readonly Resource?: string };

/** The runner's JSON value type, which it does not export. */
type JSONValue = Parameters<StateMachine['run']>[0];

const timeoutMarginMs = 100;

/**
 * The photo-ID workflow on `npm start`: the same ASL file, run by aws-local-stepfunctions, its
 * Task states mapped to the same task code the Lambda functions run. What the runner lacks is
 * emulated here, behind the same ports, never with a different definition (docs/workflows.md):
 * task tokens (the runner makes none: each wait gets a fresh one, kept in a callback registry
 * that `decide` resolves, as SendTaskSuccess would), and executions that outlive the process
 * (the store is the source of truth: `resume` re-creates the executions of checks still waiting,
 * whose steps find their work done and wait again with a new token).
 */
export class LocalPhotoIdWorkflow implements PhotoIdWorkflow, ReviewDecisions {
  readonly #machine: StateMachine;
  readonly #tasks: PhotoIdWorkflowTasks;
  readonly #checks: PhotoIdCheckStore;
  readonly #overrides: {
    readonly retryIntervalOverrides?: Record<string, number>;
    readonly waitTimeOverrides?: Record<string, number>;
  };
  readonly #running = new Map<string, { abort: () => void; result: Promise<ExecutionOutcome> }>();
  /** Executions that ended in this process (Step Functions keeps every name for 90 days). */
  readonly #ended = new Set<string>();
  /** The callback registry: each waiting task's token, one per execution (a new wait replaces the last). */
  readonly #waiting = new Map<string, Waiting>();
  readonly #onOutcome: (execution: string, outcome: ExecutionOutcome) => void;

  constructor(options: {
    readonly tasks: PhotoIdWorkflowTasks;
    readonly checks: PhotoIdCheckStore;
    /** Tests move time on: no pause between retries, or a Wait state's own duration. */
    readonly retryIntervalOverrides?: Record<string, number>;
    readonly waitTimeOverrides?: Record<string, number>;
    readonly onOutcome?: (execution: string, outcome: ExecutionOutcome) => void;
  }) {
    this.#tasks = options.tasks;
    this.#checks = options.checks;
    this.#overrides = {
      ...(options.retryIntervalOverrides ? { retryIntervalOverrides: options.retryIntervalOverrides } : {}),
      ...(options.waitTimeOverrides ? { waitTimeOverrides: options.waitTimeOverrides } : {}),
    };
    this.#onOutcome = options.onOutcome ?? (() => undefined);
    // Each task function's ARN becomes its own name, which the local handlers below dispatch on.
    const definition = JSON.parse(
      substituteDefinition(
        photoIdCheckDefinitionText(),
        Object.fromEntries(Object.entries(photoIdTaskSubstitutions).map(([name, key]) => [key, name])),
      ),
    );
    this.#machine = new StateMachine(definition);
    this.#states = definition.States as Record<string, TaskState>;
  }

  readonly #states: Record<string, TaskState>;

  /**
   * Starts the submission's execution, unless it is running already (the same name starts
   * once); a name whose execution has ended is refused, as Step Functions refuses it.
   */
  async start(check: CheckReference): Promise<void> {
    const name = executionNameOf(check);
    if (this.#running.has(name)) return;
    if (this.#ended.has(name)) throw new ConflictError('This submission was checked already.');
    const execution = this.#machine.run(
      { check: { accountId: check.accountId, checkId: check.checkId, attempt: check.attempt } },
      {
        overrides: { taskResourceLocalHandlers: this.#handlers(name), ...this.#overrides },
        // The runner evaluates `$$.Task.Token` from this object; each wait replaces it with its own.
        context: { Execution: { Name: name }, Task: { Token: 'emulated-by-the-callback-registry' } },
        noThrowOnAbort: true,
      },
    );
    const result = execution.result.then(
      (output): ExecutionOutcome =>
        output === null ? { status: 'ABORTED' } : { status: 'SUCCEEDED', output },
      // The runner wraps the failure (ExecutionError); its cause names the error, as Step Functions reports it.
      (error: unknown): ExecutionOutcome => ({
        status: 'FAILED',
        error: (error as { cause?: { name?: string } }).cause?.name ?? (error as Error).name ?? 'Error',
      }),
    );
    this.#running.set(name, { abort: execution.abort, result });
    void result.then((outcome) => {
      this.#running.delete(name);
      // An aborted execution (the process stopping) is re-created by `resume`, not ended.
      if (outcome.status !== 'ABORTED') this.#ended.add(name);
      this.#waiting.delete(name);
      this.#onOutcome(name, outcome);
    });
  }

  /** SendTaskSuccess: the waiting task whose token this is goes on with the decision. */
  async decide(waiting: WaitingReview, decision: ReviewDecision, reviewer: string): Promise<void> {
    const read = readReviewDecision(decision);
    if (!read) throw new InvalidDecisionError('The decision is not one the workflow knows.');
    const entry = [...this.#waiting.entries()].find(([, wait]) => wait.taskToken === waiting.taskToken);
    if (!entry || Date.now() >= entry[1].timesOutAt)
      throw new TaskTokenUnusableError('No task is waiting with this token.');
    const [name, wait] = entry;
    this.#waiting.delete(name);
    wait.resolve({ decision: { ...read }, reviewer, checkId: waiting.checkId, attempt: waiting.attempt });
  }

  /** How the submission's execution ended, once it has (undefined when none is running). */
  settled(check: CheckReference): Promise<ExecutionOutcome> | undefined {
    return this.#running.get(executionNameOf(check))?.result;
  }

  /** Re-creates the executions of checks still with the reviewers (after a restart of `npm start`). */
  async resume(): Promise<number> {
    const waiting = await this.#checks.waiting();
    for (const check of waiting) await this.start(check);
    return waiting.length;
  }

  /** Ends every execution (the process is stopping); the store keeps where each check is. */
  async stop(): Promise<void> {
    const running = [...this.#running.values()];
    for (const execution of running) execution.abort();
    await Promise.all(running.map((execution) => execution.result));
  }

  #handlers(executionName: string) {
    return Object.fromEntries(
      Object.entries(this.#states)
        .filter(([, state]) => state.Type === 'Task')
        .map(([stateName, state]) => [
          stateName,
          state.Resource?.endsWith('.waitForTaskToken')
            ? (input: JSONValue) => this.#wait(executionName, input)
            : async (input: JSONValue): Promise<JSONValue> => {
                // Any other step means the last wait ended (a timeout, a decision): its token is dead.
                this.#waiting.delete(executionName);
                const { FunctionName, Payload } = input as { FunctionName: string; Payload: unknown };
                const result = await runPhotoIdTask(this.#tasks, functionNamed(FunctionName), Payload);
                return { Payload: result as JSONValue };
              },
        ]),
    );
  }

  /**
   * A `.waitForTaskToken` task: a fresh token, registered, then given to the task as Step Functions
   * would. As there, the token can be used from the moment the task has it: a decision that comes
   * while the task is still finishing (it has stored the token) is taken, never refused.
   */
  async #wait(executionName: string, input: JSONValue): Promise<JSONValue> {
    const { FunctionName, Payload } = input as { FunctionName: string; Payload: Record<string, unknown> };
    // The runner's timer starts as this is called; a decision is refused a little before it fires,
    // so none is taken by a wait that has already timed out.
    const timeoutSeconds = Number(Payload.timeoutSeconds ?? 60);
    const timesOutAt = Date.now() + timeoutSeconds * 1000 - timeoutMarginMs;
    const taskToken = `local.${randomUUID()}`;
    const decided = new Promise<JSONValue>((resolve) =>
      this.#waiting.set(executionName, { taskToken, timesOutAt, resolve }),
    );
    try {
      await runPhotoIdTask(this.#tasks, functionNamed(FunctionName), { ...Payload, taskToken });
    } catch (error) {
      if (this.#waiting.get(executionName)?.taskToken === taskToken) this.#waiting.delete(executionName);
      throw error;
    }
    return decided;
  }
}

const functionNamed = (name: string): PhotoIdTaskFunction => {
  if (!Object.hasOwn(photoIdTaskFunctions, name)) throw new TypeError(`No task function ${name}`);
  return name as PhotoIdTaskFunction;
};

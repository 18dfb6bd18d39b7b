import {
  ExecutionAlreadyExists,
  SendTaskSuccessCommand,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SfnPhotoIdWorkflow } from '../../../../src/adapters/sfn/sfn-photo-id-workflow.ts';
import { ConflictError, ServiceUnavailableError } from '../../../../src/domain/errors.ts';
import {
  InvalidDecisionError,
  TaskTokenUnusableError,
} from '../../../../src/domain/identity/photo-id/photo-id-workflow.ts';

const sfn = mockClient(SFNClient);
afterEach(() => sfn.reset());
const ARN = 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check';
const workflow = () =>
  new SfnPhotoIdWorkflow({ stateMachineArn: ARN, client: new SFNClient({ region: 'eu-west-2' }) });
const CHECK = { accountId: 'account-1', checkId: 'check-1', attempt: 2 };

describe('the photo-ID workflow on Step Functions', () => {
  it('starts one execution per submission, named after it, and refuses a submission that ran already', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .resolvesOnce({ executionArn: 'arn:execution' })
      .rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));

    // Act
    await workflow().start(CHECK);
    const again = workflow().start(CHECK);

    // Assess
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.args[0].input).toEqual({
      stateMachineArn: ARN,
      name: 'check-1-2',
      input: JSON.stringify({ check: CHECK }),
    });
  });

  it('sends a decision with the task token, and says when the token names no waiting task', async () => {
    // Prepare
    sfn
      .on(SendTaskSuccessCommand)
      .resolvesOnce({})
      .rejects(new TaskTimedOut({ message: 'timed out', $metadata: {} }));

    // Act
    await workflow().decide(
      { taskToken: 'token-1', checkId: 'check-1', attempt: 2 },
      { outcome: 'rejected', reason: 'id-expired' },
      'reviewer-1',
    );
    const late = workflow().decide(
      { taskToken: 'token-0', checkId: 'check-1', attempt: 1 },
      { outcome: 'approved' },
      'reviewer-1',
    );

    // Assess
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: JSON.stringify({
        decision: { outcome: 'rejected', reason: 'id-expired' },
        reviewer: 'reviewer-1',
        checkId: 'check-1',
        attempt: 2,
      }),
    });
    await expect(late).rejects.toBeInstanceOf(TaskTokenUnusableError);
  });

  it('refuses a decision that is not one of the fixed outcomes without calling Step Functions', async () => {
    // Act
    const refused = workflow().decide(
      { taskToken: 'token-1', checkId: 'check-1', attempt: 1 },
      { outcome: 'rejected', reason: 'because' } as never,
      'r',
    );

    // Assess
    await expect(refused).rejects.toBeInstanceOf(InvalidDecisionError);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('says the workflow is unavailable when Step Functions fails otherwise', async () => {
    // Prepare
    sfn
      .on(StartExecutionCommand)
      .rejects(new SFNServiceException({ name: 'ServiceUnavailable', $fault: 'server', $metadata: {} }));

    // Act
    const started = workflow().start(CHECK);

    // Assess
    await expect(started).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  type PhotoIdTaskFunction,
  photoIdCheckDefinitionText,
  photoIdTaskSubstitutions,
} from '../../src/workflows/photo-id-check-workflow.ts';

export interface PhotoIdCheckStateMachineProps {
  /** The state machine's name, known before it exists, so the functions can be told its ARN without a cycle. */
  readonly stateMachineName: string;
  readonly taskFunctions: Readonly<Record<PhotoIdTaskFunction, lambda.IFunction>>;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The photo-ID check's workflow: a Standard state machine (executions wait for a reviewer for
 * hours) whose definition is `workflows/photo-id-check.asl.json`, inline in the template with
 * each task function's ARN substituted. It may invoke those functions and nothing else; it logs
 * errors without execution data (which holds the check's identifiers, never personal data, but
 * the less in logs the better) and is traced with X-Ray.
 */
export class PhotoIdCheckStateMachine extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PhotoIdCheckStateMachineProps) {
    super(scope, id);
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
    const functions = Object.entries(props.taskFunctions) as [PhotoIdTaskFunction, lambda.IFunction][];
    for (const [, fn] of functions) fn.grantInvoke(role);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: props.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(photoIdCheckDefinitionText()),
      definitionSubstitutions: Object.fromEntries(
        functions.map(([name, fn]) => [photoIdTaskSubstitutions[name], fn.functionArn]),
      ),
      role,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
  }
}

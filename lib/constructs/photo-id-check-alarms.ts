import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { logMessages } from '../../src/platform/log-messages.ts';
import { metricsNamespace } from './house-function.ts';

export interface PhotoIdCheckAlarmsProps {
  readonly stageName: string;
  readonly stateMachine: sfn.IStateMachine;
  /** The ops alert topic (the stack's one, shared with the service alarms). */
  readonly topic: sns.ITopic;
  /** The log groups of the functions the state machine invokes: the workflow's alerts are log lines there. */
  readonly taskLogGroups: readonly logs.ILogGroup[];
}

/** The workflow's alert log lines, by the metric each becomes. */
const alertMetrics = {
  PhotoIdChecksOverdue: logMessages.photoIdCheckOverdue.messageCode,
  PhotoIdCheckFailures: logMessages.photoIdCheckFailed.messageCode,
  PhotoIdOutcomeEmailFailures: logMessages.photoIdOutcomeEmailFailed.messageCode,
} as const;

/**
 * The ops alerts of the photo-ID check: alarms on the alert topic the on-call team subscribes to,
 * for executions that failed, timed out or were aborted, checks past their 2-hour deadline, and
 * checks or outcome emails the workflow could not finish (docs/workflows.md says what to do).
 */
export class PhotoIdCheckAlarms extends Construct {
  readonly topic: sns.ITopic;
  readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PhotoIdCheckAlarmsProps) {
    super(scope, id);
    this.topic = props.topic;
    const namespace = metricsNamespace(props.stageName);
    const period = Duration.minutes(5);
    for (const logGroup of props.taskLogGroups)
      for (const [metricName, messageCode] of Object.entries(alertMetrics))
        new logs.MetricFilter(this, `${metricName}-${logGroup.node.addr}`, {
          logGroup,
          filterPattern: logs.FilterPattern.stringValue('$.messageCode', '=', messageCode),
          metricNamespace: namespace,
          metricName,
          metricValue: '1',
          defaultValue: 0,
        });
    const alertMetric = (metricName: keyof typeof alertMetrics) =>
      new cloudwatch.Metric({ namespace, metricName, statistic: 'Sum', period });
    const ended = new cloudwatch.MathExpression({
      expression: 'failed + timedOut + aborted',
      usingMetrics: {
        failed: props.stateMachine.metricFailed({ period, statistic: 'Sum' }),
        timedOut: props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
        aborted: props.stateMachine.metricAborted({ period, statistic: 'Sum' }),
      },
      period,
    });
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const made = new cloudwatch.Alarm(this, alarmId, {
        alarmName: `patient-login-${props.stageName}-${alarmId}`,
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(new actions.SnsAction(this.topic));
      return made;
    };
    this.alarms = [
      alarm(
        'photo-id-executions-failed',
        ended,
        'A photo-ID check execution failed, timed out or was aborted: the check is in state failed or stuck. Open the execution in Step Functions, then docs/workflows.md (Failures).',
      ),
      alarm(
        'photo-id-checks-overdue',
        alertMetric('PhotoIdChecksOverdue'),
        'A photo-ID check passed its 2-hour staffed-time deadline without a decision. Get a reviewer on the review console queue (overdue checks are first); docs/workflows.md (Escalation).',
      ),
      alarm(
        'photo-id-check-failures',
        alertMetric('PhotoIdCheckFailures'),
        'The photo-ID workflow recorded a check it could not finish (the patient may start again). See the task function logs for the step; docs/workflows.md (Failures).',
      ),
      alarm(
        'photo-id-outcome-email-failures',
        alertMetric('PhotoIdOutcomeEmailFailures'),
        'A photo-ID outcome email could not be sent after its retries: the decision stands, the patient was not told. Check SES sending; docs/workflows.md (Outcome email).',
      ),
    ];
  }
}

import { describe, expect, it } from 'vitest';
import { consoleFunctionSpecs } from '../../src/console-routes.ts';
import { functionSpecs, workflowFunctionNames } from '../../src/routes.ts';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import {
  actionsOf,
  allowedActionsOfFunction,
  arnOf,
  asList,
  propertiesOfEvery,
  resourcesOfType,
  statementsOfFunction,
} from './template-queries.ts';

interface AlarmProperties {
  readonly AlarmName: string;
  readonly AlarmDescription?: string;
  readonly AlarmActions?: unknown[];
  readonly Metrics?: { Expression?: string; MetricStat?: { Metric: { MetricName: string } } }[];
  readonly MetricName?: string;
}

interface MetricFilterProperties {
  readonly LogGroupName: unknown;
  readonly FilterPattern: string;
  readonly MetricTransformations: { MetricName: string; MetricNamespace: string }[];
}

/** The review console in AWS: its own function with exactly its permissions, its own key, and the alarms ops act on. */
describe('the review console and the photo-ID alarms in AWS', () => {
  const { stack, template } = synthesizeStack();
  const consoleFunction = stack.reviewConsole.api.functions.get('review-console');
  if (!consoleFunction) throw new Error('No review console function');
  const consoleId = logicalIdOf(consoleFunction);
  const allFunctions = [...stack.api.functions, ...stack.reviewConsole.api.functions];

  it('gives the console function the table, the reviewed media, the decision and the staff key, and nothing else', () => {
    // Act
    const actions = [...allowedActionsOfFunction(template, consoleId)].sort();

    // Assess
    expect(
      actions.filter(
        (action) =>
          !action.startsWith('dynamodb:') && !action.startsWith('logs:') && !action.startsWith('xray:'),
      ),
    ).toEqual(['kms:Decrypt', 's3:GetObject', 'states:SendTaskSuccess']);
    expect(
      actions.some((action) =>
        ['kms:Sign', 'ses:SendEmail', 'sns:Publish', 'states:StartExecution'].includes(action),
      ),
    ).toBe(false);
  });

  it('lets the console alone decrypt with the staff secrets key, only for staff authenticator secrets, and no function encrypt with it', () => {
    // Prepare
    const staffKey = JSON.stringify(arnOf(logicalIdOf(stack.staffSecretsKey.key)));
    const usesKey = (functionId: string, action: string) =>
      statementsOfFunction(template, functionId).filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          actionsOf(statement).includes(action) &&
          asList(statement.Resource).some((resource) => JSON.stringify(resource) === staffKey),
      );

    // Act
    const decrypters = allFunctions.filter(([, fn]) => usesKey(logicalIdOf(fn), 'kms:Decrypt').length > 0);
    const encrypters = allFunctions.filter(([, fn]) => usesKey(logicalIdOf(fn), 'kms:Encrypt').length > 0);
    const [grant] = usesKey(consoleId, 'kms:Decrypt');

    // Assess
    expect(decrypters.map(([name]) => name)).toEqual(['review-console']);
    expect(encrypters).toEqual([]);
    expect(grant?.Condition).toEqual({
      StringEquals: { 'kms:EncryptionContext:purpose': 'staff-totp-secret' },
    });
  });

  it('keeps the console function out of the patients’ API and the patients’ functions out of the console’s', () => {
    // Assess
    expect([...stack.reviewConsole.api.functions.keys()]).toEqual(Object.keys(consoleFunctionSpecs));
    expect([...stack.api.functions.keys()].sort()).toEqual(Object.keys(functionSpecs).sort());
    expect(stack.api.functions.has('review-console' as never)).toBe(false);
  });

  it('alarms on failed, timed-out and aborted executions and on overdue checks, each with a description and the alert topic', () => {
    // Prepare
    const topic = { Ref: logicalIdOf(stack.photoIdAlarms.topic) };

    // Act
    const alarms = propertiesOfEvery<AlarmProperties>(template, 'AWS::CloudWatch::Alarm').map(
      ([, alarm]) => alarm,
    );
    const byName = new Map(alarms.map((alarm) => [alarm.AlarmName, alarm]));
    const failed = byName.get('patient-login-test-photo-id-executions-failed');
    const overdue = byName.get('patient-login-test-photo-id-checks-overdue');

    // Assess: every alarm says what it means and reaches someone
    for (const alarm of alarms) {
      expect(alarm.AlarmDescription?.length ?? 0).toBeGreaterThan(40);
      expect(alarm.AlarmActions).toEqual([topic]);
    }
    expect(failed?.Metrics?.find((metric) => metric.Expression)?.Expression).toBe(
      'failed + timedOut + aborted',
    );
    expect(
      failed?.Metrics?.flatMap((metric) =>
        metric.MetricStat ? [metric.MetricStat.Metric.MetricName] : [],
      ).sort(),
    ).toEqual(['ExecutionsAborted', 'ExecutionsFailed', 'ExecutionsTimedOut']);
    expect(overdue?.MetricName).toBe('PhotoIdChecksOverdue');
    expect(alarms.length).toBeGreaterThanOrEqual(4);
  });

  it('counts the workflow’s alert log lines from every task function’s log group into the alarms’ metrics', () => {
    // Prepare
    const taskLogGroups = workflowFunctionNames.map((name) => {
      const logGroup = stack.api.logGroups.get(name);
      if (!logGroup) throw new Error(`No log group for ${name}`);
      return JSON.stringify({ Ref: logicalIdOf(logGroup) });
    });

    // Act
    const filters = propertiesOfEvery<MetricFilterProperties>(template, 'AWS::Logs::MetricFilter').map(
      ([, filter]) => filter,
    );
    const overdueFilters = filters.filter((filter) =>
      filter.MetricTransformations.some((metric) => metric.MetricName === 'PhotoIdChecksOverdue'),
    );

    // Assess
    expect(overdueFilters.map((filter) => JSON.stringify(filter.LogGroupName)).sort()).toEqual(
      taskLogGroups.sort(),
    );
    for (const filter of overdueFilters)
      expect(filter.FilterPattern).toBe('{ $.messageCode = "PL_PHOTO_ID_CHECK_OVERDUE" }');
    expect(resourcesOfType(template, 'AWS::SNS::Topic')).toHaveLength(1);
  });

  it('lets the automated checks’ function alone call Rekognition and Textract, and nothing else of either', () => {
    // Act
    const callers = allFunctions
      .map(([name, fn]) => [name, [...allowedActionsOfFunction(template, logicalIdOf(fn))]] as const)
      .filter(([, actions]) => actions.some((action) => /^(rekognition|textract):/.test(action)));

    // Assess
    expect(callers.map(([name]) => name)).toEqual(['photo-id-checks']);
    expect(callers[0]?.[1].filter((action) => /^(rekognition|textract):/.test(action)).sort()).toEqual([
      'rekognition:CompareFaces',
      'textract:DetectDocumentText',
    ]);
  });
});

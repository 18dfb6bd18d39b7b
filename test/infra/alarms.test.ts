import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../src/console-routes.ts';
import { metricDefinitions } from '../../src/platform/metrics.ts';
import { routes } from '../../src/routes.ts';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery, resourcesOfType } from './template-queries.ts';

interface MetricStat {
  readonly Metric: {
    readonly MetricName: string;
    readonly Namespace: string;
    readonly Dimensions?: { Name: string; Value: unknown }[];
  };
}

interface AlarmProperties {
  readonly AlarmName: string;
  readonly AlarmDescription?: string;
  readonly AlarmActions?: unknown[];
  readonly MetricName?: string;
  readonly Namespace?: string;
  readonly Dimensions?: { Name: string; Value: unknown }[];
  readonly Metrics?: { Id: string; Expression?: string; MetricStat?: MetricStat }[];
}

interface FunctionProperties {
  readonly Environment?: { Variables?: Record<string, unknown> };
}

const operationsGuide = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

/** The metrics an alarm reads: its own, or those of its expression. */
const metricsOf = (alarm: AlarmProperties) => [
  ...(alarm.MetricName
    ? [{ MetricName: alarm.MetricName, Namespace: alarm.Namespace, Dimensions: alarm.Dimensions ?? [] }]
    : []),
  ...(alarm.Metrics ?? []).flatMap((metric) =>
    metric.MetricStat
      ? [{ ...metric.MetricStat.Metric, Dimensions: metric.MetricStat.Metric.Dimensions ?? [] }]
      : [],
  ),
];

/** The alarms ops act on: every one reaches someone, says what to do, and covers every function. */
describe('the alarms and dashboards in AWS', () => {
  const { stack, template } = synthesizeStack();
  const alarms = propertiesOfEvery<AlarmProperties>(template, 'AWS::CloudWatch::Alarm').map(
    ([, alarm]) => alarm,
  );
  const functionIds = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => id);
  const topic = { Ref: logicalIdOf(stack.alerts) };

  it('sends every alarm to the alert topic, with a description that points to its runbook line', () => {
    // Act
    const withoutTopic = alarms.filter(
      (alarm) => !JSON.stringify(alarm.AlarmActions ?? []).includes(JSON.stringify(topic)),
    );
    const withoutRunbook = alarms.filter((alarm) => !alarm.AlarmDescription?.includes('docs/'));

    // Assess
    expect(alarms.length).toBeGreaterThan(60);
    expect(withoutTopic.map((alarm) => alarm.AlarmName)).toEqual([]);
    expect(withoutRunbook.map((alarm) => alarm.AlarmName)).toEqual([]);
  });

  it('names every alarm in docs/operations.md, with what it means and what to do first', () => {
    // Act: alarm names are patient-login-<stage>-<id>; a function's own alarms share one line per kind.
    const ids = alarms.map((alarm) => alarm.AlarmName.replace(/^patient-login-test-/, ''));
    const functionNames = [...stack.api.functions.keys(), ...stack.reviewConsole.api.functions.keys()];
    const kinds = new Set(
      ids.map((id) => {
        const kind = ['errors', 'throttles', 'duration-p99', '5xx-rate'].find((each) =>
          functionNames.some((name) => id === `${name}-${each}`),
        );
        return kind ? `<function>-${kind}` : id;
      }),
    );
    const missing = [...kinds].filter((kind) => !operationsGuide.includes(`\`${kind}\``));

    // Assess
    expect(kinds.size).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });

  it('describes every metric of the registry in docs/operations.md', () => {
    // Act
    const missing = Object.keys(metricDefinitions).filter(
      (name) => !operationsGuide.includes(`| \`${name}\` |`),
    );

    // Assess
    expect(missing).toEqual([]);
  });

  it('gives every function an errors, a throttles and a p99 duration alarm', () => {
    // Act
    const alarmed = (metricName: string) =>
      new Set(
        alarms.flatMap((alarm) =>
          metricsOf(alarm)
            .filter((metric) => metric.MetricName === metricName && metric.Namespace === 'AWS/Lambda')
            .flatMap((metric) => metric.Dimensions.filter((dimension) => dimension.Name === 'FunctionName'))
            .map((dimension) => (dimension.Value as { Ref: string }).Ref),
        ),
      );

    // Assess
    expect(functionIds.length).toBeGreaterThan(15);
    for (const metricName of ['Errors', 'Throttles', 'Duration'])
      expect([...alarmed(metricName)].sort(), metricName).toEqual([...functionIds].sort());
  });

  it('alarms on the 5xx rate of every function that answers HTTP requests, from its own Responses metric', () => {
    // Act
    const httpFunctions = [...new Set([...routes, ...consoleRoutes].map((route) => route.function))];
    const rated = new Set(
      alarms.flatMap((alarm) =>
        metricsOf(alarm)
          .filter((metric) => metric.MetricName === 'Responses' && metric.Namespace === 'patient-login/test')
          .flatMap((metric) => metric.Dimensions.filter((dimension) => dimension.Name === 'function'))
          .map((dimension) => dimension.Value as string),
      ),
    );

    // Assess
    expect(httpFunctions.length).toBeGreaterThan(10);
    expect([...rated].sort()).toEqual(httpFunctions.sort());
  });

  it('alarms on the table, KMS signing, SES reputation, SMS spend and pumping, PDS and GP, and login completion', () => {
    // Act
    const names = alarms.map((alarm) => alarm.AlarmName);

    // Assess
    expect(names).toEqual(
      expect.arrayContaining(
        [
          'table-throttles',
          'table-system-errors',
          'kms-sign-near-quota',
          'ses-bounce-rate',
          'ses-complaint-rate',
          'sms-spend-near-limit',
          'sms-sudden-rise',
          'pds-unavailable',
          'gp-unavailable',
          'login-completion-drop',
          'photo-id-executions-failed',
          'photo-id-checks-overdue',
        ].map((id) => `patient-login-test-${id}`),
      ),
    );
  });

  it('traces every function and the photo-ID state machine with X-Ray', () => {
    // Act
    const modes = propertiesOfEvery<{ TracingConfig?: { Mode: string } }>(
      template,
      'AWS::Lambda::Function',
    ).map(([, fn]) => fn.TracingConfig?.Mode);
    const machines = propertiesOfEvery<{ TracingConfiguration?: { Enabled: boolean } }>(
      template,
      'AWS::StepFunctions::StateMachine',
    ).map(([, machine]) => machine.TracingConfiguration?.Enabled);

    // Assess
    expect(new Set(modes)).toEqual(new Set(['Active']));
    expect(machines).toEqual([true]);
  });

  it('publishes every function’s metrics into the stage’s namespace', () => {
    // Act
    const namespaces = propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.Environment?.Variables?.POWERTOOLS_METRICS_NAMESPACE,
    );

    // Assess
    expect(new Set(namespaces)).toEqual(new Set(['patient-login/test']));
  });

  it('builds the service dashboard and the identity checks’ dashboard', () => {
    // Act
    const dashboards = propertiesOfEvery<{ DashboardName: string; DashboardBody: unknown }>(
      template,
      'AWS::CloudWatch::Dashboard',
    );

    // Assess
    expect(dashboards.map(([, dashboard]) => dashboard.DashboardName).sort()).toEqual([
      'patient-login-test-identity-checks',
      'patient-login-test-service',
    ]);
    expect(JSON.stringify(dashboards)).toContain('LoginsCompleted');
    expect(JSON.stringify(dashboards)).toContain('PhotoIdChecksOverdue');
  });

  it('deploys every function through its live alias with CodeDeploy, rolling back on its own errors alarm', () => {
    // Prepare
    const aliases = propertiesOfEvery<{ FunctionName: { Ref: string }; Name: string }>(
      template,
      'AWS::Lambda::Alias',
    );
    const groups = propertiesOfEvery<{
      DeploymentConfigName: string;
      AlarmConfiguration: { Enabled: boolean; Alarms: { Name: { Ref: string } }[] };
      AutoRollbackConfiguration: { Enabled: boolean; Events: string[] };
    }>(template, 'AWS::CodeDeploy::DeploymentGroup').map(([, group]) => group);
    const errorAlarmIds = resourcesOfType(template, 'AWS::CloudWatch::Alarm')
      .filter(([, alarm]) => String(alarm.Properties.AlarmName).endsWith('-errors'))
      .map(([id]) => id);

    // Act
    const aliased = aliases.map(([, alias]) => alias.FunctionName.Ref).sort();
    const rollingBackOnErrors = groups.filter((group) =>
      group.AlarmConfiguration.Alarms.some((alarm) => errorAlarmIds.includes(alarm.Name.Ref)),
    );

    // Assess
    expect(aliased).toEqual([...functionIds].sort());
    expect(new Set(aliases.map(([, alias]) => alias.Name))).toEqual(new Set(['live']));
    expect(groups).toHaveLength(functionIds.length);
    expect(rollingBackOnErrors).toHaveLength(functionIds.length);
    for (const group of groups) {
      expect(group.DeploymentConfigName).toBe('CodeDeployDefault.LambdaAllAtOnce');
      expect(group.AlarmConfiguration.Enabled).toBe(true);
      expect(group.AutoRollbackConfiguration).toEqual({
        Enabled: true,
        Events: expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
      });
    }
  });

  it('sends 10% of the traffic to a new version for 5 minutes first where the stage asks for canary deployments', () => {
    // Act
    const canary = synthesizeStack({ deployment: 'canary' });
    const configs = propertiesOfEvery<{ DeploymentConfigName: string }>(
      canary.template,
      'AWS::CodeDeploy::DeploymentGroup',
    ).map(([, group]) => group.DeploymentConfigName);

    // Assess
    expect(new Set(configs)).toEqual(new Set(['CodeDeployDefault.LambdaCanary10Percent5Minutes']));
  });
});

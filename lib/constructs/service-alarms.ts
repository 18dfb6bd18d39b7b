import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { type MetricName, metricDefinitions } from '../../src/platform/metrics.ts';
import { metricsNamespace } from './house-function.ts';

/** Every function's timeout (house default): the p99 alarm is a share of it. */
const FUNCTION_TIMEOUT_MS = 10_000;

export interface ServiceAlarmsProps {
  readonly stageName: string;
  readonly topic: sns.ITopic;
  /** Every function of the stack, by name: HTTP ones (route tables) and the workflow's tasks. */
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  /** The functions that answer HTTP requests (their 5xx rate is alarmed on). */
  readonly httpFunctions: readonly string[];
  readonly table: dynamodb.ITable;
  /** What the stage may spend on texts in a month (the SNS account's spend limit), in US dollars. */
  readonly smsMonthlySpendLimitUsd: number;
}

/**
 * The service's alarms, each to the alert topic with a description saying what it means and the
 * first thing to do (docs/operations.md has the runbook line of each): per function, its 5xx rate,
 * errors, throttles and p99 duration; the table's throttles and system errors; KMS signing near
 * its quota; SES bounces and complaints; SMS spend and a sudden rise in texts (pumping); PDS or GP
 * unavailable; and the login completion rate dropping.
 */
export class ServiceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  /** Each function's own alarms (errors, throttles, duration, 5xx rate): its deployments roll back on them. */
  readonly byFunction = new Map<string, cloudwatch.Alarm[]>();
  readonly namespace: string;
  readonly #props: ServiceAlarmsProps;

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    this.#props = props;
    this.namespace = metricsNamespace(props.stageName);
    for (const [name, fn] of props.functions) this.#functionAlarms(name, fn);
    for (const name of props.httpFunctions) this.#serverErrorRate(name);
    this.#tableAlarms(props.table);
    this.#kmsSigning();
    this.#email();
    this.#texts();
    this.#nationalServices();
    this.#loginCompletion();
  }

  /** One of the service's own metrics (EMF, with the `service` dimension Powertools adds). */
  serviceMetric(
    name: MetricName,
    dimensions: Readonly<Record<string, string>> = {},
    options: { statistic?: string; period?: Duration } = {},
  ): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: { service: 'patient-login', ...dimensions },
      statistic: options.statistic ?? (metricDefinitions[name].unit === 'Count' ? 'Sum' : 'p99'),
      period: options.period ?? Duration.minutes(5),
    });
  }

  #alarm(
    id: string,
    props: Omit<cloudwatch.AlarmProps, 'alarmName' | 'alarmDescription' | 'actionsEnabled'> & {
      readonly description: string;
      /** The function the alarm is about, if it is about one. */
      readonly owner?: string;
    },
  ): cloudwatch.Alarm {
    const { description, owner, ...rest } = props;
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: `patient-login-${this.#props.stageName}-${id}`,
      alarmDescription: description,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      ...rest,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.#props.topic));
    this.alarms.push(alarm);
    if (owner) this.byFunction.set(owner, [...(this.byFunction.get(owner) ?? []), alarm]);
    return alarm;
  }

  #functionAlarms(name: string, fn: lambda.IFunction): void {
    const period = Duration.minutes(5);
    this.#alarm(`${name}-errors`, {
      owner: name,
      metric: fn.metricErrors({ period, statistic: 'Sum' }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `${name}: 5 or more invocations failed in 5 minutes (crashes or timeouts, not the errors it answers with a page). Open its log group, filter on level ERROR; docs/operations.md (Function errors).`,
    });
    this.#alarm(`${name}-throttles`, {
      owner: name,
      metric: fn.metricThrottles({ period, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `${name}: Lambda refused invocations for lack of concurrency; patients saw errors. Check the account's concurrency and the function's reserved concurrency; docs/operations.md (Throttles).`,
    });
    this.#alarm(`${name}-duration-p99`, {
      owner: name,
      metric: fn.metricDuration({ period, statistic: 'p99' }),
      threshold: FUNCTION_TIMEOUT_MS * 0.5,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `${name}: the slowest 1% of invocations took half the timeout or more, in 2 of 15 minutes' periods. Look at the dependency latency on the service dashboard (DynamoDB, KMS, PDS, GP); docs/operations.md (Slow functions).`,
    });
  }

  /** The share of a function's responses that are 5xx, over 5 minutes, once it has 20 or more. */
  #serverErrorRate(name: string): void {
    const status = (code: string) => this.serviceMetric('Responses', { function: name, status: code });
    this.#alarm(`${name}-5xx-rate`, {
      owner: name,
      metric: new cloudwatch.MathExpression({
        expression:
          'IF((FILL(s2, 0) + FILL(s3, 0) + FILL(s4, 0) + FILL(s5, 0)) >= 20, 100 * FILL(s5, 0) / (FILL(s2, 0) + FILL(s3, 0) + FILL(s4, 0) + FILL(s5, 0)), 0)',
        usingMetrics: { s2: status('2xx'), s3: status('3xx'), s4: status('4xx'), s5: status('5xx') },
        period: Duration.minutes(5),
        label: `${name} 5xx %`,
      }),
      threshold: 2,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `${name}: 2% or more of its responses were 5xx for 10 minutes (at least 20 responses each 5 minutes). Patients see the problem page. Search its log for messageCode PL_HTTP_UNEXPECTED_ERROR; docs/operations.md (5xx rate).`,
    });
  }

  #tableAlarms(table: dynamodb.ITable): void {
    const period = Duration.minutes(5);
    const tableMetric = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: table.tableName },
        statistic: 'Sum',
        period,
      });
    this.#alarm('table-throttles', {
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(r, 0) + FILL(w, 0)',
        usingMetrics: { r: tableMetric('ReadThrottleEvents'), w: tableMetric('WriteThrottleEvents') },
        period,
        label: 'Throttled reads and writes',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'DynamoDB throttled reads or writes of the table: a hot key or a peak beyond its warm throughput. Look at the table dashboard row, then contributor insights; docs/operations.md (Table throttles).',
    });
    this.#alarm('table-system-errors', {
      metric: table.metricSystemErrorsForOperations({
        period,
        operations: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'TransactWriteItems'].map(
          (operation) => operation as dynamodb.Operation,
        ),
      }),
      threshold: 5,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'DynamoDB answered 5 or more requests with a 500 in 5 minutes: a service problem on its side. Check the AWS Health Dashboard for DynamoDB in the region; docs/operations.md (Table system errors).',
    });
  }

  /** Token signing uses KMS Sign (RSA): its rate is an account quota (docs/deployment.md). */
  #kmsSigning(): void {
    const calls = new cloudwatch.Metric({
      namespace: 'AWS/Usage',
      metricName: 'CallCount',
      dimensionsMap: { Service: 'KMS', Type: 'API', Resource: 'Sign', Class: 'None' },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
    this.#alarm('kms-sign-near-quota', {
      metric: new cloudwatch.MathExpression({
        expression: '100 * (calls / 60) / SERVICE_QUOTA(calls)',
        usingMetrics: { calls },
        period: Duration.minutes(1),
        label: 'KMS Sign, % of the per-second quota',
      }),
      threshold: 80,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'KMS Sign calls (token signing) reached 80% of the account’s per-second quota: above it, token requests fail. Request a quota increase in Service Quotas (KMS, cryptographic operations RSA); docs/operations.md (KMS signing).',
    });
  }

  /** SES reviews an account at a 5% bounce or 0.1% complaint rate; these alarm well before. */
  #email(): void {
    const reputation = (metricName: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        statistic: 'Maximum',
        period: Duration.hours(1),
      });
    this.#alarm('ses-bounce-rate', {
      metric: reputation('Reputation.BounceRate'),
      threshold: 0.03,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The SES bounce rate reached 3% (SES reviews the account at 5% and may stop its sending at 10%). Find the bouncing addresses in the bounce events; docs/operations.md (Email bounces).',
    });
    this.#alarm('ses-complaint-rate', {
      metric: reputation('Reputation.ComplaintRate'),
      threshold: 0.0005,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The SES complaint rate reached 0.05% (SES reviews the account at 0.1%). Check which email patients marked as spam; docs/operations.md (Email complaints).',
    });
  }

  #texts(): void {
    const spend = new cloudwatch.Metric({
      namespace: 'AWS/SNS',
      metricName: 'SMSMonthToDateSpentUSD',
      statistic: 'Maximum',
      period: Duration.hours(1),
    });
    this.#alarm('sms-spend-near-limit', {
      metric: spend,
      threshold: this.#props.smsMonthlySpendLimitUsd * 0.8,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `Texts this month cost 80% of the account's SMS spend limit ($${this.#props.smsMonthlySpendLimitUsd}): at the limit SNS stops sending and patients get no codes. Raise the limit (SNS text messaging preferences, and a quota case) or find the cause; docs/operations.md (SMS spend).`,
    });
    const rise = new cloudwatch.AnomalyDetectionAlarm(this, 'sms-sudden-rise', {
      alarmName: `patient-login-${this.#props.stageName}-sms-sudden-rise`,
      alarmDescription:
        'Texts sent rose far above their usual level for the time of day: SMS pumping (texts to premium numbers run up by bots) or a mass login. Compare texts per login on the dashboard , the PL_LIMIT_TEXTS_* and PL_LIMIT_NEW_NUMBER_TEXTS_CEILING log lines; docs/operations.md (Texts rising).',
      metric: this.serviceMetric('SecurityCodesSent', { channel: 'sms' }),
      stdDevs: 4,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    rise.addAlarmAction(new actions.SnsAction(this.#props.topic));
    this.alarms.push(rise);
  }

  #nationalServices(): void {
    for (const [dependency, named] of [
      ['pds', 'PDS'],
      ['gp', 'GP online services'],
    ] as const)
      this.#alarm(`${dependency}-unavailable`, {
        metric: this.serviceMetric('DependencyCalls', { dependency, outcome: 'unavailable' }),
        threshold: 5,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: `${named} did not answer (or answered 5xx) 5 or more times in each of 10 minutes: patients cannot prove who they are and P5/P9 logins are held. Check the national service's status page; docs/operations.md (${named} unavailable).`,
      });
  }

  /** Completed over started logins, over 15 minutes, once 50 or more were started. */
  #loginCompletion(): void {
    const period = Duration.minutes(15);
    this.#alarm('login-completion-drop', {
      metric: new cloudwatch.MathExpression({
        expression: 'IF(FILL(started, 0) >= 50, 100 * FILL(completed, 0) / started, 100)',
        usingMetrics: {
          started: this.serviceMetric('LoginsStarted', {}, { period }),
          completed: this.serviceMetric('LoginsCompleted', {}, { period }),
        },
        period,
        label: 'Logins completed, % of started',
      }),
      threshold: 40,
      evaluationPeriods: 2,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'Fewer than 40% of the logins relying parties started were completed, for 30 minutes: a step of the journey is failing for many patients (codes not arriving, a page erroring). Look at codes sent vs verified and the 5xx rates on the dashboard; docs/operations.md (Login completion).',
    });
  }
}

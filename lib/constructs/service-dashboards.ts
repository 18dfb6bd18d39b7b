import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ServiceAlarms } from './service-alarms.ts';

export interface ServiceDashboardsProps {
  readonly stageName: string;
  readonly alarms: ServiceAlarms;
  readonly functions: ReadonlyMap<string, lambda.IFunction>;
  readonly httpFunctions: readonly string[];
  readonly httpApi: apigwv2.IHttpApi;
  readonly table: dynamodb.ITable;
  readonly stateMachine: sfn.IStateMachine;
  /** The photo-ID workflow's alarms (overdue checks, failures): shown on the identity-check dashboard. */
  readonly identityCheckAlarms: readonly cloudwatch.IAlarm[];
}

const FIVE_MINUTES = Duration.minutes(5);
const WIDTH = 8;

/**
 * Two dashboards: the service's, for whoever is on call (journeys, errors, latency, throttles,
 * the table, KMS, email, texts, identity checks), and the identity checks', for the review team
 * (checks by route and outcome, the 2-hour SLA, the workflow, PDS and GP). docs/operations.md
 * says what each widget shows.
 */
export class ServiceDashboards extends Construct {
  readonly service: cloudwatch.Dashboard;
  readonly identityChecks: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardsProps) {
    super(scope, id);
    const { alarms } = props;
    const metric = alarms.serviceMetric.bind(alarms);
    const graph = (
      title: string,
      left: cloudwatch.IMetric[],
      options: Partial<cloudwatch.GraphWidgetProps> = {},
    ) =>
      new cloudwatch.GraphWidget({ title, left, width: WIDTH, height: 6, period: FIVE_MINUTES, ...options });
    const search = (label: string, expression: string, statistic = 'Sum') =>
      new cloudwatch.MathExpression({
        expression: `SEARCH('${expression}', '${statistic}', 300)`,
        label,
        period: FIVE_MINUTES,
        usingMetrics: {},
      });
    const namespace = alarms.namespace;
    const ours = (metricName: string, dimensions: string) =>
      `{${namespace},${['service', ...dimensions.split(',').filter(Boolean)].join(',')}} MetricName="${metricName}"`;
    const perFunction = (make: (fn: lambda.IFunction) => cloudwatch.IMetric, names: readonly string[]) =>
      names.flatMap((name) => {
        const fn = props.functions.get(name);
        return fn ? [make(fn)] : [];
      });
    const allFunctions = [...props.functions.keys()];
    const apiId = props.httpApi.apiId;

    this.service = new cloudwatch.Dashboard(this, 'Service', {
      dashboardName: `patient-login-${props.stageName}-service`,
      defaultInterval: Duration.hours(6),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: `# patient-login ${props.stageName}\nJourneys, errors and dependencies. What each graph means and what to do: docs/operations.md.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: alarms.alarms,
            width: 24,
            height: 4,
          }),
        ],
        [
          graph('Logins at relying parties', [
            metric('LoginsStarted', {}).with({ label: 'started' }),
            metric('LoginsCompleted', {}).with({ label: 'completed' }),
          ]),
          graph('Logins by vector of trust (completed)', [
            search('completed', ours('LoginsCompleted', 'vector')),
          ]),
          graph('Patient logins by method', [search('logins', ours('PatientLogins', 'method'))]),
        ],
        [
          graph('Security codes', [
            search('sent', ours('SecurityCodesSent', 'channel')),
            search('verified', ours('SecurityCodesVerified', 'purpose')),
          ]),
          graph('Code failures, lockouts and refused sends', [
            search('failed', ours('SecurityCodeFailures', 'reason')),
            search('locked', ours('Lockouts', 'reason')),
            search('refused', ours('SecurityCodeSendsRefused', 'reason')),
          ]),
          graph('Texts per login', [
            new cloudwatch.MathExpression({
              expression: 'FILL(texts, 0) / IF(FILL(logins, 0) > 0, logins, 1)',
              usingMetrics: {
                texts: metric('SecurityCodesSent', { channel: 'sms' }),
                logins: metric('PatientLogins', {}),
              },
              label: 'texts per patient login',
              period: FIVE_MINUTES,
            }),
          ]),
        ],
        [
          graph('5xx responses by function', [
            search('5xx', `${ours('Responses', 'function,status')} status="5xx"`),
          ]),
          graph(
            'Function errors',
            perFunction((fn) => fn.metricErrors({ period: FIVE_MINUTES }), allFunctions),
          ),
          graph(
            'Function throttles',
            perFunction((fn) => fn.metricThrottles({ period: FIVE_MINUTES }), allFunctions),
          ),
        ],
        [
          graph('Route latency p50 (API)', [
            search('p50', `{AWS/ApiGateway,ApiId,Route,Stage} ApiId="${apiId}" MetricName="Latency"`, 'p50'),
          ]),
          graph('Route latency p99 (API)', [
            search('p99', `{AWS/ApiGateway,ApiId,Route,Stage} ApiId="${apiId}" MetricName="Latency"`, 'p99'),
          ]),
          graph(
            'Function duration p99',
            perFunction(
              (fn) => fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' }),
              props.httpFunctions,
            ),
          ),
        ],
        [
          graph('Table: consumed capacity', [
            props.table.metricConsumedReadCapacityUnits({ period: FIVE_MINUTES }),
            props.table.metricConsumedWriteCapacityUnits({ period: FIVE_MINUTES }),
          ]),
          graph('Table: throttles and system errors', [
            search(
              'throttles',
              `{AWS/DynamoDB,TableName} TableName="${props.table.tableName}" MetricName=~"ThrottleEvents"`,
            ),
            search(
              'system errors',
              `{AWS/DynamoDB,Operation,TableName} TableName="${props.table.tableName}" MetricName="SystemErrors"`,
            ),
          ]),
          graph('KMS Sign calls (token signing)', [
            new cloudwatch.Metric({
              namespace: 'AWS/Usage',
              metricName: 'CallCount',
              dimensionsMap: { Service: 'KMS', Type: 'API', Resource: 'Sign', Class: 'None' },
              statistic: 'Sum',
              period: Duration.minutes(1),
            }),
          ]),
        ],
        [
          graph('Email: sends, bounces, complaints', [
            new cloudwatch.Metric({
              namespace: 'AWS/SES',
              metricName: 'Send',
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
            new cloudwatch.Metric({
              namespace: 'AWS/SES',
              metricName: 'Bounce',
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
            new cloudwatch.Metric({
              namespace: 'AWS/SES',
              metricName: 'Complaint',
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
          ]),
          graph(
            'SMS: texts sent and month-to-date spend (USD)',
            [metric('SecurityCodesSent', { channel: 'sms' })],
            {
              right: [
                new cloudwatch.Metric({
                  namespace: 'AWS/SNS',
                  metricName: 'SMSMonthToDateSpentUSD',
                  statistic: 'Maximum',
                  period: Duration.hours(1),
                }),
              ],
            },
          ),
          graph('PDS and GP: calls by outcome', [
            search('calls', ours('DependencyCalls', 'dependency,outcome')),
          ]),
        ],
      ],
    });

    this.identityChecks = new cloudwatch.Dashboard(this, 'IdentityChecks', {
      dashboardName: `patient-login-${props.stageName}-identity-checks`,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.TextWidget({
            markdown: `# Identity checks, ${props.stageName}\nProving who you are: P5 details, GP online-services details, photo ID and video (2 staffed hours). The review console has the queue; docs/operations.md and docs/workflows.md say what to do.`,
            width: 24,
            height: 2,
          }),
        ],
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Photo-ID check alarms',
            alarms: [...props.identityCheckAlarms],
            width: 24,
            height: 3,
          }),
        ],
        [
          graph('Checks by route and outcome', [search('checks', ours('IdentityChecks', 'route,outcome'))], {
            width: 12,
          }),
          graph(
            'Photo ID: submitted and decided',
            [search('photo ID', `${ours('IdentityChecks', 'route,outcome')} route="photo-id"`)],
            { width: 12 },
          ),
        ],
        [
          graph('Workflow executions', [
            props.stateMachine.metricStarted({ period: FIVE_MINUTES }),
            props.stateMachine.metricSucceeded({ period: FIVE_MINUTES }),
            props.stateMachine.metricFailed({ period: FIVE_MINUTES }),
            props.stateMachine.metricTimedOut({ period: FIVE_MINUTES }),
          ]),
          graph('Checks overdue (past 2 staffed hours)', [
            new cloudwatch.Metric({
              namespace,
              metricName: 'PhotoIdChecksOverdue',
              statistic: 'Sum',
              period: FIVE_MINUTES,
            }),
          ]),
          graph('NHS number checks at login', [search('checks', ours('NhsNumberChecks', 'outcome'))]),
        ],
        [
          graph('PDS and GP latency p99 (ms)', [
            search('p99', ours('DependencyLatency', 'dependency'), 'p99'),
          ]),
          graph('PDS and GP: calls by outcome', [
            search('calls', ours('DependencyCalls', 'dependency,outcome')),
          ]),
        ],
      ],
    });
  }
}

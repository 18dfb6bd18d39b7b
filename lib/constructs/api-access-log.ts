import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * What the access log records of each request, as API Gateway context variables. The route key is
 * the route's template (`GET /authorize`), never the path as sent: query strings carry
 * authorization codes, tokens and state, and headers carry cookies, so neither is ever logged.
 */
export const accessLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
} as const;

export interface ApiAccessLogProps {
  readonly retention: logs.RetentionDays;
}

/** The HTTP API's access log: its own log group, one JSON line a request with `accessLogFields`. */
export class ApiAccessLog extends Construct {
  readonly logGroup: logs.LogGroup;
  /** For a stage's `accessLogSettings`. */
  readonly settings: apigwv2.IAccessLogSettings;

  constructor(scope: Construct, id: string, props: ApiAccessLogProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.retention,
      // Like the functions' logs: evidence for support and security reviews, expiring by retention.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.settings = {
      destination: new apigwv2.LogGroupLogDestination(this.logGroup),
      format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
    };
  }
}

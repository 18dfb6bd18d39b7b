import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { consoleDefaultRoute, consoleFunctionSpecs, consoleRoutes } from '../../src/console-routes.ts';
import type { CustomDomain } from '../stages.ts';
import { ApiAccessLog } from './api-access-log.ts';
import type { PermissionTargets } from './function-permissions.ts';
import type { FunctionSettings } from './house-function.ts';
import { RouteTableApi } from './route-table-api.ts';

export interface ReviewConsoleApiProps {
  readonly stageName: string;
  /** Its own host name; without one, its own execute-api URL. Never a path under the patients' domain. */
  readonly domain?: CustomDomain;
  readonly logRetention: logs.RetentionDays;
}

/** A few staff at a time: far below the patients' API, so a flood cannot hide behind it. */
export const consoleApiThrottle = { rateLimit: 20, burstLimit: 40 } as const;

/**
 * The review console for ops staff: an HTTP API of its own (its own host, throttle and access
 * log), with the console's route table on its own function. Built in two steps: the API first, so
 * the media bucket can name the console's origin in its CORS rule, then the function, which
 * reads the bucket's name.
 */
export class ReviewConsoleApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLog: ApiAccessLog;
  /** `https://<domain>`, or the API's execute-api URL; no trailing slash. */
  readonly url: string;
  #api: RouteTableApi | undefined;

  constructor(scope: Construct, id: string, props: ReviewConsoleApiProps) {
    super(scope, id);
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `patient-login-${props.stageName}-review-console`,
      description: `patient-login ${props.stageName} review console (ops staff)`,
      createDefaultStage: false,
      // With its own domain, the execute-api URL would be a way round it.
      disableExecuteApiEndpoint: props.domain !== undefined,
    });
    this.accessLog = new ApiAccessLog(this, 'AccessLog', { retention: props.logRetention });
    this.stage = this.httpApi.addStage('DefaultStage', {
      autoDeploy: true,
      throttle: consoleApiThrottle,
      accessLogSettings: this.accessLog.settings,
    });
    const stack = Stack.of(this);
    if (props.domain) {
      const domainName = new apigwv2.DomainName(this, 'DomainName', {
        domainName: props.domain.domainName,
        certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      });
      new apigwv2.ApiMapping(this, 'ApiMapping', { api: this.httpApi, domainName, stage: this.stage });
      new CfnOutput(stack, 'ConsoleDomainTarget', { value: domainName.regionalDomainName });
      this.url = `https://${props.domain.domainName}`;
    } else {
      this.url = `https://${this.httpApi.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;
    }
    new CfnOutput(stack, 'ReviewConsoleUrl', { value: this.url });
  }

  /** The console's function and routes, with exactly its permissions. */
  addFunctions(props: {
    readonly settings: FunctionSettings;
    readonly logRetention: logs.RetentionDays;
    readonly permissionTargets: PermissionTargets;
  }): RouteTableApi {
    this.#api = new RouteTableApi(this, 'Routes', {
      httpApi: this.httpApi,
      functionSpecs: consoleFunctionSpecs,
      routes: consoleRoutes,
      defaultFunction: consoleDefaultRoute.function,
      ...props,
    });
    return this.#api;
  }

  get api(): RouteTableApi {
    if (!this.#api) throw new Error('The review console has no functions yet');
    return this.#api;
  }
}

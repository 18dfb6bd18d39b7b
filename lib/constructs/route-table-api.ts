import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { defaultRoute, type FunctionSpec, type RouteSpec } from '../../src/routes.ts';
import { grantPermission, type PermissionTargets } from './function-permissions.ts';
import { type FunctionSettings, HouseFunction } from './house-function.ts';

export interface RouteTableApiProps {
  readonly httpApi: apigwv2.HttpApi;
  /** The functions to build: the stack passes every `functionSpecs` entry; a test may pass one. */
  readonly functionSpecs: Readonly<Record<string, FunctionSpec>>;
  readonly routes: readonly RouteSpec<string>[];
  /** The function of the `$default` route (the patients' not-found pages unless given). */
  readonly defaultFunction?: string;
  readonly settings: FunctionSettings;
  readonly logRetention: logs.RetentionDays;
  readonly permissionTargets: PermissionTargets;
  /** Concurrency held for some functions, by name (a production stage's token function). */
  readonly reservedConcurrency?: Readonly<Record<string, number>>;
  /** Warm, auto-scaled containers for some functions, by name (a production stage's login pages). */
  readonly provisionedConcurrency?: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
}

/**
 * The route table on an HTTP API: one function per `functionSpecs` entry, granted exactly its
 * permissions, and one route per route table entry to the function it names.
 */
export class RouteTableApi extends Construct {
  readonly functions: ReadonlyMap<string, NodejsFunction>;
  /** Each function's `live` alias, which its routes invoke. */
  readonly aliases: ReadonlyMap<string, lambda.Alias>;
  readonly logGroups: ReadonlyMap<string, logs.ILogGroup>;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);
    const functions = new Map<string, NodejsFunction>();
    const aliases = new Map<string, lambda.Alias>();
    const logGroups = new Map<string, logs.ILogGroup>();
    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const [name, spec] of Object.entries(props.functionSpecs)) {
      const {
        function: fn,
        alias,
        logGroup,
      } = new HouseFunction(this, name, {
        name,
        spec,
        settings: props.settings,
        logRetention: props.logRetention,
        ...(props.reservedConcurrency?.[name] === undefined
          ? {}
          : { reservedConcurrency: props.reservedConcurrency[name] }),
        ...(props.provisionedConcurrency?.[name] === undefined
          ? {}
          : { provisionedConcurrency: props.provisionedConcurrency[name] }),
      });
      for (const permission of spec.permissions) grantPermission(fn, permission, props.permissionTargets);
      functions.set(name, fn);
      aliases.set(name, alias);
      logGroups.set(name, logGroup);
      integrations.set(
        name,
        new HttpLambdaIntegration(`${name}-integration`, alias, {
          payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
          // One permission per function for this API, not one per route: 130 routes would otherwise
          // take 130 of CloudFormation's 500 resources a stack may have. Only this API may invoke it.
          scopePermissionToRoute: false,
        }),
      );
    }
    for (const route of props.routes) {
      const integration = integrations.get(route.function);
      if (!integration) throw new Error(`Route ${route.id} names an unknown function ${route.function}`);
      new apigwv2.HttpRoute(this, `route-${route.id}`, {
        httpApi: props.httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration,
      });
    }
    // What no route takes: a page from our own function, never API Gateway's JSON.
    const fallback = integrations.get(props.defaultFunction ?? defaultRoute.function);
    if (fallback)
      new apigwv2.HttpRoute(this, 'route-default', {
        httpApi: props.httpApi,
        routeKey: apigwv2.HttpRouteKey.DEFAULT,
        integration: fallback,
      });
    this.functions = functions;
    this.aliases = aliases;
    this.logGroups = logGroups;
  }
}

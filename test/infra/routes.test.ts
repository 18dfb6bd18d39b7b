import { describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../src/console-routes.ts';
import { defaultRoute, type FunctionName, routeKey, routes } from '../../src/routes.ts';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery } from './template-queries.ts';

interface RouteProperties {
  readonly ApiId: { Ref: string };
  readonly RouteKey: string;
  readonly Target: { 'Fn::Join': ['', ['integrations/', { Ref: string }]] };
}

interface IntegrationProperties {
  readonly IntegrationType: string;
  readonly IntegrationUri: unknown;
  readonly PayloadFormatVersion: string;
}

describe('HTTP API routes', () => {
  const { stack, template } = synthesizeStack();
  const apiRoutes = propertiesOfEvery<RouteProperties>(template, 'AWS::ApiGatewayV2::Route');
  const integrations = new Map(
    propertiesOfEvery<IntegrationProperties>(template, 'AWS::ApiGatewayV2::Integration'),
  );

  /** The routes of one API, with the function each invokes. */
  const routesOf = (api: Parameters<typeof logicalIdOf>[0]) =>
    apiRoutes
      .filter(([, route]) => route.ApiId.Ref === logicalIdOf(api))
      .map(([, route]) => {
        const integrationId = route.Target['Fn::Join'][1][1].Ref;
        return { routeKey: route.RouteKey, target: integrations.get(integrationId)?.IntegrationUri };
      })
      .sort((a, b) => a.routeKey.localeCompare(b.routeKey));

  it('routes every route table entry to the function it names, what no route takes to the $default function, and nothing else', () => {
    // Prepare
    // Each route invokes its function's `live` alias (the version CodeDeploy moves it to).
    const targetOf = (name: FunctionName) => {
      const alias = stack.api.aliases.get(name);
      if (!alias) throw new Error(`No function ${name}`);
      return { Ref: logicalIdOf(alias) };
    };
    const expected = [
      ...routes.map((route) => ({ routeKey: routeKey(route), target: targetOf(route.function) })),
      { routeKey: '$default', target: targetOf(defaultRoute.function) },
    ].sort((a, b) => a.routeKey.localeCompare(b.routeKey));

    // Act
    const actual = routesOf(stack.httpApi);

    // Assess
    expect(actual).toEqual(expected);
  });

  it('routes the review console’s table on its own API to its own function, and none of it on the patients’ API', () => {
    // Prepare
    const consoleAlias = stack.reviewConsole.api.aliases.get('review-console');
    if (!consoleAlias) throw new Error('No review console function');
    const target = { Ref: logicalIdOf(consoleAlias) };
    const expected = [
      ...consoleRoutes.map((route) => ({ routeKey: routeKey(route), target })),
      { routeKey: '$default', target },
    ].sort((a, b) => a.routeKey.localeCompare(b.routeKey));

    // Act
    const consoleApi = routesOf(stack.reviewConsole.httpApi);
    const patientTargets = routesOf(stack.httpApi).map((route) => JSON.stringify(route.target));

    // Assess
    expect(consoleApi).toEqual(expected);
    expect(patientTargets).not.toContain(JSON.stringify(target));
    expect(apiRoutes).toHaveLength(routes.length + 1 + consoleRoutes.length + 1);
  });

  it('has no two routes with the same route key in either API, which API Gateway would reject', () => {
    // Act
    const keys = routes.map(routeKey);
    const consoleKeys = consoleRoutes.map(routeKey);

    // Assess
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(consoleKeys).size).toBe(consoleKeys.length);
  });

  it('invokes every function as a Lambda proxy with payload format 2.0', () => {
    // Act
    const formats = [...integrations.values()].map((integration) => ({
      type: integration.IntegrationType,
      payloadFormatVersion: integration.PayloadFormatVersion,
    }));

    // Assess
    expect(formats).toEqual(formats.map(() => ({ type: 'AWS_PROXY', payloadFormatVersion: '2.0' })));
  });
});

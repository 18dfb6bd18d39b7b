import { describe, expect, it } from 'vitest';
import { defaultApiThrottle } from '../../lib/stages.ts';
import { synthesizeStack, testStage } from './synthesize.ts';
import { arnOf, propertiesOfEvery, type Resource, resourcesOfType } from './template-queries.ts';

interface StageProperties {
  readonly StageName: string;
  readonly AutoDeploy?: boolean;
  readonly DefaultRouteSettings?: { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number };
  readonly AccessLogSettings?: { DestinationArn: unknown; Format: string };
}

interface FunctionProperties {
  readonly LoggingConfig?: { LogGroup?: { Ref: string } };
}

const customDomain = {
  domainName: 'login.example.org',
  certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abc',
};

const onlyStage = (template: ReturnType<typeof synthesizeStack>['template']): StageProperties => {
  const stages = propertiesOfEvery<StageProperties>(template, 'AWS::ApiGatewayV2::Stage');
  expect(stages).toHaveLength(1);
  return (stages[0] as [string, StageProperties])[1];
};

describe('the HTTP API', () => {
  const { stack, template } = synthesizeStack();

  it('serves from one auto-deployed $default stage, so no other stage escapes its settings', () => {
    // Act
    const stage = onlyStage(template);

    // Assess
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
  });

  it('throttles every route at 100 requests a second with bursts of 200 unless the stage says otherwise', () => {
    // Act
    const throttle = onlyStage(template).DefaultRouteSettings;

    // Assess
    expect(defaultApiThrottle).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(throttle).toEqual({
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
    });
  });

  it("throttles every route at the stage's own limits when it sets them", () => {
    // Prepare
    const apiThrottle = { rateLimit: 25, burstLimit: 50 };

    // Act
    const { template: throttled } = synthesizeStack({ apiThrottle });

    // Assess
    expect(onlyStage(throttled).DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 25,
      ThrottlingBurstLimit: 50,
    });
  });

  it('writes its access log to a log group of its own, kept for the stage retention', () => {
    // Prepare
    const functionLogGroupIds = propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.LoggingConfig?.LogGroup?.Ref,
    );

    // Act
    const destination = onlyStage(template).AccessLogSettings?.DestinationArn;
    const [logGroupId, logGroup] = (resourcesOfType(template, 'AWS::Logs::LogGroup').find(
      ([id]) => JSON.stringify(arnOf(id)) === JSON.stringify(destination),
    ) ?? []) as [string?, Resource?];

    // Assess
    expect(logGroupId).toBeDefined();
    expect(functionLogGroupIds).not.toContain(logGroupId);
    expect(logGroup?.Properties.RetentionInDays).toBe(testStage.logRetention);
    expect(logGroup?.DeletionPolicy).toBe('Retain');
  });

  it('logs one JSON object a request, without the path, query string or any header', () => {
    // Act: query strings carry codes and tokens, headers carry cookies; the route key is a template.
    const format = onlyStage(template).AccessLogSettings?.Format ?? '';

    // Assess
    expect(JSON.parse(format)).toEqual({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      routeKey: '$context.routeKey',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationLatency: '$context.integrationLatency',
    });
    expect(format).not.toMatch(/\$context\.path|\$request\.|querystring|header|userAgent|cookie/i);
  });

  it('keeps the execute-api endpoint, and outputs it as ApiUrl, when the stage has no custom domain', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    template.hasOutput('ApiUrl', { Value: stack.resolve(stack.issuer) });
  });

  it('disables the execute-api endpoint when the stage has a custom domain, so the domain cannot be bypassed', () => {
    // Act
    const { template: withDomain } = synthesizeStack({ customDomain });

    // Assess
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    expect(Object.keys(withDomain.findOutputs('ApiUrl'))).toEqual([]);
  });
});

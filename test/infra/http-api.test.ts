import { describe, expect, it } from 'vitest';
import { consoleApiThrottle } from '../../lib/constructs/review-console-api.ts';
import { defaultApiThrottle } from '../../lib/stages.ts';
import { logicalIdOf, synthesizeStack, testStage } from './synthesize.ts';
import { arnOf, propertiesOfEvery, type Resource, resourcesOfType } from './template-queries.ts';

interface StageProperties {
  readonly StageName: string;
  readonly AutoDeploy?: boolean;
  readonly DefaultRouteSettings?: {
    ThrottlingRateLimit?: number;
    ThrottlingBurstLimit?: number;
    DetailedMetricsEnabled?: boolean;
  };
  readonly AccessLogSettings?: { DestinationArn: unknown; Format: string };
}

interface FunctionProperties {
  readonly LoggingConfig?: { LogGroup?: { Ref: string } };
}

const customDomain = {
  domainName: 'login.example.org',
  certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abc',
};

type Synthesized = ReturnType<typeof synthesizeStack>;

/** The stages of one HTTP API (the patients' unless another is named). */
const stagesOf = ({ stack, template }: Synthesized, api = stack.httpApi): StageProperties[] =>
  propertiesOfEvery<StageProperties & { ApiId: unknown }>(template, 'AWS::ApiGatewayV2::Stage')
    .filter(([, stage]) => JSON.stringify(stage.ApiId) === JSON.stringify({ Ref: logicalIdOf(api) }))
    .map(([, stage]) => stage);

const onlyStage = (synthesized: Synthesized, api = synthesized.stack.httpApi): StageProperties => {
  const stages = stagesOf(synthesized, api);
  expect(stages).toHaveLength(1);
  return stages[0] as StageProperties;
};

describe('the HTTP API', () => {
  const synthesized = synthesizeStack();
  const { stack, template } = synthesized;

  it('serves from one auto-deployed $default stage, so no other stage escapes its settings', () => {
    // Act
    const stage = onlyStage(synthesized);

    // Assess
    expect(stage.StageName).toBe('$default');
    expect(stage.AutoDeploy).toBe(true);
  });

  it('throttles every route at 100 requests a second with bursts of 200 unless the stage says otherwise', () => {
    // Act
    const throttle = onlyStage(synthesized).DefaultRouteSettings;

    // Assess
    expect(defaultApiThrottle).toEqual({ rateLimit: 100, burstLimit: 200 });
    expect(throttle).toEqual({
      ThrottlingRateLimit: 100,
      ThrottlingBurstLimit: 200,
      // Per-route metrics, for the service dashboard's latency per route.
      DetailedMetricsEnabled: true,
    });
  });

  it("throttles every route at the stage's own limits when it sets them", () => {
    // Prepare
    const apiThrottle = { rateLimit: 25, burstLimit: 50 };

    // Act
    const throttled = synthesizeStack({ apiThrottle });

    // Assess
    expect(onlyStage(throttled).DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: 25,
      ThrottlingBurstLimit: 50,
      DetailedMetricsEnabled: true,
    });
  });

  it('writes its access log to a log group of its own, kept for the stage retention', () => {
    // Prepare
    const functionLogGroupIds = propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function').map(
      ([, fn]) => fn.LoggingConfig?.LogGroup?.Ref,
    );

    // Act
    const destination = onlyStage(synthesized).AccessLogSettings?.DestinationArn;
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
    const format = onlyStage(synthesized).AccessLogSettings?.Format ?? '';

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
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'patient-login-test',
      DisableExecuteApiEndpoint: false,
    });
    template.hasOutput('ApiUrl', { Value: stack.resolve(stack.issuer) });
  });

  it('disables the execute-api endpoint when the stage has a custom domain, so the domain cannot be bypassed', () => {
    // Act
    const { template: withDomain } = synthesizeStack({ customDomain });

    // Assess
    withDomain.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'patient-login-test',
      DisableExecuteApiEndpoint: true,
    });
    expect(Object.keys(withDomain.findOutputs('ApiUrl'))).toEqual([]);
  });

  it('gives the review console an HTTP API of its own: one $default stage, a lower throttle, an access log of its own', () => {
    // Act
    const consoleStage = onlyStage(synthesized, stack.reviewConsole.httpApi);
    const patientStage = onlyStage(synthesized);

    // Assess
    expect(stack.reviewConsole.httpApi).not.toBe(stack.httpApi);
    expect(consoleStage.StageName).toBe('$default');
    expect(consoleStage.DefaultRouteSettings).toEqual({
      ThrottlingRateLimit: consoleApiThrottle.rateLimit,
      ThrottlingBurstLimit: consoleApiThrottle.burstLimit,
    });
    expect(consoleApiThrottle.rateLimit).toBeLessThan(defaultApiThrottle.rateLimit);
    expect(consoleStage.AccessLogSettings?.DestinationArn).toBeDefined();
    expect(consoleStage.AccessLogSettings?.DestinationArn).not.toEqual(
      patientStage.AccessLogSettings?.DestinationArn,
    );
    template.hasOutput('ReviewConsoleUrl', { Value: stack.resolve(stack.reviewConsole.url) });
  });

  it('serves the review console on its own host name when the stage gives one, with its execute-api URL disabled', () => {
    // Prepare
    const consoleDomain = {
      domainName: 'review.login.example.org',
      certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/def',
    };

    // Act
    const { stack: withDomain, template: domainTemplate } = synthesizeStack({ customDomain, consoleDomain });

    // Assess
    domainTemplate.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'patient-login-test-review-console',
      DisableExecuteApiEndpoint: true,
    });
    domainTemplate.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'review.login.example.org',
    });
    expect(withDomain.reviewConsole.url).toBe('https://review.login.example.org');
    expect(new URL(withDomain.reviewConsole.url).host).not.toBe(new URL(withDomain.issuer).host);
  });
});

import { describe, expect, it } from 'vitest';
import { configNames } from '../../src/platform/config.ts';
import { synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery, resourcesOfType } from './template-queries.ts';

const customDomain = {
  domainName: 'login.example.org',
  certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abc',
};

/**
 * Whether a template value is an https URL with no trailing slash: a string, or an `Fn::Join` with
 * no delimiter whose first part holds the scheme (the rest are tokens such as the API id).
 */
const isHttpsIssuer = (value: unknown): boolean => {
  if (typeof value === 'string') {
    return URL.canParse(value) && new URL(value).protocol === 'https:' && !value.endsWith('/');
  }
  const join = (value as { 'Fn::Join'?: [unknown, unknown[]] } | null)?.['Fn::Join'];
  if (!join) return false;
  const [delimiter, parts] = join;
  const [first] = parts;
  const last = parts.at(-1);
  return (
    delimiter === '' &&
    typeof first === 'string' &&
    first.startsWith('https://') &&
    !(typeof last === 'string' && last.endsWith('/'))
  );
};

interface FunctionProperties {
  readonly Environment: { Variables: Record<string, unknown> };
}

const issuersOfFunctions = (template: ReturnType<typeof synthesizeStack>['template']) =>
  propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function').map(
    ([, fn]) => fn.Environment.Variables[configNames.issuer],
  );

describe('the issuer', () => {
  it.each([
    { case: 'without a custom domain', stage: {} },
    { case: 'with a custom domain', stage: { customDomain } },
  ])('is an https URL with no trailing slash in every function and the output, $case', ({ stage }) => {
    // Act
    const { template } = synthesizeStack(stage);

    // Assess
    const issuers = [...issuersOfFunctions(template), template.toJSON().Outputs.Issuer.Value];
    expect(issuers.filter((issuer) => !isHttpsIssuer(issuer))).toEqual([]);
  });

  it("is the API's execute-api URL when the stage has no custom domain", () => {
    // Prepare
    const { stack, template } = synthesizeStack();
    const executeApiUrl = {
      'Fn::Join': [
        '',
        [
          'https://',
          stack.resolve(stack.httpApi.apiId),
          '.execute-api.',
          { Ref: 'AWS::Region' },
          '.',
          { Ref: 'AWS::URLSuffix' },
        ],
      ],
    };

    // Act
    const issuers = issuersOfFunctions(template);

    // Assess
    expect(issuers).toEqual(issuers.map(() => executeApiUrl));
    template.hasOutput('Issuer', { Value: executeApiUrl });
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it("is https://<domain> when the stage has one, and the API's stage is mapped to that domain", () => {
    // Act
    const { stack, template } = synthesizeStack({ customDomain });

    // Assess
    const issuers = issuersOfFunctions(template);
    expect(issuers).toEqual(issuers.map(() => 'https://login.example.org'));
    template.hasOutput('Issuer', { Value: 'https://login.example.org' });
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'login.example.org',
      DomainNameConfigurations: [{ CertificateArn: customDomain.certificateArn }],
    });
    const [domain] = resourcesOfType(template, 'AWS::ApiGatewayV2::DomainName');
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      ApiId: stack.resolve(stack.httpApi.apiId),
      DomainName: { Ref: domain?.[0] },
      Stage: stack.resolve(stack.apiStage.stageName),
    });
  });
});

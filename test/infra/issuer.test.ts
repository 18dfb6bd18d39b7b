import { describe, expect, it } from 'vitest';
import { configNames } from '../../src/platform/config.ts';
import { synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery, resourcesOfType } from './template-queries.ts';

interface FunctionProperties {
  readonly Environment: { Variables: Record<string, unknown> };
}

const issuersOfFunctions = (template: ReturnType<typeof synthesizeStack>['template']) =>
  propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function').map(
    ([, fn]) => fn.Environment.Variables[configNames.issuer],
  );

describe('the issuer', () => {
  it("is the API's execute-api URL when the stage has no custom domain", () => {
    // Prepare
    const { stack, template } = synthesizeStack();
    const apiEndpoint = stack.resolve(stack.httpApi.apiEndpoint);

    // Act
    const issuers = issuersOfFunctions(template);

    // Assess
    expect(apiEndpoint).toEqual({ 'Fn::GetAtt': [expect.any(String), 'ApiEndpoint'] });
    expect(issuers).toEqual(issuers.map(() => apiEndpoint));
    template.hasOutput('Issuer', { Value: apiEndpoint });
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('is https://<domain> when the stage has one, and the API is mapped to that domain', () => {
    // Prepare
    const customDomain = {
      domainName: 'login.example.org',
      certificateArn: 'arn:aws:acm:eu-west-2:123456789012:certificate/abc',
    };

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
    });
  });
});

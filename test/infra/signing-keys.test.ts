import { AccountRootPrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { configNames } from '../../src/platform/config.ts';
import { synthesizeStack } from './synthesize.ts';
import {
  arnOf,
  keyIdByAlias,
  type PolicyStatement,
  propertiesOfEvery,
  resourcesOfType,
} from './template-queries.ts';

interface KeyProperties {
  readonly KeySpec: string;
  readonly KeyUsage: string;
  readonly EnableKeyRotation?: boolean;
  readonly KeyPolicy: { Statement: PolicyStatement[] };
}

interface FunctionProperties {
  readonly Environment: { Variables: Record<string, unknown> };
}

describe('the token signing keys', () => {
  it('are RSA 2048 sign/verify KMS keys, kept on stack deletion and replacement', () => {
    // Prepare
    const { template } = synthesizeStack();

    // Act
    const keys = resourcesOfType(template, 'AWS::KMS::Key')
      .filter(([, key]) => String(key.Properties.Description).includes('token signing'))
      .map(([, key]) => ({
        keySpec: key.Properties.KeySpec,
        keyUsage: key.Properties.KeyUsage,
        deletion: key.DeletionPolicy,
        replacement: key.UpdateReplacePolicy,
      }));

    // Assess
    expect(keys).toHaveLength(1);
    expect(keys).toEqual(
      keys.map(() => ({
        keySpec: 'RSA_2048',
        keyUsage: 'SIGN_VERIFY',
        deletion: 'Retain',
        replacement: 'Retain',
      })),
    );
  });

  it('leave who may use them to IAM: their key policies name only the account itself', () => {
    // Prepare
    const { stack, template } = synthesizeStack();
    const accountRoot = { AWS: stack.resolve(new AccountRootPrincipal().arn) };

    // Act
    const principals = propertiesOfEvery<KeyProperties>(template, 'AWS::KMS::Key').flatMap(([, key]) =>
      key.KeyPolicy.Statement.map((statement) => statement.Principal),
    );

    // Assess
    expect(principals).toEqual(principals.map(() => accountRoot));
  });

  it('publishes every key during a rotation and signs with the one named active', () => {
    // Prepare
    const signingKeys = { names: ['key-1', 'key-2'], active: 'key-2' };

    // Act
    const { template } = synthesizeStack({ name: 'rotating', signingKeys });

    // Assess
    const [first, second] = signingKeys.names.map((name) =>
      keyIdByAlias(template, `alias/patient-login/rotating/${name}`),
    ) as [string, string];
    // The two token keys, the PDS key, the GP credentials key, the media key, the staff secrets key
    // and the authenticator-app secrets key
    expect(resourcesOfType(template, 'AWS::KMS::Key')).toHaveLength(7);
    for (const [, fn] of propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function')) {
      expect(fn.Environment.Variables[configNames.signingKeyIds]).toEqual({
        'Fn::Join': [',', [arnOf(first), arnOf(second)]],
      });
      expect(fn.Environment.Variables[configNames.activeSigningKeyId]).toEqual(arnOf(second));
    }
    template.hasOutput('SigningKeyIds', { Value: { 'Fn::Join': [',', [arnOf(first), arnOf(second)]] } });
    template.hasOutput('ActiveSigningKeyId', { Value: arnOf(second) });
  });

  it('refuses an active key that is not published', () => {
    // Prepare
    const signingKeys = { names: ['key-1'], active: 'key-2' };

    // Act
    const synthesize = () => synthesizeStack({ signingKeys });

    // Assess
    expect(synthesize).toThrow(/active signing key "key-2"/);
  });
});

import { describe, expect, it } from 'vitest';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import { actionsOf, arnOf, asList, statementsOfFunction } from './template-queries.ts';

/** The patients' authenticator-app secrets in AWS: their own key, sealed by settings alone, opened where codes are checked. */
describe('the authenticator-app secrets key', () => {
  const { stack, template } = synthesizeStack();
  const appKey = JSON.stringify(arnOf(logicalIdOf(stack.appSecretsKey.key)));
  const grantsOf = (action: string) =>
    [...stack.api.functions, ...stack.reviewConsole.api.functions].flatMap(([name, fn]) =>
      statementsOfFunction(template, logicalIdOf(fn))
        .filter(
          (statement) =>
            statement.Effect === 'Allow' &&
            actionsOf(statement).includes(action) &&
            asList(statement.Resource).some((resource) => JSON.stringify(resource) === appKey),
        )
        .map((statement) => ({ name, condition: statement.Condition })),
    );

  it('lets only the settings pages encrypt, and the login, recovery and settings pages decrypt, each for app secrets only', () => {
    // Act
    const encrypters = grantsOf('kms:Encrypt');
    const decrypters = grantsOf('kms:Decrypt');

    // Assess
    expect(encrypters.map(({ name }) => name).sort()).toEqual(['login-pages', 'settings-pages']);
    expect(decrypters.map(({ name }) => name).sort()).toEqual([
      'login-pages',
      'recovery-pages',
      'settings-pages',
    ]);
    for (const { condition } of [...encrypters, ...decrypters])
      expect(condition).toEqual({
        StringEquals: { 'kms:EncryptionContext:purpose': 'authenticator-app-secret' },
      });
  });
});

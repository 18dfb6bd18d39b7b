import { describe, expect, it } from 'vitest';
import { stages } from '../../lib/stages.ts';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import { propertiesOfEvery, resourcesOfType } from './template-queries.ts';

/** The one resource of a list (throws otherwise, so no test passes on the wrong one). */
const only = <T>(found: [string, T][]): T => {
  const [first, ...rest] = found;
  if (!first || rest.length > 0) throw new Error(`Expected one resource, found ${found.length}`);
  return first[1];
};

/** The stage that takes patients: what it adds to dev, each checked in its template. */
describe('the production stage in AWS', () => {
  const { stack, template } = synthesizeStack(stages.prod);
  const dev = synthesizeStack(stages.dev);
  const { production } = stages.prod;

  it('keeps the table from deletion, encrypts it with a key of its own and keeps it warm for the peak', () => {
    // Act
    const table = only(propertiesOfEvery<Record<string, unknown>>(template, 'AWS::DynamoDB::Table'));
    const devTable = only(propertiesOfEvery<Record<string, unknown>>(dev.template, 'AWS::DynamoDB::Table'));

    // Assess
    expect(table.DeletionProtectionEnabled).toBe(true);
    expect(table.SSESpecification).toMatchObject({ SSEEnabled: true, SSEType: 'KMS' });
    expect(JSON.stringify((table.SSESpecification as { KMSMasterKeyId?: unknown }).KMSMasterKeyId)).toContain(
      'TableKey',
    );
    expect(table.WarmThroughput).toEqual({
      ReadUnitsPerSecond: production.tableWarmThroughput.readUnitsPerSecond,
      WriteUnitsPerSecond: production.tableWarmThroughput.writeUnitsPerSecond,
    });
    expect(devTable.DeletionProtectionEnabled).toBeUndefined();
  });

  it('backs the table up daily and weekly, each copied to a vault in the second region', () => {
    // Act
    const plan = only(
      propertiesOfEvery<{
        BackupPlan: {
          BackupPlanRule: { RuleName: string; CopyActions: { DestinationBackupVaultArn: unknown }[] }[];
        };
      }>(template, 'AWS::Backup::BackupPlan'),
    );
    const selection = only(
      propertiesOfEvery<{ BackupSelection: { Resources: unknown[] } }>(
        template,
        'AWS::Backup::BackupSelection',
      ),
    );

    // Assess
    expect(plan.BackupPlan.BackupPlanRule.map((rule) => rule.RuleName).sort()).toEqual(['Daily', 'Weekly']);
    for (const rule of plan.BackupPlan.BackupPlanRule) {
      expect(JSON.stringify(rule.CopyActions)).toContain(`:backup:${production.backupCopyRegion}:`);
      expect(JSON.stringify(rule.CopyActions)).toContain(`backup-vault:${production.backupCopyVaultName}`);
    }
    expect(JSON.stringify(selection.BackupSelection.Resources)).toContain(logicalIdOf(stack.table));
    expect(resourcesOfType(dev.template, 'AWS::Backup::BackupPlan')).toEqual([]);
  });

  it('holds concurrency for the token function and keeps the login pages warm, scaled on their use', () => {
    // Prepare
    const token = stack.api.functions.get('oidc-token');
    const loginAlias = stack.api.aliases.get('login-pages');
    if (!token || !loginAlias) throw new Error('No token function or login pages');

    // Act
    const tokenFunction = template.toJSON().Resources[logicalIdOf(token)].Properties;
    const alias = template.toJSON().Resources[logicalIdOf(loginAlias)].Properties;
    const target = only(
      propertiesOfEvery<{
        MinCapacity: number;
        MaxCapacity: number;
        ScalableDimension: string;
      }>(template, 'AWS::ApplicationAutoScaling::ScalableTarget'),
    );

    // Assess
    expect(tokenFunction.ReservedConcurrentExecutions).toBe(production.tokenReservedConcurrency);
    expect(alias.ProvisionedConcurrencyConfig).toEqual({
      ProvisionedConcurrentExecutions: production.loginPagesProvisionedConcurrency.min,
    });
    expect(target).toMatchObject({
      MinCapacity: production.loginPagesProvisionedConcurrency.min,
      MaxCapacity: production.loginPagesProvisionedConcurrency.max,
      ScalableDimension: 'lambda:function:ProvisionedConcurrency',
    });
  });

  it('protects the stack from deletion, deploys by canary, and tags everything with the service and stage', () => {
    // Act
    const anyRole = resourcesOfType(template, 'AWS::IAM::Role')[0]?.[1];
    const configs = new Set(
      propertiesOfEvery<{ DeploymentConfigName: string }>(template, 'AWS::CodeDeploy::DeploymentGroup').map(
        ([, group]) => group.DeploymentConfigName,
      ),
    );

    // Assess
    expect(stack.terminationProtection).toBe(true);
    expect(dev.stack.terminationProtection).toBe(false);
    expect(configs).toEqual(new Set(['CodeDeployDefault.LambdaCanary10Percent5Minutes']));
    expect(anyRole?.Properties.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'service', Value: 'patient-login' },
        { Key: 'stage', Value: 'prod' },
      ]),
    );
  });
});

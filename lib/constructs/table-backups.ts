import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import { Construct } from 'constructs';

export interface TableBackupsProps {
  readonly stageName: string;
  readonly table: dynamodb.ITable;
  /** Where each backup is copied: a vault in another region, made there before the first deployment. */
  readonly copyRegion: string;
  readonly copyVaultName: string;
}

/**
 * AWS Backup for the table, beside its point-in-time recovery (35 days, in the table's region):
 * a daily backup kept 35 days and a weekly one kept a year, each copied to a vault in a second
 * region, so a lost region or a deleted table (deletion protection aside) can be restored.
 */
export class TableBackups extends Construct {
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const vault = new backup.BackupVault(this, 'Vault', {
      backupVaultName: `patient-login-${props.stageName}`,
    });
    const copyVault = backup.BackupVault.fromBackupVaultArn(
      this,
      'CopyVault',
      stack.formatArn({
        service: 'backup',
        region: props.copyRegion,
        resource: 'backup-vault',
        resourceName: props.copyVaultName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    );
    this.plan = new backup.BackupPlan(this, 'Plan', {
      backupPlanName: `patient-login-${props.stageName}-table`,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(35),
          copyActions: [{ destinationBackupVault: copyVault, deleteAfter: Duration.days(35) }],
        }),
        new backup.BackupPlanRule({
          ruleName: 'Weekly',
          scheduleExpression: events.Schedule.cron({ weekDay: 'SUN', hour: '4', minute: '0' }),
          deleteAfter: Duration.days(365),
          copyActions: [{ destinationBackupVault: copyVault, deleteAfter: Duration.days(365) }],
        }),
      ],
    });
    this.plan.addSelection('Table', { resources: [backup.BackupResource.fromDynamoDbTable(props.table)] });
  }
}

import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';

/**
 * How a stage's new function versions take traffic: all at once (dev: a deployment is over in
 * seconds), 10% for 5 minutes then the rest (`canary`), or 10% more every minute (`linear`).
 */
export type DeploymentStyle = 'all-at-once' | 'canary' | 'linear';

const deploymentConfigs = {
  'all-at-once': codedeploy.LambdaDeploymentConfig.ALL_AT_ONCE,
  canary: codedeploy.LambdaDeploymentConfig.CANARY_10PERCENT_5MINUTES,
  linear: codedeploy.LambdaDeploymentConfig.LINEAR_10PERCENT_EVERY_1MINUTE,
} as const satisfies Record<DeploymentStyle, codedeploy.ILambdaDeploymentConfig>;

export interface GradualDeploymentsProps {
  readonly style: DeploymentStyle;
  /** Every function's `live` alias (what API Gateway and the state machine invoke), by function name. */
  readonly aliases: ReadonlyMap<string, lambda.Alias>;
  /** The alarms that stop a function's deployment and roll it back: its own errors, 5xx rate, throttles. */
  readonly rollbackAlarms: (functionName: string) => readonly cloudwatch.IAlarm[];
}

/**
 * A CodeDeploy deployment group per function: a new version takes traffic through its `live`
 * alias as the stage's style says, and goes back to the previous version by itself when one of
 * the function's alarms goes off during the deployment (or the deployment fails).
 */
export class GradualDeployments extends Construct {
  readonly groups: ReadonlyMap<string, codedeploy.LambdaDeploymentGroup>;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: GradualDeploymentsProps) {
    super(scope, id);
    const application = new codedeploy.LambdaApplication(this, 'Application');
    // One service role for every group (CodeDeploy gives it AWS's AWSCodeDeployRoleForLambdaLimited:
    // moving aliases, reading the alarms), rather than a role per function.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
    });
    const groups = new Map<string, codedeploy.LambdaDeploymentGroup>();
    for (const [name, alias] of props.aliases) {
      const alarms = props.rollbackAlarms(name);
      if (alarms.length === 0)
        throw new Error(`The function ${name} has no alarm to roll its deployments back`);
      groups.set(
        name,
        new codedeploy.LambdaDeploymentGroup(this, name, {
          application,
          alias,
          role: this.role,
          deploymentConfig: deploymentConfigs[props.style],
          alarms: [...alarms],
          autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
        }),
      );
    }
    this.groups = groups;
  }
}

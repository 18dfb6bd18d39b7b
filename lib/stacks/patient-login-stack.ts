import { CfnOutput, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { consoleRoutes } from '../../src/console-routes.ts';
import { resolvePhotoIdSettings } from '../../src/domain/identity/photo-id/photo-id-settings.ts';
import { functionSpecs, routes, workflowFunctionNames } from '../../src/routes.ts';
import { ApiAccessLog } from '../constructs/api-access-log.ts';
import { AppSecretsKey } from '../constructs/app-secrets-key.ts';
import { EmailSending } from '../constructs/email-sending.ts';
import { GpCredentialsKey } from '../constructs/gp-credentials-key.ts';
import { GradualDeployments } from '../constructs/gradual-deployments.ts';
import { MediaBucket } from '../constructs/media-bucket.ts';
import { PdsKey } from '../constructs/pds-key.ts';
import { PhotoIdCheckAlarms } from '../constructs/photo-id-check-alarms.ts';
import { PhotoIdCheckStateMachine } from '../constructs/photo-id-check-state-machine.ts';
import { ReviewConsoleApi } from '../constructs/review-console-api.ts';
import { RouteTableApi } from '../constructs/route-table-api.ts';
import { ServiceAlarms } from '../constructs/service-alarms.ts';
import { ServiceDashboards } from '../constructs/service-dashboards.ts';
import { SigningKeys } from '../constructs/signing-keys.ts';
import { StaffSecretsKey } from '../constructs/staff-secrets-key.ts';
import { StoreTable } from '../constructs/store-table.ts';
import { TableBackups } from '../constructs/table-backups.ts';
import { type CustomDomain, defaultApiThrottle, type StageSettings } from '../stages.ts';

export interface PatientLoginStackProps extends StackProps {
  readonly stage: StageSettings;
}

/**
 * The identity provider for one stage: the table, the signing keys, the SES identity, and the route
 * table's functions behind an HTTP API.
 */
export class PatientLoginStack extends Stack {
  /** `https://<domainName>`, or the API's https execute-api URL; never with a trailing slash. */
  readonly issuer: string;
  readonly table: StoreTable;
  readonly signingKeys: SigningKeys;
  readonly email: EmailSending;
  readonly pdsKey: PdsKey;
  readonly gpCredentialsKey: GpCredentialsKey;
  readonly staffSecretsKey: StaffSecretsKey;
  readonly appSecretsKey: AppSecretsKey;
  readonly httpApi: apigwv2.HttpApi;
  /** The API's one stage, `$default`: throttled, access-logged and deployed on every change. */
  readonly apiStage: apigwv2.HttpStage;
  readonly accessLog: ApiAccessLog;
  readonly api: RouteTableApi;
  /** The review console for ops staff: its own API, host and function. */
  readonly reviewConsole: ReviewConsoleApi;
  readonly media: MediaBucket;
  readonly photoIdCheck: PhotoIdCheckStateMachine;
  readonly photoIdAlarms: PhotoIdCheckAlarms;
  /** Where every alarm goes: the on-call team subscribes to it. */
  readonly alerts: sns.Topic;
  readonly alarms: ServiceAlarms;
  readonly dashboards: ServiceDashboards;
  /** CodeDeploy moves each function's `live` alias to its new version, rolling back on its alarms. */
  readonly deployments: GradualDeployments;
  /** A production stage's table backups, copied to a second region. */
  readonly backups?: TableBackups;

  constructor(scope: Construct, id: string, props: PatientLoginStackProps) {
    // A stage that takes patients cannot be deleted by a stray `cdk destroy`.
    super(scope, id, { ...props, terminationProtection: props.stage.production !== undefined });
    const { stage } = props;
    Tags.of(this).add('service', 'patient-login');
    Tags.of(this).add('stage', stage.name);
    const production = stage.production;
    this.table = new StoreTable(
      this,
      'Table',
      production
        ? {
            production: {
              keyAlias: `alias/patient-login/${stage.name}/table`,
              warmThroughput: production.tableWarmThroughput,
            },
          }
        : {},
    );
    if (production)
      this.backups = new TableBackups(this, 'Backups', {
        stageName: stage.name,
        table: this.table,
        copyRegion: production.backupCopyRegion,
        copyVaultName: production.backupCopyVaultName,
      });
    this.signingKeys = new SigningKeys(this, 'SigningKeys', {
      ...stage.signingKeys,
      aliasPrefix: `alias/patient-login/${stage.name}`,
    });
    this.email = new EmailSending(this, 'Email', stage.email);
    this.pdsKey = new PdsKey(this, 'PdsKey', { alias: `alias/patient-login/${stage.name}/pds` });
    this.gpCredentialsKey = new GpCredentialsKey(this, 'GpCredentialsKey', {
      alias: `alias/patient-login/${stage.name}/gp-credentials`,
    });
    this.staffSecretsKey = new StaffSecretsKey(this, 'StaffSecretsKey', {
      alias: `alias/patient-login/${stage.name}/staff-secrets`,
    });
    this.appSecretsKey = new AppSecretsKey(this, 'AppSecretsKey', {
      alias: `alias/patient-login/${stage.name}/app-secrets`,
    });
    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `patient-login-${stage.name}`,
      description: `patient-login ${stage.name}`,
      // The stage is added below: the default one cannot be given throttling or access logs.
      createDefaultStage: false,
      // With a custom domain, the execute-api URL would be a way round the domain, and round
      // anything put in front of it (CloudFront, WAF).
      disableExecuteApiEndpoint: stage.customDomain !== undefined,
    });
    this.accessLog = new ApiAccessLog(this, 'ApiAccessLog', { retention: stage.logRetention });
    // The same construct id as the stage `createDefaultStage` would make, so its logical id is kept.
    this.apiStage = this.httpApi.addStage('DefaultStage', {
      autoDeploy: true,
      throttle: stage.apiThrottle ?? defaultApiThrottle,
      // Per-route metrics (count, errors, latency): the service dashboard's latency per route.
      detailedMetricsEnabled: true,
      accessLogSettings: this.accessLog.settings,
    });
    this.issuer = stage.customDomain
      ? this.mapCustomDomain(stage.customDomain)
      : this.useExecuteApiEndpoint();
    const signingKeyIds = Fn.join(',', this.signingKeys.keyArns);
    this.reviewConsole = new ReviewConsoleApi(this, 'ReviewConsole', {
      stageName: stage.name,
      ...(stage.consoleDomain ? { domain: stage.consoleDomain } : {}),
      logRetention: stage.logRetention,
    });
    this.media = new MediaBucket(this, 'Media', {
      uploadOrigin: this.issuer,
      readOrigins: [this.reviewConsole.url],
      keyAlias: `alias/patient-login/${stage.name}/media`,
      abandonedAfterDays: 30,
      retentionDays: resolvePhotoIdSettings(stage.photoId).mediaRetentionDays,
    });
    // Named, so the functions can be given its ARN while it is given theirs.
    const photoIdStateMachineName = `patient-login-${stage.name}-photo-id-check`;
    const photoIdStateMachineArn = `arn:${this.partition}:states:${this.region}:${this.account}:stateMachine:${photoIdStateMachineName}`;
    const permissionTargets = {
      table: this.table,
      signingKeys: this.signingKeys,
      email: this.email,
      pdsKey: this.pdsKey,
      gpCredentialsKey: this.gpCredentialsKey,
      media: this.media,
      staffSecretsKey: this.staffSecretsKey,
      appSecretsKey: this.appSecretsKey,
      photoIdStateMachineArn,
    };
    const settings = {
      stage: stage.name,
      issuer: this.issuer,
      tableName: this.table.tableName,
      signingKeyIds,
      activeSigningKeyId: this.signingKeys.activeKey.keyArn,
      logLevel: stage.logLevel,
      serviceName: stage.serviceName,
      emailFromAddress: stage.email.fromAddress,
      sesConfigurationSet: stage.email.configurationSetName,
      smsSenderId: stage.smsSenderId,
      contactUrl: stage.contactUrl,
      allowedPhoneCountries: stage.allowedPhoneCountries?.join(','),
      limits: stage.limits && JSON.stringify(stage.limits),
      clientAddressSource: stage.clientAddressSource,
      pdsSigningKeyId: this.pdsKey.key.keyArn,
      pdsBaseUrl: stage.pds?.baseUrl,
      pdsTokenUrl: stage.pds?.tokenUrl,
      pdsApiKey: stage.pds?.apiKey,
      gpCredentialsKeyId: this.gpCredentialsKey.key.keyArn,
      gpBaseUrl: stage.gp?.baseUrl,
      gpApiKey: stage.gp?.apiKey,
      mediaBucket: this.media.bucket.bucketName,
      photoIdStateMachineArn,
      photoId: stage.photoId && JSON.stringify(stage.photoId),
      staffSecretsKeyId: this.staffSecretsKey.key.keyArn,
      appSecretsKeyId: this.appSecretsKey.key.keyArn,
    };
    this.api = new RouteTableApi(this, 'Api', {
      httpApi: this.httpApi,
      functionSpecs,
      routes,
      logRetention: stage.logRetention,
      permissionTargets,
      settings,
      ...(production
        ? {
            reservedConcurrency: { 'oidc-token': production.tokenReservedConcurrency },
            provisionedConcurrency: { 'login-pages': production.loginPagesProvisionedConcurrency },
          }
        : {}),
    });
    this.reviewConsole.addFunctions({ settings, logRetention: stage.logRetention, permissionTargets });
    // The state machine invokes each task's `live` alias, as API Gateway does the pages'.
    const taskFunction = (name: (typeof workflowFunctionNames)[number]) => {
      const fn = this.api.aliases.get(name);
      if (!fn) throw new Error(`The workflow's function ${name} was not built`);
      return fn;
    };
    this.photoIdCheck = new PhotoIdCheckStateMachine(this, 'PhotoIdCheck', {
      stateMachineName: photoIdStateMachineName,
      taskFunctions: Object.fromEntries(
        workflowFunctionNames.map((name) => [name, taskFunction(name)]),
      ) as Record<(typeof workflowFunctionNames)[number], ReturnType<typeof taskFunction>>,
      logRetention: stage.logRetention,
    });
    this.alerts = new sns.Topic(this, 'AlertTopic', {
      displayName: `patient-login ${stage.name} alerts`,
      enforceSSL: true,
    });
    this.photoIdAlarms = new PhotoIdCheckAlarms(this, 'PhotoIdAlarms', {
      stageName: stage.name,
      topic: this.alerts,
      stateMachine: this.photoIdCheck.stateMachine,
      taskLogGroups: workflowFunctionNames.map((name) => {
        const logGroup = this.api.logGroups.get(name);
        if (!logGroup) throw new Error(`The workflow's function ${name} has no log group`);
        return logGroup;
      }),
    });
    // Every function, by name: the patients' and the workflow's (one route table), and the console's.
    const functions = new Map<string, lambda.IFunction>([
      ...this.api.functions,
      ...this.reviewConsole.api.functions,
    ]);
    const httpFunctions = [
      ...new Set([...routes.map((route) => route.function), ...consoleRoutes.map((route) => route.function)]),
    ];
    this.alarms = new ServiceAlarms(this, 'Alarms', {
      stageName: stage.name,
      topic: this.alerts,
      functions,
      httpFunctions,
      table: this.table,
      smsMonthlySpendLimitUsd: stage.smsMonthlySpendLimitUsd ?? 1,
    });
    this.dashboards = new ServiceDashboards(this, 'Dashboards', {
      stageName: stage.name,
      alarms: this.alarms,
      functions,
      httpFunctions,
      httpApi: this.httpApi,
      table: this.table,
      stateMachine: this.photoIdCheck.stateMachine,
      identityCheckAlarms: this.photoIdAlarms.alarms,
    });
    this.deployments = new GradualDeployments(this, 'Deployments', {
      style: stage.deployment ?? 'all-at-once',
      aliases: new Map([...this.api.aliases, ...this.reviewConsole.api.aliases]),
      rollbackAlarms: (name) => this.alarms.byFunction.get(name) ?? [],
    });
    new CfnOutput(this, 'AlertTopicArn', { value: this.alerts.topicArn });
    // For `npm run staff -- --table <TableName> --key-id <StaffSecretsKeyArn>` (operators' own credentials).
    new CfnOutput(this, 'StaffSecretsKeyArn', { value: this.staffSecretsKey.key.keyArn });
    new CfnOutput(this, 'Issuer', { value: this.issuer });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'MediaBucketName', { value: this.media.bucket.bucketName });
    new CfnOutput(this, 'PhotoIdStateMachineArn', { value: this.photoIdCheck.stateMachine.stateMachineArn });
    new CfnOutput(this, 'SigningKeyIds', { value: signingKeyIds });
    new CfnOutput(this, 'ActiveSigningKeyId', { value: this.signingKeys.activeKey.keyArn });
  }

  /**
   * Serves the API at its execute-api endpoint, spelled out rather than read from the API's
   * `ApiEndpoint` attribute so the template shows the scheme (the infra tests check the issuer is
   * https). It is the form CDK's `HttpStage.url` uses, without the trailing slash an issuer must not have.
   */
  private useExecuteApiEndpoint(): string {
    const url = `https://${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    new CfnOutput(this, 'ApiUrl', { value: url });
    return url;
  }

  /** Serves the API at the custom domain; its DNS record (to the output target) is made outside the stack. */
  private mapCustomDomain(customDomain: CustomDomain): string {
    const domainName = new apigwv2.DomainName(this, 'DomainName', {
      domainName: customDomain.domainName,
      certificate: acm.Certificate.fromCertificateArn(this, 'Certificate', customDomain.certificateArn),
    });
    new apigwv2.ApiMapping(this, 'ApiMapping', { api: this.httpApi, domainName, stage: this.apiStage });
    new CfnOutput(this, 'CustomDomainTarget', { value: domainName.regionalDomainName });
    new CfnOutput(this, 'CustomDomainHostedZoneId', { value: domainName.regionalHostedZoneId });
    return `https://${customDomain.domainName}`;
  }
}

import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { configNames } from '../../src/platform/config.ts';
import {
  type FunctionSettings,
  functionSettings,
  loadFunctionConfig,
} from '../../src/platform/function-config.ts';
import type { FunctionSpec } from '../../src/routes.ts';
import { copyBundledFilesCommand } from '../bundled-files.ts';
import { houseBundling } from '../function-bundling.ts';
import { functionEntry, lockFile, projectRoot } from '../project-paths.ts';

export type { FunctionSettings };

export interface HouseFunctionProps {
  /** The folder under `functions/`, and the `functionSpecs` entry. */
  readonly name: string;
  readonly spec: FunctionSpec;
  readonly settings: FunctionSettings;
  readonly logRetention: logs.RetentionDays;
  /** Concurrency held for this function alone (and the most it may use). */
  readonly reservedConcurrency?: number;
  /** Warm containers behind the `live` alias, scaled on their use (70% target) between min and max. */
  readonly provisionedConcurrency?: { readonly min: number; readonly max: number };
}

const defaultMemoryMb = 256;

/** The CloudWatch namespace of a stage's metrics: EMF from the functions, and the log metric filters. */
export const metricsNamespace = (stage: string): string => `patient-login/${stage}`;

/**
 * A Lambda function with the house defaults: Node 24 on arm64, an ESM bundle with source maps
 * built by the local esbuild (with the files its spec's `bundledFiles` name beside it), its own
 * log group, and a role that may only write to that group. Its environment is checked at synthesis.
 */
export class HouseFunction extends Construct {
  readonly function: NodejsFunction;
  /**
   * `live`: the version API Gateway and the state machine invoke. A deployment publishes a new
   * version and moves the alias to it (gradually, with rollback, where the stage says).
   */
  readonly alias: lambda.Alias;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HouseFunctionProps) {
    super(scope, id);
    const environment = functionEnvironment(props.settings);
    checkEnvironment(environment);
    const bundledFiles = props.spec.bundledFiles ?? [];
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      // Logs are evidence for support and security reviews: they expire by retention, not with the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Our own role rather than AWSLambdaBasicExecutionRole, which may write to every log group.
    const role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    this.function = new NodejsFunction(this, 'Function', {
      entry: functionEntry(props.name),
      projectRoot,
      depsLockFilePath: lockFile,
      description: props.spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.spec.memoryMb ?? defaultMemoryMb,
      timeout: Duration.seconds(10),
      // X-Ray: each invocation's trace, with the handler's annotations (src/platform/lambda-tracing.ts).
      tracing: lambda.Tracing.ACTIVE,
      ...(props.reservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrency }),
      role,
      logGroup: this.logGroup,
      environment: {
        ...environment,
        NODE_OPTIONS: '--enable-source-maps',
        // Powertools' Metrics publishes into the stage's namespace (src/platform/lambda-metrics.ts).
        POWERTOOLS_METRICS_NAMESPACE: metricsNamespace(props.settings.stage),
      },
      bundling: {
        format: OutputFormat.ESM,
        target: houseBundling.target,
        mainFields: [...houseBundling.mainFields],
        minify: houseBundling.minify,
        keepNames: houseBundling.keepNames,
        sourceMap: houseBundling.sourcemap,
        sourcesContent: houseBundling.sourcesContent,
        // Bundle the AWS SDK too, so Lambda runs the versions the tests ran rather than the runtime's.
        externalModules: [],
        banner: houseBundling.banner,
        forceDockerBundling: false,
        // The files the function reads at run time (views, styles, the password list), beside index.mjs.
        commandHooks: {
          beforeInstall: () => [],
          beforeBundling: () => [],
          afterBundling: (_inputDir, outputDir) =>
            bundledFiles.length > 0 ? [copyBundledFilesCommand(bundledFiles, outputDir)] : [],
        },
      },
    });
    this.logGroup.grantWrite(this.function);
    const provisioned = props.provisionedConcurrency;
    this.alias = new lambda.Alias(this, 'Live', {
      aliasName: 'live',
      version: this.function.currentVersion,
      ...(provisioned ? { provisionedConcurrentExecutions: provisioned.min } : {}),
    });
    if (provisioned)
      this.alias
        .addAutoScaling({ minCapacity: provisioned.min, maxCapacity: provisioned.max })
        .scaleOnUtilization({ utilizationTarget: 0.7 });
  }
}

const functionEnvironment = (settings: FunctionSettings): Record<string, string> =>
  Object.fromEntries(
    (Object.keys(functionSettings) as (keyof typeof functionSettings)[]).flatMap((key) => {
      const value = settings[key];
      return value === undefined ? [] : [[functionSettings[key].variable, value]];
    }),
  );

/** Stands in for a value known only at deployment (a token): any valid one will do for the check. */
const deployTimeValues: Readonly<Record<string, string>> = {
  [configNames.issuer]: 'https://issuer.invalid',
  [configNames.photoIdStateMachineArn]: 'arn:aws:states:region:000000000000:stateMachine:known-at-deployment',
};
const deployTimeValue = (name: string): string => deployTimeValues[name] ?? 'known-at-deployment';

/**
 * Runs the functions' own configuration check at synthesis, so a stage setting they would refuse
 * (an invalid from address, sender ID or limit) fails `cdk synth`, not every cold start.
 */
const checkEnvironment = (environment: Record<string, string>): void => {
  loadFunctionConfig(
    Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [
        name,
        Token.isUnresolved(value) ? deployTimeValue(name) : value,
      ]),
    ),
  );
};

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { HouseFunction } from '../../lib/constructs/house-function.ts';
import { functionsDir } from '../../lib/project-paths.ts';
import { PatientLoginStack } from '../../lib/stacks/patient-login-stack.ts';
import { stages } from '../../lib/stages.ts';
import { commonPasswordsFile } from '../../src/adapters/files/common-password-file.ts';
import { consoleFunctionSpecs } from '../../src/console-routes.ts';
import type { LimitOverrides } from '../../src/domain/limits/limits.ts';
import { bundleLayout } from '../../src/platform/bundle-files.ts';
import { configNames } from '../../src/platform/config.ts';
import { toApiGatewayEvent } from '../../src/platform/http/api-gateway-v2.ts';
import { type FunctionName, type FunctionSpec, functionSpecs } from '../../src/routes.ts';
import {
  bundlingApp,
  logicalIdOf,
  synthesizeStack,
  testApp,
  testFunctionSettings,
  testStage,
} from './synthesize.ts';
import { propertiesOfEvery, type Resource } from './template-queries.ts';

interface FunctionProperties {
  readonly Runtime: string;
  readonly Architectures: string[];
  readonly LoggingConfig?: { LogGroup?: { Ref: string } };
  readonly Environment: { Variables: Record<string, unknown> };
  readonly Code: { S3Key: string };
}

describe('Lambda functions', () => {
  const { stack, template } = synthesizeStack();
  const functions = propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function');

  it('runs every function on Node 24 on arm64', () => {
    // Prepare
    const expected = { runtime: 'nodejs24.x', architectures: ['arm64'] };

    // Act
    const actual = functions.map(([, fn]) => ({ runtime: fn.Runtime, architectures: fn.Architectures }));

    // Assess
    expect(actual).toEqual(functions.map(() => expected));
  });

  it('gives every function its own log group, kept for the stage retention', () => {
    // Prepare
    const resources = template.toJSON().Resources as Record<string, Resource>;

    // Act
    const logGroupIds = functions.map(([, fn]) => fn.LoggingConfig?.LogGroup?.Ref);
    const logGroups = logGroupIds.map((id) => (id === undefined ? undefined : resources[id]));

    // Assess
    expect(new Set(logGroupIds).size).toBe(functions.length);
    for (const logGroup of logGroups) {
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties.RetentionInDays).toBe(testStage.logRetention);
    }
  });

  it('builds exactly one function per functionSpecs entry, and the review console’s on its own API', () => {
    // Prepare
    const specNames = Object.keys(functionSpecs).sort();
    const consoleNames = Object.keys(consoleFunctionSpecs);

    // Act
    const builtNames = [...stack.api.functions.keys()].sort();
    const consoleBuilt = [...stack.reviewConsole.api.functions.keys()];

    // Assess
    expect(builtNames).toEqual(specNames);
    expect(consoleBuilt).toEqual(consoleNames);
    expect(functions).toHaveLength(specNames.length + consoleNames.length);
  });

  it('has a function spec (the patients’ or the console’s) for every folder under functions/, and a lambda.ts for every one', () => {
    // Prepare
    const specNames = [...Object.keys(functionSpecs), ...Object.keys(consoleFunctionSpecs)].sort();

    // Act
    const folders = readdirSync(functionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    // Assess
    expect(folders).toEqual(specNames);
    for (const name of specNames) expect(existsSync(join(functionsDir, name, 'lambda.ts'))).toBe(true);
  });

  it('sets every configuration variable the functions read, from the stack and the stage', () => {
    // Prepare
    const resolve = (value: unknown) => stack.resolve(value);
    const expected = {
      [configNames.stage]: testStage.name,
      [configNames.issuer]: resolve(stack.issuer),
      [configNames.tableName]: resolve(stack.table.tableName),
      [configNames.signingKeyIds]: resolve(stack.signingKeys.activeKey.keyArn),
      [configNames.activeSigningKeyId]: resolve(stack.signingKeys.activeKey.keyArn),
      [configNames.logLevel]: testStage.logLevel,
      [configNames.serviceName]: testStage.serviceName,
      [configNames.emailFromAddress]: testStage.email.fromAddress,
      [configNames.sesConfigurationSet]: testStage.email.configurationSetName,
      [configNames.smsSenderId]: testStage.smsSenderId,
      [configNames.contactUrl]: testStage.contactUrl,
      [configNames.allowedPhoneCountries]: 'GB,IE',
      [configNames.limits]: JSON.stringify(testStage.limits),
      [configNames.clientAddressSource]: testStage.clientAddressSource,
      [configNames.pdsSigningKeyId]: resolve(stack.pdsKey.key.keyArn),
      [configNames.pdsBaseUrl]: testStage.pds?.baseUrl,
      [configNames.pdsTokenUrl]: testStage.pds?.tokenUrl,
      [configNames.pdsApiKey]: testStage.pds?.apiKey,
      [configNames.gpCredentialsKeyId]: resolve(stack.gpCredentialsKey.key.keyArn),
      [configNames.gpBaseUrl]: testStage.gp?.baseUrl,
      [configNames.gpApiKey]: testStage.gp?.apiKey,
      [configNames.mediaBucket]: resolve(stack.media.bucket.bucketName),
      [configNames.photoIdStateMachineArn]: resolve(
        `arn:${stack.partition}:states:${stack.region}:${stack.account}:stateMachine:patient-login-test-photo-id-check`,
      ),
      [configNames.photoId]: JSON.stringify(testStage.photoId),
      [configNames.staffSecretsKeyId]: resolve(stack.staffSecretsKey.key.keyArn),
      [configNames.appSecretsKeyId]: resolve(stack.appSecretsKey.key.keyArn),
    };

    // Act
    const environments = functions.map(([, fn]) => fn.Environment.Variables);

    // Assess
    expect(Object.keys(expected).sort()).toEqual(Object.values(configNames).sort());
    for (const environment of environments) expect(environment).toMatchObject(expected);
  });

  it('leaves out the optional variables a stage does not set, so the functions use their defaults', () => {
    // Prepare
    const optional = [
      configNames.serviceName,
      configNames.sesConfigurationSet,
      configNames.smsSenderId,
      configNames.contactUrl,
      configNames.allowedPhoneCountries,
      configNames.limits,
      configNames.clientAddressSource,
      configNames.pdsBaseUrl,
      configNames.pdsTokenUrl,
      configNames.pdsApiKey,
    ];

    // Act
    const minimal = Template.fromStack(new PatientLoginStack(testApp(), 'minimal', { stage: stages.dev }));
    const environments = propertiesOfEvery<FunctionProperties>(minimal, 'AWS::Lambda::Function').map(
      ([, fn]) => Object.keys(fn.Environment.Variables),
    );

    // Assess
    for (const names of environments) {
      expect(names).toContain(configNames.emailFromAddress);
      expect(names.filter((name) => (optional as string[]).includes(name))).toEqual([]);
    }
  });

  it.each([
    {
      case: 'a from address with a space',
      stage: { email: { fromAddress: 'no reply@login.example.org' } },
      variable: 'EMAIL_FROM_ADDRESS',
    },
    { case: 'a sender ID with a space', stage: { smsSenderId: 'NHS login' }, variable: 'SMS_SENDER_ID' },
    {
      case: 'a country that is not a code',
      stage: { allowedPhoneCountries: ['UK'] },
      variable: 'ALLOWED_PHONE_COUNTRIES',
    },
    {
      case: 'an unknown limit',
      stage: { limits: { codeAttempts: 3 } as LimitOverrides },
      variable: 'LIMITS',
    },
    {
      case: 'a plain http contact URL',
      stage: { contactUrl: 'http://help.example.org' },
      variable: 'CONTACT_URL',
    },
  ])(
    'refuses at synthesis a stage setting the functions would refuse at cold start: $case',
    ({ stage, variable }) => {
      // Act
      const synthesize = () => synthesizeStack(stage);

      // Assess
      expect(synthesize).toThrow(new RegExp(`Invalid function configuration: .*${variable}`));
    },
  );

  it('gives each function the memory its spec asks for, and 256 MB otherwise', () => {
    // Prepare
    const expected = Object.fromEntries(
      Object.entries(functionSpecs).map(([name, spec]) => [name, (spec as FunctionSpec).memoryMb ?? 256]),
    );

    // Act
    const actual = Object.fromEntries(
      [...stack.api.functions].map(([name, fn]) => [
        name,
        (template.toJSON().Resources[logicalIdOf(fn)] as Resource).Properties.MemorySize,
      ]),
    );

    const consoleFunction = stack.reviewConsole.api.functions.get('review-console');
    const consoleMemory = consoleFunction
      ? (template.toJSON().Resources[logicalIdOf(consoleFunction)] as Resource).Properties.MemorySize
      : undefined;

    // Assess
    expect(expected['login-pages']).toBe(1024);
    expect(actual).toEqual(expected);
    expect(consoleMemory).toBe(consoleFunctionSpecs['review-console'].memoryMb);
  });
});

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'patient-login-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Bundles one function as `cdk synth` would (esbuild, then the copy hook), once, and returns its folder. */
  type BundledName = FunctionName | keyof typeof consoleFunctionSpecs;
  const specOf = (name: BundledName): FunctionSpec =>
    name === 'review-console' ? consoleFunctionSpecs[name] : functionSpecs[name];
  const bundles = new Map<BundledName, string>();
  const bundleOf = (name: BundledName): string => {
    const built = bundles.get(name);
    if (built) return built;
    const stack = new Stack(bundlingApp(outdir), `bundle-${name}`);
    new HouseFunction(stack, 'Function', {
      name,
      spec: specOf(name),
      settings: testFunctionSettings,
      logRetention: testStage.logRetention,
    });
    const [[, fn]] = propertiesOfEvery<FunctionProperties>(
      Template.fromStack(stack),
      'AWS::Lambda::Function',
    ) as [[string, FunctionProperties]];
    const folder = join(outdir, `asset.${fn.Code.S3Key.replace(/\.zip$/, '')}`);
    bundles.set(name, folder);
    return folder;
  };

  /** Every file in a bundle, by its path in it. */
  const filesOf = (name: BundledName): string[] => {
    const folder = bundleOf(name);
    return readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(folder, join(entry.parentPath, entry.name)));
  };

  /**
   * Imports a bundle in a Node of its own, with the environment a deployed function gets (DynamoDB
   * pointed at a closed port), calls its handler with an API Gateway event, and returns the response.
   */
  const invoke = (name: BundledName, method: 'GET', path: string, routeKey: string, parameters?: object) => {
    const script = join(outdir, 'invoke.mjs');
    writeFileSync(
      script,
      [
        'const [entry, event] = process.argv.slice(2);',
        'const { handler } = await import(entry);',
        "const context = { awsRequestId: 'test', functionName: 'test', getRemainingTimeInMillis: () => 10000 };",
        // On a line of its own: the function writes its metrics (EMF lines) to stdout too.
        "process.stdout.write('\\nRESPONSE ' + JSON.stringify(await handler(JSON.parse(event), context)));",
      ].join('\n'),
    );
    const event = toApiGatewayEvent(
      { method, url: path, headers: { host: 'issuer.test' }, body: Buffer.alloc(0), sourceIp: '203.0.113.9' },
      { routeKey, ...(parameters ? { pathParameters: { ...parameters } } : {}) },
    );
    const output = execFileSync(
      process.execPath,
      [script, pathToFileURL(join(bundleOf(name), 'index.mjs')).href, JSON.stringify(event)],
      {
        encoding: 'utf8',
        env: {
          STAGE: 'test',
          ISSUER: 'https://issuer.test',
          TABLE_NAME: 'table',
          SIGNING_KEY_IDS: 'key-1',
          ACTIVE_SIGNING_KEY_ID: 'key-1',
          PDS_SIGNING_KEY_ID: 'pds-key',
          GP_CREDENTIALS_KEY_ID: 'gp-credentials-key',
          MEDIA_BUCKET: 'media-bucket',
          PHOTO_ID_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check',
          STAFF_SECRETS_KEY_ID: 'staff-secrets-key',
          APP_SECRETS_KEY_ID: 'app-secrets-key',
          EMAIL_FROM_ADDRESS: 'no-reply@issuer.test',
          LOG_LEVEL: 'SILENT',
          POWERTOOLS_METRICS_NAMESPACE: 'patient-login/test',
          AWS_REGION: 'eu-west-2',
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
        },
      },
    );
    const lines = output.split('\n');
    const response = lines.find((line) => line.startsWith('RESPONSE ')) ?? '';
    return {
      ...(JSON.parse(response.slice('RESPONSE '.length)) as {
        statusCode: number;
        headers: Record<string, string>;
        body: string;
      }),
      /** The metrics it published, as CloudWatch would read them from its log. */
      metrics: lines
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  };

  it('keep class names through minification, so errors log under their own class names', () => {
    // Prepare: every function maps errors at the edge, so every bundle has DomainError in it.
    const [name] = Object.keys(functionSpecs) as [FunctionName];

    // Act
    const code = readFileSync(join(bundleOf(name), 'index.mjs'), 'utf8');

    // Assess: minified, the class is `class jo extends Error`; esbuild's keepNames records its name.
    expect(code).toContain('"DomainError"');
  });

  it('carry the views, the nhsuk-frontend templates and the common-password list in the registration pages bundle', () => {
    // Act
    const files = filesOf('registration-pages');

    // Assess
    expect(files).toEqual(
      expect.arrayContaining([
        'index.mjs',
        `${bundleLayout.views}/layout.njk`,
        `${bundleLayout.views}/pages/start.njk`,
        `${bundleLayout.nhsukFrontend}/nhsuk/template.njk`,
        `${bundleLayout.nhsukFrontend}/nhsuk/components/button/macro.njk`,
        bundleLayout.commonPasswords,
      ]),
    );
    expect(readFileSync(join(bundleOf('registration-pages'), bundleLayout.commonPasswords), 'utf8')).toBe(
      readFileSync(commonPasswordsFile, 'utf8'),
    );
    // Only templates of nhsuk-frontend: not its sources, styles or source maps.
    expect(
      files.filter((file) => file.startsWith(`${bundleLayout.nhsukFrontend}/`) && !file.endsWith('.njk')),
    ).toEqual([]);
  });

  it('carry our own scripts and the nhsuk-frontend styles, scripts and images in the static assets bundle', () => {
    // Act
    const files = filesOf('static-assets');

    // Assess
    expect(files).toEqual(
      expect.arrayContaining([
        `${bundleLayout.ownAssets}/init.js`,
        `${bundleLayout.nhsukFrontend}/nhsuk/nhsuk-frontend.min.css`,
        `${bundleLayout.nhsukFrontend}/nhsuk/nhsuk-frontend.min.js`,
        `${bundleLayout.nhsukFrontend}/nhsuk/assets/manifest.json`,
        `${bundleLayout.nhsukFrontend}/nhsuk/assets/images/favicon.ico`,
      ]),
    );
    expect(files.some((file) => file.endsWith('.njk') || file === bundleLayout.commonPasswords)).toBe(false);
  });

  it('carry no bundled files in a function whose spec lists none', () => {
    // Act
    const files = filesOf('openid-metadata');

    // Assess
    expect(files.sort()).toEqual(['index.mjs', 'index.mjs.map']);
  });

  it('serve the nhsuk-frontend stylesheet from the static assets bundle as deployed', () => {
    // Act
    const response = invoke('static-assets', 'GET', '/assets/nhsuk-frontend.min.css', 'GET /assets/{path+}', {
      path: 'nhsuk-frontend.min.css',
    });

    // Assess
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(response.body).toContain('.nhsuk-header');
    expect(response.metrics).toContainEqual(
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'patient-login/test' })],
        }),
        Responses: 1,
        function: 'static-assets',
        status: '2xx',
      }),
    );
  });

  it('render pages from the bundled templates in the page bundles, and the problem page when the store is down', () => {
    // Act
    const start = invoke('registration-pages', 'GET', '/', 'GET /');
    const response = invoke('login-pages', 'GET', '/login', 'GET /login');

    // Assess: the start page needs no session, so it renders without the store; the login form needs
    // one for its CSRF token, so an unreachable DynamoDB is a 503 page in the NHS layout.
    expect(start.statusCode).toBe(200);
    expect(start.body).toContain('nhsuk-header');
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<title>Sorry, there is a problem - NHS login</title>');
    expect(response.body).toContain('nhsuk-header');
  });

  it('serve the review console from its own bundle: its login page in the console layout (503 with the store down) and its own styles', () => {
    // Act
    const login = invoke('review-console', 'GET', '/login', 'GET /login');
    const styles = invoke('review-console', 'GET', '/assets/nhsuk-frontend.min.css', 'GET /assets/{path+}', {
      path: 'nhsuk-frontend.min.css',
    });

    // Assess: the login form needs a session for its CSRF token, so an unreachable store is the console's problem page
    expect(login.statusCode).toBe(503);
    expect(login.body).toContain('Sorry, there is a problem with the console');
    expect(login.body).toContain('NHS login review console');
    expect(styles.statusCode).toBe(200);
    expect(styles.body).toContain('.nhsuk-header');
  });
});

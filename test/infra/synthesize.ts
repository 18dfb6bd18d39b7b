import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import type { FunctionSettings } from '../../lib/constructs/house-function.ts';
import { PatientLoginStack } from '../../lib/stacks/patient-login-stack.ts';
import { type StageSettings, stages } from '../../lib/stages.ts';

const cdkJson: { context: Record<string, unknown> } = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
);

/** An app with the feature flags `cdk synth` uses; bundling skipped, since tests read the template, not the code. */
export const testApp = (): App => new App({ context: { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] } });

/** An app that bundles its functions into `outdir`, as `cdk synth` does, for tests that read the code. */
export const bundlingApp = (outdir: string): App => new App({ outdir, context: cdkJson.context });

/** The dev stage with every optional setting given, so each reaches the functions' environment. */
export const testStage: StageSettings = {
  ...stages.dev,
  name: 'test',
  serviceName: 'Patient login (test)',
  email: { fromAddress: 'no-reply@login.test.example.org', configurationSetName: 'patient-login-test' },
  smsSenderId: 'NHSlogin',
  allowedPhoneCountries: ['GB', 'IE'],
  contactUrl: 'https://help.test.example.org/contact',
  limits: { securityCodeAttempts: 3 },
  clientAddressSource: 'cloudfront-viewer-address',
  pds: {
    baseUrl: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4',
    tokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
    apiKey: 'test-api-key',
  },
  gp: { baseUrl: 'https://gp-linkage.example.nhs.uk', apiKey: 'test-gp-api-key' },
  photoId: { staffedHours: { opens: '08:00', closes: '20:00' }, mediaRetentionDays: 1 },
};

export const synthesizeStack = (stage: Partial<StageSettings> = {}) => {
  const stack = new PatientLoginStack(testApp(), 'patient-login-test', { stage: { ...testStage, ...stage } });
  return { stack, template: Template.fromStack(stack) };
};

/** Function settings for a construct tested on its own: valid, since synthesis checks them, but never read. */
export const testFunctionSettings: FunctionSettings = {
  stage: 'test',
  issuer: 'https://issuer.test',
  tableName: 'table',
  signingKeyIds: 'a,b',
  activeSigningKeyId: 'a',
  logLevel: 'INFO',
  serviceName: undefined,
  emailFromAddress: 'no-reply@issuer.test',
  sesConfigurationSet: undefined,
  smsSenderId: undefined,
  contactUrl: undefined,
  allowedPhoneCountries: undefined,
  limits: undefined,
  clientAddressSource: undefined,
  pdsSigningKeyId: 'pds-key',
  pdsBaseUrl: undefined,
  pdsTokenUrl: undefined,
  pdsApiKey: undefined,
  gpCredentialsKeyId: 'gp-credentials-key',
  gpBaseUrl: undefined,
  gpApiKey: undefined,
  mediaBucket: 'media-bucket',
  photoIdStateMachineArn: 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check',
  photoId: undefined,
  staffSecretsKeyId: 'staff-secrets-key',
  appSecretsKeyId: 'app-secrets-key',
};

/** A bare stack, for testing a construct on its own. */
export const emptyStack = (): Stack => new Stack(testApp(), 'construct-test');

/** The logical id of an L2 construct's CloudFormation resource. */
export const logicalIdOf = (construct: IConstruct): string =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

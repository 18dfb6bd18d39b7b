import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { consoleFunctionSpecs } from '../../src/console-routes.ts';
import { type FunctionName, functionSpecs, workflowFunctionNames } from '../../src/routes.ts';
import {
  photoIdCheckDefinitionText,
  photoIdTaskSubstitutions,
} from '../../src/workflows/photo-id-check-workflow.ts';
import { logicalIdOf, synthesizeStack } from './synthesize.ts';
import {
  actionsOf,
  arnOf,
  asList,
  type PolicyStatement,
  propertiesOfEvery,
  resourcesOfType,
  statementsOfFunction,
} from './template-queries.ts';

describe('the photo-ID check in AWS', () => {
  const { stack, template } = synthesizeStack();
  const bucketId = logicalIdOf(stack.media.bucket);
  const mediaKeyId = logicalIdOf(stack.media.key);
  /** Every function of the stack: the patients' API's, the workflow's, and the review console's. */
  const allFunctionNames = [...Object.keys(functionSpecs), ...Object.keys(consoleFunctionSpecs)];
  const functionId = (name: string) => {
    const fn = stack.api.functions.get(name) ?? stack.reviewConsole.api.functions.get(name);
    if (!fn) throw new Error(`No function ${name}`);
    return logicalIdOf(fn);
  };
  /** The `live` alias of a function: what the state machine and API Gateway invoke. */
  const aliasId = (name: string) => {
    const alias = stack.api.aliases.get(name);
    if (!alias) throw new Error(`No function ${name}`);
    return logicalIdOf(alias);
  };
  /** The functions whose role allows one of the actions (on the resource, when it is named). */
  const functionsAllowed = (actions: string[], resourceMentions?: string) =>
    allFunctionNames.filter((name) =>
      statementsOfFunction(template, functionId(name)).some(
        (statement: PolicyStatement) =>
          statement.Effect === 'Allow' &&
          actionsOf(statement).some((action) => actions.includes(action)) &&
          (resourceMentions === undefined || JSON.stringify(statement.Resource).includes(resourceMentions)),
      ),
    );

  it('keeps the media in a private bucket: KMS-encrypted with its own key, TLS only, no versioning', () => {
    // Act
    const [[, bucket]] = propertiesOfEvery<Record<string, unknown>>(template, 'AWS::S3::Bucket') as [
      [string, Record<string, unknown>],
    ];

    // Assess
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { KMSMasterKeyID: arnOf(mediaKeyId), SSEAlgorithm: 'aws:kms' },
        },
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.VersioningConfiguration).toBeUndefined();
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    expect(resourcesOfType(template, 'AWS::S3::Bucket')[0]?.[1].DeletionPolicy).toBe('Retain');
  });

  it('deletes what an abandoned submission leaves, lets only the patient pages’ origin upload and only the console’s read', () => {
    // Act
    const [[, bucket]] = propertiesOfEvery<Record<string, unknown>>(template, 'AWS::S3::Bucket') as [
      [string, Record<string, unknown>],
    ];

    // Assess
    expect(bucket.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'delete-abandoned-media',
          Prefix: 'checks/',
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
          Status: 'Enabled',
        },
      ],
    });
    const cors = (
      bucket.CorsConfiguration as { CorsRules: { AllowedMethods: string[]; AllowedOrigins: unknown[] }[] }
    ).CorsRules;
    expect(cors.map((rule) => rule.AllowedMethods)).toEqual([['POST'], ['GET', 'HEAD']]);
    expect(cors.map((rule) => rule.AllowedOrigins)).toEqual([
      [stack.resolve(stack.issuer)],
      [stack.resolve(stack.reviewConsole.url)],
    ]);
  });

  it('builds a Standard state machine from workflows/photo-id-check.asl.json, inline, with the task functions substituted', () => {
    // Act
    const [[, machine]] = propertiesOfEvery<Record<string, unknown>>(
      template,
      'AWS::StepFunctions::StateMachine',
    ) as [[string, Record<string, unknown>]];

    // Assess
    expect(machine.StateMachineType).toBe('STANDARD');
    expect(machine.StateMachineName).toBe('patient-login-test-photo-id-check');
    expect(machine.DefinitionString).toBe(photoIdCheckDefinitionText());
    expect(machine.DefinitionS3Location).toBeUndefined();
    expect(machine.DefinitionSubstitutions).toEqual(
      Object.fromEntries(
        Object.entries(photoIdTaskSubstitutions).map(([name, substitution]) => [
          substitution,
          { Ref: aliasId(name as FunctionName) },
        ]),
      ),
    );
    expect(machine.TracingConfiguration).toEqual({ Enabled: true });
    expect(machine.LoggingConfiguration).toMatchObject({ IncludeExecutionData: false, Level: 'ERROR' });
  });

  it('lets the state machine invoke its task functions and nothing else', () => {
    // Prepare
    const roleId = logicalIdOf(stack.photoIdCheck.stateMachine.role);
    const invokes = resourcesOfType(template, 'AWS::IAM::Policy')
      .filter(([, policy]) => JSON.stringify(policy.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(
        ([, policy]) => (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement,
      )
      .filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));

    // Act
    const targets = new Set(
      invokes.flatMap((statement) => asList(statement.Resource)).map((resource) => JSON.stringify(resource)),
    );

    // Assess
    const expected = workflowFunctionNames.map((name) => JSON.stringify({ Ref: aliasId(name) }));
    expect([...targets].sort()).toEqual(expected.sort());
  });

  it('gives the workflow’s functions no route: only the state machine invokes them', () => {
    // Act
    const permitted = resourcesOfType(template, 'AWS::Lambda::Permission').map(([, permission]) =>
      JSON.stringify(permission.Properties.FunctionName),
    );

    // Assess
    for (const name of workflowFunctionNames)
      expect(
        permitted.filter((target) => target.includes(functionId(name)) || target.includes(aliasId(name))),
      ).toEqual([]);
  });

  it('lets the identity pages alone start the workflow, and the review console alone send a decision, to this state machine only', () => {
    // Act
    const starters = functionsAllowed(['states:StartExecution']);
    const deciders = functionsAllowed(['states:SendTaskSuccess', 'states:SendTaskFailure']);
    const decisionResources = statementsOfFunction(template, functionId('review-console'))
      .filter((statement) => actionsOf(statement).includes('states:SendTaskSuccess'))
      .flatMap((statement) => asList(statement.Resource));

    // Assess
    expect(starters).toEqual(['identity-pages']);
    expect(deciders).toEqual(['review-console']);
    expect(JSON.stringify(decisionResources)).toContain('stateMachine:patient-login-test-photo-id-check');
    expect(decisionResources).toHaveLength(1);
  });

  it('lets only the media’s own steps touch the bucket: the pages sign uploads, the intake reads and keeps, the checks and the console read the reviewed copies, the media step deletes', () => {
    // Act
    const uploaders = functionsAllowed(['s3:PutObject'], '/checks/*"');
    const keepers = functionsAllowed(['s3:PutObject'], '.reviewed');
    const listers = functionsAllowed(['s3:ListBucket']);
    const deniedReviewed = allFunctionNames.filter((name) =>
      statementsOfFunction(template, functionId(name)).some(
        (statement) =>
          statement.Effect === 'Deny' &&
          actionsOf(statement).includes('s3:PutObject') &&
          JSON.stringify(statement.Resource).includes('.reviewed'),
      ),
    );
    const readers = functionsAllowed(['s3:GetObject']);
    const deleters = functionsAllowed(['s3:DeleteObject']);
    const decrypters = functionsAllowed(['kms:Decrypt'], mediaKeyId);
    const anyS3 = allFunctionNames.filter((name) =>
      statementsOfFunction(template, functionId(name)).some((statement) =>
        actionsOf(statement).some((action) => action.startsWith('s3:')),
      ),
    );

    // Assess
    expect(uploaders).toEqual(['identity-pages']);
    expect(deniedReviewed).toEqual(['identity-pages']);
    expect(keepers).toEqual(['photo-id-intake']);
    expect(readers).toEqual(['photo-id-intake', 'photo-id-checks', 'review-console']);
    // The checks and the console read the reviewed copies only: never an upload as it stands
    expect(functionsAllowed(['s3:GetObject'], '/checks/*"')).toEqual(['photo-id-intake']);
    expect(functionsAllowed(['s3:GetObject'], '.reviewed')).toEqual(['photo-id-checks', 'review-console']);
    expect(listers.sort()).toEqual(['photo-id-intake', 'photo-id-media']);
    expect(deleters).toEqual(['photo-id-media']);
    expect(decrypters).toEqual(['photo-id-intake', 'photo-id-checks', 'review-console']);
    expect(anyS3.sort()).toEqual([
      'identity-pages',
      'photo-id-checks',
      'photo-id-intake',
      'photo-id-media',
      'review-console',
    ]);
  });
});

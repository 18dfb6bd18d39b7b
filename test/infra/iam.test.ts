import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { AppSecretsKey } from '../../lib/constructs/app-secrets-key.ts';
import { EmailSending } from '../../lib/constructs/email-sending.ts';
import { GpCredentialsKey } from '../../lib/constructs/gp-credentials-key.ts';
import { MediaBucket } from '../../lib/constructs/media-bucket.ts';
import { PdsKey } from '../../lib/constructs/pds-key.ts';
import { RouteTableApi } from '../../lib/constructs/route-table-api.ts';
import { SigningKeys } from '../../lib/constructs/signing-keys.ts';
import { StaffSecretsKey } from '../../lib/constructs/staff-secrets-key.ts';
import { StoreTable } from '../../lib/constructs/store-table.ts';
import type { EmailSettings } from '../../lib/stages.ts';
import { type FunctionName, functionSpecs, type Permission } from '../../src/routes.ts';
import { emptyStack, logicalIdOf, synthesizeStack, testFunctionSettings, testStage } from './synthesize.ts';
import {
  actionsOf,
  allowedActionsOfFunction,
  arnOf,
  asList,
  identityPolicies,
  type PolicyStatement,
  resourcesOfType,
  statementsOfFunction,
} from './template-queries.ts';

const testEmail: EmailSettings = { fromAddress: 'no-reply@login.test.example.org' };

/** A stack whose only function has exactly the given permissions, and that function's logical id. */
const stackWithPermissions = (permissions: Permission[], email: EmailSettings = testEmail) => {
  const stack = emptyStack();
  const table = new StoreTable(stack, 'Table');
  const signingKeys = new SigningKeys(stack, 'SigningKeys', {
    names: ['a', 'b'],
    active: 'a',
    aliasPrefix: 'alias/t',
  });
  const api = new RouteTableApi(stack, 'Api', {
    httpApi: new apigwv2.HttpApi(stack, 'HttpApi'),
    functionSpecs: { 'openid-metadata': { description: 'under test', permissions } },
    routes: [],
    settings: testFunctionSettings,
    logRetention: testStage.logRetention,
    permissionTargets: {
      table,
      signingKeys,
      email: new EmailSending(stack, 'Email', email),
      pdsKey: new PdsKey(stack, 'PdsKey', { alias: 'alias/t/pds' }),
      gpCredentialsKey: new GpCredentialsKey(stack, 'GpCredentialsKey', { alias: 'alias/t/gp' }),
      media: new MediaBucket(stack, 'Media', {
        uploadOrigin: 'https://issuer.test',
        keyAlias: 'alias/t/media',
        abandonedAfterDays: 30,
        retentionDays: 0,
      }),
      staffSecretsKey: new StaffSecretsKey(stack, 'StaffSecretsKey', { alias: 'alias/t/staff' }),
      appSecretsKey: new AppSecretsKey(stack, 'AppSecretsKey', { alias: 'alias/t/app' }),
      photoIdStateMachineArn: 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check',
    },
  });
  const fn = api.functions.get('openid-metadata');
  if (!fn) throw new Error('no function built');
  return { stack, template: Template.fromStack(stack), functionId: logicalIdOf(fn) };
};

/** The allowed actions of a function that has exactly the given permissions. */
const templateWithPermissions = (permissions: Permission[]) => {
  const { template, functionId } = stackWithPermissions(permissions);
  return allowedActionsOfFunction(template, functionId);
};

/** The statements about SES and SNS of a function that has exactly the given permissions. */
const messagingStatements = (permissions: Permission[], email?: EmailSettings) => {
  const { stack, template, functionId } = stackWithPermissions(permissions, email);
  // X-Ray's two actions on "*" (every traced function's) may share a statement with sns:Publish on "*".
  const statements = statementsOfFunction(template, functionId)
    .filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('ses:') || action.startsWith('sns:')),
    )
    .map((statement) => {
      const actions = actionsOf(statement).filter((action) => !action.startsWith('xray:'));
      return { ...statement, Action: actions.length === 1 ? actions[0] : actions };
    });
  return { stack, template, statements };
};

/** `arn:<partition>:<service>:<region>:<account>:<resource>`, as the template spells a formatted ARN. */
const arnInStack = (service: string, ...resource: unknown[]) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      `:${service}:`,
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ...resource,
    ],
  ],
});

/** The logical id of the one SES identity in a template. */
const identityIdOf = (template: Template): string => {
  const identities = resourcesOfType(template, 'AWS::SES::EmailIdentity');
  expect(identities).toHaveLength(1);
  return identities[0]?.[0] ?? '';
};

/** Values in a stable order, for comparing lists CDK may reorder. */
const byJson = (values: unknown[]) =>
  [...values].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

const everySnsArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:*:*:*']] };

/**
 * The only actions an identity policy may allow on every resource (`Resource: "*"`): those AWS
 * offers no resource-level permission for, so no narrower statement can grant them.
 * - `xray:PutTraceSegments`, `xray:PutTelemetryRecords`: sending traces, for Powertools Tracer
 *   when functions trace (DESIGN, Observability). X-Ray has no resource to name.
 * - `sns:Publish`: texting a security code to a phone number (`sms:send`). A phone number has no
 *   ARN, so the statement's resource must be `*`; every role allowed it is denied publishing to
 *   any SNS ARN (topics, platform endpoints), so it can only text phone numbers (tested below).
 * - The log delivery actions (`logs:CreateLogDelivery` and the rest) and X-Ray's sampling reads:
 *   what Step Functions needs to log and trace the photo-ID state machine, on `*` as AWS documents
 *   ("Logging using CloudWatch Logs": vended log deliveries have no resource ARN). Only the state
 *   machine's role has them (tested below).
 * Not here on purpose: CloudWatch Logs writes (each role may write only to its function's own log
 * group), DynamoDB and KMS (granted on the table and the signing keys by ARN). Key policies are
 * not identity policies and are not checked here: in a key policy `"*"` means that key, and the
 * signing-key tests check their only principal is the account.
 */
const stateMachineLogDelivery = [
  'logs:CreateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:DescribeLogGroups',
  'logs:DescribeResourcePolicies',
  'logs:GetLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:UpdateLogDelivery',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
];

const actionsAllowedOnEveryResource: ReadonlySet<string> = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'sns:Publish',
  // The automated checks pass images by value: neither call has a resource to name.
  'rekognition:CompareFaces',
  'textract:DetectDocumentText',
  ...stateMachineLogDelivery,
]);

/** An Allow statement that covers every resource, other than for the allow-listed actions. */
const isAllowOnEveryResourceBeyondAllowList = (statement: PolicyStatement): boolean =>
  statement.Effect === 'Allow' &&
  (asList(statement.Resource).includes('*') || statement.NotResource !== undefined) &&
  (statement.NotAction !== undefined ||
    asList(statement.Action).some((action) => !actionsAllowedOnEveryResource.has(action)));

const dataActions = (actions: Set<string>) =>
  [...actions].filter((action) => action.startsWith('dynamodb:') || action.startsWith('kms:')).sort();

describe('IAM', () => {
  const { stack, template } = synthesizeStack();

  it('grants no wildcard action in any identity policy', () => {
    // Act
    const actions = identityPolicies(template).flatMap((policy) =>
      policy.document.Statement.flatMap(actionsOf),
    );

    // Assess
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => action.includes('*'))).toEqual([]);
  });

  it('allows no action on every resource ("*") but the few AWS cannot scope to one', () => {
    // Prepare
    const statements = identityPolicies(template).flatMap((policy) => policy.document.Statement);

    // Act
    const broad = statements.filter(isAllowOnEveryResourceBeyondAllowList);

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    expect(broad).toEqual([]);
  });

  it.each([
    { case: 'an action on "*"', statement: { Action: 'ses:SendEmail', Resource: '*' }, caught: true },
    {
      case: 'an allow-listed action beside another on "*"',
      statement: { Action: ['xray:PutTraceSegments', 'ses:SendEmail'], Resource: ['*'] },
      caught: true,
    },
    {
      case: 'NotAction on "*"',
      statement: { NotAction: 'xray:PutTraceSegments', Resource: '*' },
      caught: true,
    },
    { case: 'NotResource', statement: { Action: 'dynamodb:GetItem', NotResource: 'arn:t' }, caught: true },
    { case: 'an allow-listed action on "*"', statement: { Action: 'xray:PutTraceSegments', Resource: '*' } },
    { case: 'an action on one resource', statement: { Action: 'ses:SendEmail', Resource: 'arn:x' } },
    { case: 'a Deny on "*"', statement: { Effect: 'Deny', Action: 'ses:SendEmail', Resource: '*' } },
  ])('tells a grant on every resource from an allowed statement: $case', ({ statement, caught = false }) => {
    // Act
    const found = isAllowOnEveryResourceBeyondAllowList({ Effect: 'Allow', ...statement });

    // Assess
    expect(found).toBe(caught);
  });

  it('gives the log delivery actions on "*" to the photo-ID state machine’s role alone', () => {
    // Prepare
    const stateMachineRole = logicalIdOf(stack.photoIdCheck.stateMachine.role);

    // Act
    const roles = identityPolicies(template)
      .filter((policy) =>
        policy.document.Statement.some((statement) =>
          actionsOf(statement).some((action) => stateMachineLogDelivery.includes(action)),
        ),
      )
      .flatMap((policy) => policy.roles);

    // Assess
    expect(roles).toEqual([{ Ref: stateMachineRole }]);
  });

  it('attaches no managed policy to any role, since these tests cannot see their statements, but CodeDeploy’s own to its role', () => {
    // Prepare: CodeDeploy's service role always gets AWS's policy for Lambda deployments (aliases, alarms)
    const deploymentRole = logicalIdOf(stack.deployments.role);

    // Act
    const attached = resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
      ((role.Properties.ManagedPolicyArns as unknown[] | undefined) ?? []).map((policy) => ({
        id,
        policy: JSON.stringify(policy),
      })),
    );
    const assumedBy = resourcesOfType(template, 'AWS::IAM::Role').find(([id]) => id === deploymentRole)?.[1]
      .Properties.AssumeRolePolicyDocument;

    // Assess
    expect(attached).toEqual([
      {
        id: deploymentRole,
        policy: expect.stringContaining(':iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited'),
      },
    ]);
    expect(JSON.stringify(assumedBy)).toContain('codedeploy.amazonaws.com');
  });

  it('lets a function that may read public keys, but not sign, fetch public keys and never sign', () => {
    // Prepare
    const readers = Object.entries(functionSpecs).filter(
      ([, spec]) =>
        (spec.permissions as readonly Permission[]).includes('signing-key:read-public') &&
        !(spec.permissions as readonly Permission[]).includes('signing-key:sign'),
    );

    // Act
    const actions = readers.map(([name]) => {
      const fn = stack.api.functions.get(name as keyof typeof functionSpecs);
      if (!fn) throw new Error(`No function ${name}`);
      return allowedActionsOfFunction(template, logicalIdOf(fn));
    });

    // Assess
    expect(readers.length).toBeGreaterThan(0);
    for (const allowed of actions) {
      expect(allowed.has('kms:GetPublicKey')).toBe(true);
      expect(allowed.has('kms:Sign')).toBe(false);
    }
  });

  it.each([
    {
      permission: 'table:read' as const,
      expected: [
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:Query',
        'dynamodb:Scan',
      ],
    },
    { permission: 'signing-key:sign' as const, expected: ['kms:GetPublicKey', 'kms:Sign'] },
    { permission: 'signing-key:read-public' as const, expected: ['kms:GetPublicKey'] },
    { permission: 'gp-credentials:seal' as const, expected: ['kms:Encrypt'] },
    { permission: 'gp-credentials:open' as const, expected: ['kms:Decrypt'] },
  ])('grants $permission exactly its data actions', ({ permission, expected }) => {
    // Act
    const actions = dataActions(templateWithPermissions([permission]));

    // Assess
    expect(actions).toEqual(expected);
  });

  it('grants table:write the writes as well as the reads, and no key use', () => {
    // Act
    const actions = dataActions(templateWithPermissions(['table:write']));

    // Assess
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]),
    );
    expect(actions.filter((action) => action.startsWith('kms:'))).toEqual([]);
  });

  it('grants a function with no permissions no data actions at all', () => {
    // Act
    const actions = dataActions(templateWithPermissions([]));

    // Assess
    expect(actions).toEqual([]);
  });
});

describe('IAM for email and text messages', () => {
  it('grants email:send only ses:SendEmail, on the SES identity of the from-address domain, from that address only', () => {
    // Act
    const { template, statements } = messagingStatements(['email:send']);

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: arnInStack('ses', ':identity/', { Ref: identityIdOf(template) }),
        Condition: { StringEquals: { 'ses:FromAddress': testEmail.fromAddress } },
      },
    ]);
  });

  it('grants email:send on the configuration set too, when the stage names one', () => {
    // Act
    const { statements } = messagingStatements(['email:send'], {
      ...testEmail,
      configurationSetName: 'patient-login-test',
      createIdentity: false,
    });

    // Assess
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: 'ses:SendEmail',
        Resource: expect.anything(),
        Condition: { StringEquals: { 'ses:FromAddress': testEmail.fromAddress } },
      },
    ]);
    expect(byJson(asList(statements[0]?.Resource))).toEqual(
      byJson([
        arnInStack('ses', ':identity/login.test.example.org'),
        arnInStack('ses', ':configuration-set/patient-login-test'),
      ]),
    );
  });

  it('grants sms:send only sns:Publish on "*", and denies it on every SNS ARN, so it can only text phone numbers', () => {
    // Act
    const { statements } = messagingStatements(['sms:send']);

    // Assess
    expect(statements).toHaveLength(2);
    expect(statements).toEqual(
      expect.arrayContaining([
        { Effect: 'Allow', Action: 'sns:Publish', Resource: '*' },
        { Effect: 'Deny', Action: 'sns:Publish', Resource: everySnsArn },
      ]),
    );
  });

  it('gives a function without email:send or sms:send no SES or SNS action at all', () => {
    // Act
    const { statements } = messagingStatements(['table:write', 'signing-key:sign']);

    // Assess
    expect(statements).toEqual([]);
  });

  describe('in the stack', () => {
    const { stack, template } = synthesizeStack();

    it('lets exactly the functions whose spec says email:send send email, and sms:send text', () => {
      // Prepare
      const names = Object.keys(functionSpecs) as FunctionName[];
      const expected = names.map((name) => {
        const permissions: readonly Permission[] = functionSpecs[name].permissions;
        return { name, email: permissions.includes('email:send'), sms: permissions.includes('sms:send') };
      });

      // Act
      const actual = names.map((name) => {
        const fn = stack.api.functions.get(name);
        if (!fn) throw new Error(`No function ${name}`);
        const allowed = allowedActionsOfFunction(template, logicalIdOf(fn));
        return { name, email: allowed.has('ses:SendEmail'), sms: allowed.has('sns:Publish') };
      });

      // Assess
      expect(expected.some((fn) => fn.email && fn.sms)).toBe(true);
      expect(actual).toEqual(expected);
    });

    it('lets the identity function and the photo-ID workflow’s PDS steps alone sign with the PDS key, and they sign nothing else', () => {
      // Prepare
      const pdsKey = arnOf(logicalIdOf(stack.pdsKey.key));
      const signsWith = (name: FunctionName) => {
        const fn = stack.api.functions.get(name);
        if (!fn) throw new Error(`No function ${name}`);
        return statementsOfFunction(template, logicalIdOf(fn))
          .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes('kms:Sign'))
          .flatMap((statement) => asList(statement.Resource))
          .map((resource) => JSON.stringify(resource));
      };

      // Act
      const signers = (Object.keys(functionSpecs) as FunctionName[]).map((name) => ({
        name,
        withPdsKey: signsWith(name).includes(JSON.stringify(pdsKey)),
        keys: signsWith(name).length,
      }));

      // Assess
      const pdsSigners = ['identity-pages', 'photo-id-intake', 'photo-id-review'];
      expect(signers.filter((fn) => fn.withPdsKey).map((fn) => fn.name)).toEqual(pdsSigners);
      for (const name of pdsSigners) expect(signers.find((fn) => fn.name === name)?.keys).toBe(1);
      expect(signers.find((fn) => fn.name === 'oidc-token')?.withPdsKey).toBe(false);
    });

    it('lets the identity function alone encrypt with the GP credentials key, and userinfo alone decrypt', () => {
      // Prepare
      const gpKey = JSON.stringify(arnOf(logicalIdOf(stack.gpCredentialsKey.key)));
      const usesFor = (name: FunctionName, action: string) => {
        const fn = stack.api.functions.get(name);
        if (!fn) throw new Error(`No function ${name}`);
        return statementsOfFunction(template, logicalIdOf(fn))
          .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
          .flatMap((statement) => asList(statement.Resource))
          .map((resource) => JSON.stringify(resource))
          .includes(gpKey);
      };
      const names = Object.keys(functionSpecs) as FunctionName[];

      // Act
      const encrypters = names.filter((name) => usesFor(name, 'kms:Encrypt'));
      const decrypters = names.filter((name) => usesFor(name, 'kms:Decrypt'));

      // Assess
      expect(encrypters).toEqual(['identity-pages']);
      expect(decrypters).toEqual(['oidc-userinfo']);
    });

    it('denies publishing to any SNS ARN to every role allowed sns:Publish on "*"', () => {
      // Prepare
      const statementsByRole = new Map<string, PolicyStatement[]>();
      for (const policy of identityPolicies(template)) {
        for (const role of policy.roles.map((role) => JSON.stringify(role))) {
          statementsByRole.set(role, [...(statementsByRole.get(role) ?? []), ...policy.document.Statement]);
        }
      }
      const publishes = (statement: PolicyStatement, effect: string, resource: unknown) =>
        statement.Effect === effect &&
        asList(statement.Action).includes('sns:Publish') &&
        asList(statement.Resource).some((value) => JSON.stringify(value) === JSON.stringify(resource));

      // Act
      const publishers = [...statementsByRole.values()].filter((statements) =>
        statements.some((statement) => publishes(statement, 'Allow', '*')),
      );

      // Assess
      expect(publishers.length).toBeGreaterThan(0);
      for (const statements of publishers) {
        expect(statements.some((statement) => publishes(statement, 'Deny', everySnsArn))).toBe(true);
      }
    });

    it('grants ses:SendEmail on nothing but the SES identity and the configuration set of the stage', () => {
      // Prepare
      const expected = [
        arnInStack('ses', ':identity/', { Ref: identityIdOf(template) }),
        arnInStack('ses', `:configuration-set/${testStage.email.configurationSetName}`),
      ];

      // Act
      const resources = identityPolicies(template)
        .flatMap((policy) => policy.document.Statement)
        .filter((statement) => actionsOf(statement).some((action) => action.startsWith('ses:')))
        .map((statement) => ({ actions: actionsOf(statement), resources: asList(statement.Resource) }));

      // Assess
      expect(resources.length).toBeGreaterThan(0);
      for (const granted of resources) {
        expect(granted.actions).toEqual(['ses:SendEmail']);
        expect(byJson(granted.resources)).toEqual(byJson(expected));
      }
    });
  });
});

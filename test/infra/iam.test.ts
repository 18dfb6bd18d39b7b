import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { describe, expect, it } from 'vitest';
import { RouteTableApi } from '../../lib/constructs/route-table-api.ts';
import { SigningKeys } from '../../lib/constructs/signing-keys.ts';
import { StoreTable } from '../../lib/constructs/store-table.ts';
import { functionSpecs, type Permission } from '../../src/routes.ts';
import { emptyStack, logicalIdOf, synthesizeStack, testFunctionSettings, testStage } from './synthesize.ts';
import {
  actionsOf,
  allowedActionsOfFunction,
  asList,
  identityPolicies,
  type PolicyStatement,
  resourcesOfType,
} from './template-queries.ts';

/** The template of a stack whose only function has exactly the given permissions. */
const templateWithPermissions = (permissions: Permission[]) => {
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
    permissionTargets: { table, signingKeys },
  });
  const fn = api.functions.get('openid-metadata');
  if (!fn) throw new Error('no function built');
  return allowedActionsOfFunction(Template.fromStack(stack), logicalIdOf(fn));
};

/**
 * The only actions an identity policy may allow on every resource (`Resource: "*"`): those AWS
 * offers no resource-level permission for, so no narrower statement can grant them.
 * - `xray:PutTraceSegments`, `xray:PutTelemetryRecords`: sending traces, for Powertools Tracer
 *   when functions trace (DESIGN, Observability). X-Ray has no resource to name.
 * Not here on purpose: CloudWatch Logs writes (each role may write only to its function's own log
 * group), DynamoDB and KMS (granted on the table and the signing keys by ARN). Key policies are
 * not identity policies and are not checked here: in a key policy `"*"` means that key, and the
 * signing-key tests check their only principal is the account.
 */
const actionsAllowedOnEveryResource: ReadonlySet<string> = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
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
      statement: { Action: ['xray:PutTraceSegments', 'sns:Publish'], Resource: ['*'] },
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

  it('attaches no managed policy to any role, since these tests cannot see their statements', () => {
    // Act
    const attached = resourcesOfType(template, 'AWS::IAM::Role').flatMap(
      ([, role]) => (role.Properties.ManagedPolicyArns as unknown[] | undefined) ?? [],
    );

    // Assess
    expect(attached).toEqual([]);
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

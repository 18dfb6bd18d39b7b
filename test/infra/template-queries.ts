import type { Template } from 'aws-cdk-lib/assertions';

/** A CloudFormation resource as it appears in a synthesized template. */
export interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  readonly Effect: string;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Principal?: unknown;
  readonly Resource?: unknown;
  readonly NotResource?: unknown;
  readonly Condition?: unknown;
}

interface PolicyDocument {
  readonly Statement: PolicyStatement[];
}

export const resourcesOfType = (template: Template, type: string): [string, Resource][] =>
  Object.entries(template.findResources(type) as Record<string, Resource>);

/** The properties of every resource of a type; throws if there are none, so no test passes vacuously. */
export const propertiesOfEvery = <T>(template: Template, type: string): [string, T][] => {
  const found = resourcesOfType(template, type);
  if (found.length === 0) throw new Error(`No ${type} in the template`);
  return found.map(([id, resource]) => [id, resource.Properties as T]);
};

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

export const actionsOf = (statement: PolicyStatement): string[] => [
  ...asList(statement.Action),
  ...asList(statement.NotAction),
];

interface IdentityPolicy {
  readonly roles: unknown[];
  readonly document: PolicyDocument;
}

/** Every identity policy: standalone, managed, and inline in roles, with the roles it applies to. */
export const identityPolicies = (template: Template): IdentityPolicy[] => [
  ...resourcesOfType(template, 'AWS::IAM::Policy').map(([, { Properties }]) => ({
    roles: asList(Properties.Roles),
    document: Properties.PolicyDocument as PolicyDocument,
  })),
  ...resourcesOfType(template, 'AWS::IAM::ManagedPolicy').map(([, { Properties }]) => ({
    roles: asList(Properties.Roles),
    document: Properties.PolicyDocument as PolicyDocument,
  })),
  ...resourcesOfType(template, 'AWS::IAM::Role').flatMap(([roleId, { Properties }]) =>
    asList(Properties.Policies as { PolicyDocument: PolicyDocument }[]).map((policy) => ({
      roles: [{ Ref: roleId }],
      document: policy.PolicyDocument,
    })),
  ),
];

/** Every statement, Allow and Deny, of the identity policies of a Lambda function's role. */
export const statementsOfFunction = (template: Template, functionId: string): PolicyStatement[] => {
  const fn = template.toJSON().Resources[functionId] as Resource;
  const roleId = getAttTarget(fn.Properties.Role);
  const roleRef = JSON.stringify({ Ref: roleId });
  return identityPolicies(template)
    .filter((policy) => policy.roles.some((role) => JSON.stringify(role) === roleRef))
    .flatMap((policy) => policy.document.Statement);
};

/** The allowed actions of a Lambda function's role. */
export const allowedActionsOfFunction = (template: Template, functionId: string): Set<string> =>
  new Set(
    statementsOfFunction(template, functionId)
      .filter((statement) => statement.Effect === 'Allow')
      .flatMap(actionsOf),
  );

/** The `Fn::GetAtt: [id, 'Arn']` reference CloudFormation uses for a resource's ARN. */
export const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** The logical id of the KMS key behind an alias. */
export const keyIdByAlias = (template: Template, aliasName: string): string => {
  const alias = resourcesOfType(template, 'AWS::KMS::Alias').find(
    ([, { Properties }]) => Properties.AliasName === aliasName,
  );
  if (!alias) throw new Error(`No KMS alias ${aliasName}`);
  return getAttTarget(alias[1].Properties.TargetKeyId);
};

/** The logical id in a `Fn::GetAtt` reference. */
export const getAttTarget = (reference: unknown): string => {
  const target = (reference as { 'Fn::GetAtt'?: unknown[] })['Fn::GetAtt']?.[0];
  if (typeof target !== 'string') throw new Error(`Not a Fn::GetAtt: ${JSON.stringify(reference)}`);
  return target;
};

import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Permission } from '../../src/routes.ts';
import type { SigningKeys } from './signing-keys.ts';

/** The resources a function's permissions refer to. */
export interface PermissionTargets {
  readonly table: dynamodb.ITable;
  readonly signingKeys: SigningKeys;
}

/** Each permission of the route table is exactly one least-privilege grant; the Record keeps this exhaustive. */
const grants: Record<Permission, (targets: PermissionTargets, grantee: iam.IGrantable) => iam.Grant> = {
  'table:read': ({ table }, grantee) => table.grantReadData(grantee),
  'table:write': ({ table }, grantee) => table.grantReadWriteData(grantee),
  'signing-key:sign': ({ signingKeys }, grantee) => signingKeys.grantSign(grantee),
  'signing-key:read-public': ({ signingKeys }, grantee) => signingKeys.grantReadPublicKeys(grantee),
};

export const grantPermission = (
  grantee: iam.IGrantable,
  permission: Permission,
  targets: PermissionTargets,
): iam.Grant => grants[permission](targets, grantee);

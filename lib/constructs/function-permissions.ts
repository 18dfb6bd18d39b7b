import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Permission } from '../../src/routes.ts';
import type { AppSecretsKey } from './app-secrets-key.ts';
import type { EmailSending } from './email-sending.ts';
import type { GpCredentialsKey } from './gp-credentials-key.ts';
import type { MediaBucket } from './media-bucket.ts';
import type { PdsKey } from './pds-key.ts';
import type { SigningKeys } from './signing-keys.ts';
import type { StaffSecretsKey } from './staff-secrets-key.ts';

/** The resources a function's permissions refer to. */
export interface PermissionTargets {
  readonly table: dynamodb.ITable;
  readonly signingKeys: SigningKeys;
  readonly email: EmailSending;
  readonly pdsKey: PdsKey;
  readonly gpCredentialsKey: GpCredentialsKey;
  readonly media: MediaBucket;
  readonly staffSecretsKey: StaffSecretsKey;
  readonly appSecretsKey: AppSecretsKey;
  /** The photo-ID check's state machine, by the ARN its fixed name gives (the functions it invokes cannot refer to it). */
  readonly photoIdStateMachineArn: string;
}

/**
 * Texting phone numbers: `sns:Publish` straight to a number has no resource to name, so it is
 * allowed on `*`; publishing to anything that has an ARN (topics, platform endpoints) is denied,
 * so the grant can only send text messages.
 */
const grantTextMessages = (grantee: iam.IGrantable): iam.Grant => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      actions: ['sns:Publish'],
      resources: [`arn:${Aws.PARTITION}:sns:*:*:*`],
    }),
  );
  return iam.Grant.addToPrincipal({ grantee, actions: ['sns:Publish'], resourceArns: ['*'] });
};

/** Each permission of the route table is exactly one least-privilege grant; the Record keeps this exhaustive. */
const grants: Record<Permission, (targets: PermissionTargets, grantee: iam.IGrantable) => iam.Grant> = {
  'table:read': ({ table }, grantee) => table.grantReadData(grantee),
  'table:write': ({ table }, grantee) => table.grantReadWriteData(grantee),
  'signing-key:sign': ({ signingKeys }, grantee) => signingKeys.grantSign(grantee),
  'signing-key:read-public': ({ signingKeys }, grantee) => signingKeys.grantReadPublicKeys(grantee),
  'pds-key:sign': ({ pdsKey }, grantee) => pdsKey.grantSign(grantee),
  'gp-credentials:seal': ({ gpCredentialsKey }, grantee) => gpCredentialsKey.grantSeal(grantee),
  'gp-credentials:open': ({ gpCredentialsKey }, grantee) => gpCredentialsKey.grantOpen(grantee),
  'email:send': ({ email }, grantee) => email.grantSend(grantee),
  'sms:send': (_, grantee) => grantTextMessages(grantee),
  'media:upload': ({ media }, grantee) => media.grantUpload(grantee),
  'media:read': ({ media }, grantee) => media.grantRead(grantee),
  'media:read-reviewed': ({ media }, grantee) => media.grantReadReviewed(grantee),
  'media:keep': ({ media }, grantee) => media.grantKeep(grantee),
  'media:delete': ({ media }, grantee) => media.grantDelete(grantee),
  'photo-id-workflow:start': ({ photoIdStateMachineArn }, grantee) =>
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:StartExecution'],
      resourceArns: [photoIdStateMachineArn],
    }),
  // The task-token call names the state machine whose wait it answers: no other one can be resumed.
  // Only SendTaskSuccess: a decision is a success of the wait (the console never fails one).
  'photo-id-review:decide': ({ photoIdStateMachineArn }, grantee) =>
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['states:SendTaskSuccess'],
      resourceArns: [photoIdStateMachineArn],
    }),
  'staff-secrets:open': ({ staffSecretsKey }, grantee) => staffSecretsKey.grantOpen(grantee),
  'app-secrets:seal': ({ appSecretsKey }, grantee) => appSecretsKey.grantSeal(grantee),
  'app-secrets:open': ({ appSecretsKey }, grantee) => appSecretsKey.grantOpen(grantee),
  // Neither action has a resource to name (the images go by value): each is its one action on "*".
  'face-comparison:compare': (_, grantee) =>
    iam.Grant.addToPrincipal({ grantee, actions: ['rekognition:CompareFaces'], resourceArns: ['*'] }),
  'document-text:detect': (_, grantee) =>
    iam.Grant.addToPrincipal({ grantee, actions: ['textract:DetectDocumentText'], resourceArns: ['*'] }),
};

export const grantPermission = (
  grantee: iam.IGrantable,
  permission: Permission,
  targets: PermissionTargets,
): iam.Grant => grants[permission](targets, grantee);

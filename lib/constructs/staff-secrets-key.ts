import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The symmetric key staff authenticator secrets are sealed with (encryption context: their
 * purpose and the member of staff). Only the review console may decrypt, and only secrets sealed
 * for that purpose; staff are added by an administrator's own credentials (`npm run staff`),
 * so no function may encrypt. Rotated yearly by KMS.
 */
export class StaffSecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'patient-login review console staff authenticator secrets',
      enableKeyRotation: true,
      alias: props.alias,
      // Without it, every member of staff must be given a new authenticator.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  grantOpen(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:purpose': 'staff-totp-secret' } },
    });
  }
}

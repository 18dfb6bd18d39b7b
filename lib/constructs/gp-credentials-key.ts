import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The symmetric key GP integration credentials are encrypted with at rest (with an encryption
 * context naming what they are and whose): the identity pages may only encrypt with it, and only
 * the function that releases the credentials (userinfo) may decrypt. Rotated yearly by KMS.
 */
export class GpCredentialsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'patient-login GP integration credentials at rest',
      enableKeyRotation: true,
      alias: props.alias,
      // Without it, every sealed credential already stored is lost.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  grantSeal(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['kms:Encrypt'], resourceArns: [this.key.keyArn] });
  }

  grantOpen(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['kms:Decrypt'], resourceArns: [this.key.keyArn] });
  }
}

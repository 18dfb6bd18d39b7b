import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The key the PDS client signs its token requests with (application-restricted access): an
 * asymmetric KMS key of its own (RSA 2048), so neither the ID-token keys can reach PDS nor this
 * key sign a token; only the identity-verification function may use it. Its public key is
 * registered with NHS England as the application's JWKS.
 */
export class PdsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'patient-login PDS access (signed-JWT authentication)',
      keySpec: kms.KeySpec.RSA_2048,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      alias: props.alias,
      // Its public key is registered with NHS England: a new key means registering again.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  grantSign(grantee: iam.IGrantable): iam.Grant {
    // The signer reads the public key too, to name it in the JWT's `kid`.
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resourceArns: [this.key.keyArn],
    });
  }
}

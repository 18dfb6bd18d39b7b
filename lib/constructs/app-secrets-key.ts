import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** The encryption context every app secret is sealed with (and its account's id beside it). */
const purpose = { 'kms:EncryptionContext:purpose': 'authenticator-app-secret' };

/**
 * The symmetric key patients' authenticator-app secrets are sealed with (encryption context: their
 * purpose and the account). Settings and login may encrypt (where an app is set up: a first login
 * without a phone sets one up); settings, login and recovery may decrypt (where its codes are
 * checked); both only for that purpose. Rotated yearly.
 */
export class AppSecretsKey extends Construct {
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: { readonly alias: string }) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'patient-login patients authenticator-app secrets',
      enableKeyRotation: true,
      alias: props.alias,
      // Without it, every patient with an app must set it up again (or log in by text).
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  grantSeal(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Encrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: purpose },
    });
  }

  grantOpen(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: purpose },
    });
  }
}

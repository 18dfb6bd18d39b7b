import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { SigningKeySettings } from '../stages.ts';

export interface SigningKeysProps extends SigningKeySettings {
  /** For example `alias/patient-login/dev`; each key gets `<prefix>/<name>`. */
  readonly aliasPrefix: string;
}

/** The token signing keys: asymmetric KMS keys (RSA 2048), so private keys never leave KMS. */
export class SigningKeys extends Construct {
  /** Every published key, in publication order. */
  readonly keys: readonly kms.Key[];
  readonly activeKey: kms.Key;

  constructor(scope: Construct, id: string, props: SigningKeysProps) {
    super(scope, id);
    const { names, active } = props;
    if (names.length === 0) throw new Error('At least one signing key is needed');
    if (new Set(names).size !== names.length)
      throw new Error(`Duplicate signing key names: ${names.join(', ')}`);
    this.keys = names.map(
      (name) =>
        new kms.Key(this, name, {
          description: `patient-login token signing key ${name}`,
          keySpec: kms.KeySpec.RSA_2048,
          keyUsage: kms.KeyUsage.SIGN_VERIFY,
          alias: `${props.aliasPrefix}/${name}`,
          // Tokens signed with a deleted key could no longer be verified, and the key cannot be recreated.
          removalPolicy: RemovalPolicy.RETAIN,
        }),
    );
    const activeKey = this.keys[names.indexOf(active)];
    if (!activeKey) throw new Error(`The active signing key "${active}" is not one of ${names.join(', ')}`);
    this.activeKey = activeKey;
  }

  get keyArns(): string[] {
    return this.keys.map((key) => key.keyArn);
  }

  /** Signing with any published key, so a deployment that switches keys never fails a request. */
  grantSign(grantee: iam.IGrantable): iam.Grant {
    // KmsTokenSigner reads the active key's public key too, to name it in the token's `kid`.
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['kms:Sign', 'kms:GetPublicKey'],
      resourceArns: this.keyArns,
    });
  }

  grantReadPublicKeys(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['kms:GetPublicKey'], resourceArns: this.keyArns });
  }
}

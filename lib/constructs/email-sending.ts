import { CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import type { EmailSettings } from '../stages.ts';

/** The domain part of an email address, as SES names its domain identity. */
export const domainOf = (address: string): string => {
  const domain = address.slice(address.lastIndexOf('@') + 1);
  if (!address.includes('@') || domain === '') throw new Error(`Not an email address: ${address}`);
  return domain.toLowerCase();
};

/**
 * The SES identity the functions send from: the from-address's domain, created here with Easy
 * DKIM (its three CNAME records are outputs), or an existing one referred to by ARN.
 */
export class EmailSending extends Construct {
  readonly fromAddress: string;
  readonly identityArn: string;
  readonly configurationSetArn: string | undefined;

  constructor(scope: Construct, id: string, props: EmailSettings) {
    super(scope, id);
    const stack = Stack.of(this);
    const domain = domainOf(props.fromAddress);
    this.fromAddress = props.fromAddress;
    this.identityArn =
      (props.createIdentity ?? true)
        ? this.createDomainIdentity(domain)
        : stack.formatArn({ service: 'ses', resource: 'identity', resourceName: domain });
    this.configurationSetArn =
      props.configurationSetName === undefined
        ? undefined
        : stack.formatArn({
            service: 'ses',
            resource: 'configuration-set',
            resourceName: props.configurationSetName,
          });
  }

  /**
   * Sending from the stage's address only: SES v2 `SendEmail` authorises `ses:SendEmail` on the
   * identity and, when the email names one, on the configuration set. No raw email is sent, so no
   * `ses:SendRawEmail`.
   */
  grantSend(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ses:SendEmail'],
      resourceArns: [this.identityArn, ...(this.configurationSetArn ? [this.configurationSetArn] : [])],
      conditions: { StringEquals: { 'ses:FromAddress': this.fromAddress } },
    });
  }

  private createDomainIdentity(domain: string): string {
    const identity = new ses.EmailIdentity(this, 'Identity', { identity: ses.Identity.domain(domain) });
    identity.dkimRecords.forEach((record, index) => {
      const output = new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM record ${index + 1} of 3 to publish for ${domain}: name CNAME value`,
        value: Fn.join(' CNAME ', [record.name, record.value]),
      });
      // Operators look outputs up by name: keep it free of the hash nested constructs get.
      output.overrideLogicalId(`EmailDkimRecord${index + 1}`);
    });
    return identity.emailIdentityArn;
  }
}

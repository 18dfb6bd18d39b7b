import { describe, expect, it } from 'vitest';
import { synthesizeStack, testStage } from './synthesize.ts';
import { resourcesOfType } from './template-queries.ts';

const dkimOutputs = ['EmailDkimRecord1', 'EmailDkimRecord2', 'EmailDkimRecord3'];

describe('sending email', () => {
  it('creates the SES identity of the from-address domain, and outputs its three DKIM records', () => {
    // Act
    const { template } = synthesizeStack({ email: { fromAddress: 'No-Reply@Login.Test.Example.org' } });

    // Assess
    const identities = resourcesOfType(template, 'AWS::SES::EmailIdentity');
    expect(identities.map(([, identity]) => identity.Properties.EmailIdentity)).toEqual([
      'login.test.example.org',
    ]);
    const identityId = identities[0]?.[0];
    dkimOutputs.forEach((name, index) => {
      template.hasOutput(name, {
        Value: {
          'Fn::Join': [
            ' CNAME ',
            [
              { 'Fn::GetAtt': [identityId, `DkimDNSTokenName${index + 1}`] },
              { 'Fn::GetAtt': [identityId, `DkimDNSTokenValue${index + 1}`] },
            ],
          ],
        },
      });
    });
  });

  it('creates no identity, and outputs no DKIM records, when the stage says the identity exists', () => {
    // Act
    const { template } = synthesizeStack({ email: { ...testStage.email, createIdentity: false } });

    // Assess
    expect(resourcesOfType(template, 'AWS::SES::EmailIdentity')).toEqual([]);
    expect(Object.keys(template.findOutputs('*')).filter((name) => dkimOutputs.includes(name))).toEqual([]);
  });

  it('refuses at synthesis a from address with no domain', () => {
    // Act
    const synthesize = () => synthesizeStack({ email: { fromAddress: 'no-reply' } });

    // Assess
    expect(synthesize).toThrow(/Not an email address: no-reply/);
  });
});

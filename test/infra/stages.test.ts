import { describe, expect, it } from 'vitest';
import { stageSettings, stages } from '../../lib/stages.ts';
import { synthesizeStack } from './synthesize.ts';

describe('stages', () => {
  it.each(Object.values(stages))('synthesizes the $name stage', (stage) => {
    // Act
    const { template } = synthesizeStack(stage);

    // Assess
    // The token signing keys, the PDS key, the GP credentials key, the media key, the staff secrets
    // key and the authenticator-app secrets key; and a production stage's table key
    template.resourceCountIs(
      'AWS::KMS::Key',
      stage.signingKeys.names.length + 5 + ('production' in stage && stage.production ? 1 : 0),
    );
  });

  it('keeps a stage well under the 500 resources CloudFormation allows in a stack', () => {
    // Act
    const { template } = synthesizeStack();
    const count = Object.keys(template.toJSON().Resources as object).length;

    // Assess: room for the next 50 routes or alarms; past it, split the stack (docs/deployment.md)
    expect(count).toBeLessThan(450);
  });

  it('names the known stages when asked for an unknown one', () => {
    // Act
    const lookUp = () => stageSettings('nope');

    // Assess
    expect(lookUp).toThrow(/Unknown stage "nope"; known stages: dev, prod/);
  });
});

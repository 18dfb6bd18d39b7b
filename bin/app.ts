import { App } from 'aws-cdk-lib';
import { PatientLoginStack } from '../lib/stacks/patient-login-stack.ts';
import { stageSettings } from '../lib/stages.ts';

const app = new App();
const stage = stageSettings(String(app.node.getContext('stage')));
new PatientLoginStack(app, `patient-login-${stage.name}`, {
  stage,
  description: `patient-login identity provider, stage ${stage.name}`,
});

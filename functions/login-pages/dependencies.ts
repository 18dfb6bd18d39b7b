import { KmsSecretBox } from '../../src/adapters/kms/kms-secret-box.ts';
import { sesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { snsSmsSender } from '../../src/adapters/sns/sns-sms-sender.ts';
import { fromHeader, pageFunctionDependencies } from '../../src/wiring/page-function-dependencies.ts';

/** This function's composition root: the table, email, texts and app secrets, built once at cold start. */
export const dependencies = (env: Record<string, string | undefined>) =>
  pageFunctionDependencies(env, {
    email: (config) =>
      sesEmailSender({ from: fromHeader(config), configurationSetName: config.sesConfigurationSet }),
    sms: (config) => snsSmsSender({ senderId: config.smsSenderId }),
    // `app-secrets:*`: where an authenticator app is set up or its codes checked.
    appSecrets: (config) => new KmsSecretBox({ keyId: config.appSecretsKeyId }),
  });

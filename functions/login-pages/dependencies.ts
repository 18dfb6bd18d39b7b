import { sesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { snsSmsSender } from '../../src/adapters/sns/sns-sms-sender.ts';
import { fromHeader, pageFunctionDependencies } from '../../src/wiring/page-function-dependencies.ts';

/** This function's composition root: the table, email and texts, built once at cold start. */
export const dependencies = (env: Record<string, string | undefined>) =>
  pageFunctionDependencies(env, {
    email: (config) =>
      sesEmailSender({ from: fromHeader(config), configurationSetName: config.sesConfigurationSet }),
    sms: (config) => snsSmsSender({ senderId: config.smsSenderId }),
  });

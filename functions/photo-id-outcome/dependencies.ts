import { sesEmailSender } from '../../src/adapters/ses/ses-email-sender.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { fromHeader } from '../../src/wiring/page-function-dependencies.ts';
import { photoIdTaskDependencies } from '../../src/wiring/photo-id-task-function.ts';

/** The outcome and taking-longer emails, by SES from the service's address. */
export const dependencies = (env: Record<string, string | undefined>) =>
  photoIdTaskDependencies(env, {
    email: (environment) => {
      const { serviceName, emailFromAddress, sesConfigurationSet } = settings;
      const config = loadConfig(environment, { serviceName, emailFromAddress, sesConfigurationSet });
      return sesEmailSender({ from: fromHeader(config), configurationSetName: config.sesConfigurationSet });
    },
  });

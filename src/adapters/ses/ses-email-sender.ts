import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { EmailMessage, EmailSender } from '../../domain/messaging/message-senders.ts';
import { translateSesError } from './ses-errors.ts';

export interface SesEmailSenderOptions {
  readonly client: SESv2Client;
  /** A verified SES identity, optionally with a display name: `NHS login <no-reply@example.org>`. */
  readonly from: string;
  /** Applies the configuration set's event destinations (bounces, complaints, deliveries). */
  readonly configurationSetName?: string;
}

/** Sends email through SES v2 as a simple (subject, text, HTML) UTF-8 message. */
export class SesEmailSender implements EmailSender {
  readonly #client: SESv2Client;
  readonly #from: string;
  readonly #configurationSetName: string | undefined;

  constructor(options: SesEmailSenderOptions) {
    this.#client = options.client;
    this.#from = options.from;
    this.#configurationSetName = options.configurationSetName;
  }

  async send(message: EmailMessage): Promise<void> {
    try {
      await this.#client.send(
        new SendEmailCommand({
          FromEmailAddress: this.#from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                Html: { Data: message.html, Charset: 'UTF-8' },
              },
            },
          },
          // The kind lets the configuration set's events and metrics be split by email kind.
          EmailTags: [{ Name: 'kind', Value: message.kind }],
          ...(this.#configurationSetName ? { ConfigurationSetName: this.#configurationSetName } : {}),
        }),
      );
    } catch (error) {
      throw translateSesError(error);
    }
  }
}

/** The sender over the function's own SES client, for a Lambda composition root. */
export const sesEmailSender = (options: Omit<SesEmailSenderOptions, 'client'>): SesEmailSender =>
  new SesEmailSender({ client: new SESv2Client({}), ...options });

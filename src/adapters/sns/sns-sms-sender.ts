import { type MessageAttributeValue, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SmsMessage, SmsSender } from '../../domain/messaging/message-senders.ts';
import { translateSnsError } from './sns-errors.ts';

export interface SnsSmsSenderOptions {
  readonly client: SNSClient;
  /**
   * Alphanumeric sender ID shown on the phone (up to 11 characters, e.g. `NHSlogin`), where the
   * destination country supports one; otherwise SNS uses its own number.
   */
  readonly senderId?: string;
}

/** Sends text messages with SNS, directly to a phone number, as transactional messages. */
export class SnsSmsSender implements SmsSender {
  readonly #client: SNSClient;
  readonly #attributes: Record<string, MessageAttributeValue>;

  constructor(options: SnsSmsSenderOptions) {
    this.#client = options.client;
    // Transactional: security codes are time-critical, so SNS routes them for reliability, not cost.
    this.#attributes = {
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
      ...(options.senderId
        ? { 'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: options.senderId } }
        : {}),
    };
  }

  async send(message: SmsMessage): Promise<void> {
    try {
      await this.#client.send(
        new PublishCommand({
          PhoneNumber: message.to,
          Message: message.text,
          MessageAttributes: this.#attributes,
        }),
      );
    } catch (error) {
      throw translateSnsError(error);
    }
  }
}

/** The sender over the function's own SNS client, for a Lambda composition root. */
export const snsSmsSender = (options: Omit<SnsSmsSenderOptions, 'client'>): SnsSmsSender =>
  new SnsSmsSender({ client: new SNSClient({}), ...options });

import { inspect } from 'node:util';
import {
  InvalidParameterException,
  PublishCommand,
  SNSClient,
  SNSServiceException,
} from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { translateSnsError } from '../../../../src/adapters/sns/sns-errors.ts';
import { SnsSmsSender } from '../../../../src/adapters/sns/sns-sms-sender.ts';
import { MessageNotSentError } from '../../../../src/domain/messaging/message-errors.ts';
import type { SmsMessage } from '../../../../src/domain/messaging/message-senders.ts';

const message: SmsMessage = {
  kind: 'security-code',
  to: '+447700900123',
  text: '123456 is your NHS login security code. It expires in 5 minutes. Do not share it with anyone.',
};

const snsWith = () => {
  const client = new SNSClient({ region: 'eu-west-2' });
  return { client, sns: mockClient(client) };
};

/** An SNS error whose message quotes the phone number, as SNS's parameter errors do. */
const sdkError = (name: string) =>
  new SNSServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message: `${name}: Invalid parameter: PhoneNumber Reason: +447700900123 is not valid to publish to`,
  });

const outcomeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('SnsSmsSender', () => {
  it('publishes the text to the phone number as a transactional message from the sender id', async () => {
    // Prepare
    const { client, sns } = snsWith();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
    const sender = new SnsSmsSender({ client, senderId: 'NHSlogin' });

    // Act
    await sender.send(message);

    // Assess
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({
      PhoneNumber: '+447700900123',
      Message: message.text,
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'NHSlogin' },
      },
    });
  });

  it('sets no sender id when none is configured', async () => {
    // Prepare
    const { client, sns } = snsWith();
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
    const sender = new SnsSmsSender({ client });

    // Act
    await sender.send(message);

    // Assess
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toStrictEqual({
      'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
    });
  });

  it.each(['ThrottledException', 'InternalErrorException', 'KMSThrottlingException'])(
    'reports %s as a text message not sent that may be retried',
    async (name) => {
      // Prepare
      const { client, sns } = snsWith();
      sns.on(PublishCommand).rejects(sdkError(name));
      const sender = new SnsSmsSender({ client });

      // Act
      const outcome = await outcomeOf(sender.send(message));

      // Assess
      expect(outcome).toBeInstanceOf(MessageNotSentError);
      expect(outcome).toMatchObject({ channel: 'sms', logDetail: name, retryable: true, status: 503 });
    },
  );

  it.each([
    'InvalidParameterException',
    'InvalidParameterValueException',
    'ValidationException',
    'AuthorizationErrorException',
    'KMSAccessDeniedException',
  ])('reports %s as a text message not sent that will not go through if retried', async (name) => {
    // Prepare
    const { client, sns } = snsWith();
    sns.on(PublishCommand).rejects(sdkError(name));
    const sender = new SnsSmsSender({ client });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    expect(outcome).toMatchObject({ channel: 'sms', logDetail: name, retryable: false });
  });

  it('reports an unreachable SNS as a text message not sent that may be retried', async () => {
    // Prepare
    const { client, sns } = snsWith();
    sns.on(PublishCommand).rejects(Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' }));
    const sender = new SnsSmsSender({ client });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    expect(outcome).toMatchObject({ channel: 'sms', retryable: true });
  });

  it('keeps the phone number, the text and the SDK message out of the error', async () => {
    // Prepare
    const { client, sns } = snsWith();
    sns
      .on(PublishCommand)
      .rejects(
        new InvalidParameterException({ $metadata: {}, message: 'PhoneNumber +447700900123 is invalid' }),
      );
    const sender = new SnsSmsSender({ client });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    const everything = `${inspect(outcome, { depth: 10, showHidden: true })} ${JSON.stringify(outcome)}`;
    expect(everything).toContain('InvalidParameterException');
    for (const secret of ['+447700900123', '7700900123', '123456', 'security code', 'is invalid']) {
      expect(everything).not.toContain(secret);
    }
    expect((outcome as Error).cause).toBeUndefined();
  });

  it('reports a thrown value that is not an Error as a text message not sent, naming no detail', () => {
    // Act
    const translated = translateSnsError('+447700900123');

    // Assess
    expect(translated).toBeInstanceOf(MessageNotSentError);
    expect(translated).toMatchObject({ channel: 'sms', logDetail: 'UnknownError', retryable: false });
  });
});

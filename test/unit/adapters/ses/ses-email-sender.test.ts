import { inspect } from 'node:util';
import { MessageRejected, SESv2Client, SESv2ServiceException, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { SesEmailSender } from '../../../../src/adapters/ses/ses-email-sender.ts';
import { translateSesError } from '../../../../src/adapters/ses/ses-errors.ts';
import { MessageNotSentError } from '../../../../src/domain/messaging/message-errors.ts';
import type { EmailMessage } from '../../../../src/domain/messaging/message-senders.ts';

const message: EmailMessage = {
  kind: 'reset-password',
  to: 'patient@example.org',
  subject: 'Reset your NHS login password',
  text: 'Reset your password:\nhttps://login.example.org/reset?token=secret-token',
  html: '<p><a href="https://login.example.org/reset?token=secret-token">Reset your password</a></p>',
};

const FROM = 'NHS login <no-reply@login.example.org>';

const sesWith = () => {
  const client = new SESv2Client({ region: 'eu-west-2' });
  return { client, ses: mockClient(client) };
};

/** An SES error whose message quotes the recipient, as some SES errors do. */
const sdkError = (name: string) =>
  new SESv2ServiceException({
    name,
    $fault: 'client',
    $metadata: {},
    message: `${name}: Email address is not verified. The following identities failed the check: patient@example.org`,
  });

const outcomeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('SesEmailSender', () => {
  it('sends a simple UTF-8 email with subject, text and HTML from the configured address', async () => {
    // Prepare
    const { client, ses } = sesWith();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const sender = new SesEmailSender({ client, from: FROM, configurationSetName: 'patient-login-email' });

    // Act
    await sender.send(message);

    // Assess
    const calls = ses.commandCalls(SendEmailCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toStrictEqual({
      FromEmailAddress: FROM,
      Destination: { ToAddresses: ['patient@example.org'] },
      Content: {
        Simple: {
          Subject: { Data: message.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
        },
      },
      EmailTags: [{ Name: 'kind', Value: 'reset-password' }],
      ConfigurationSetName: 'patient-login-email',
    });
  });

  it('leaves the configuration set out when none is configured', async () => {
    // Prepare
    const { client, ses } = sesWith();
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-message-1' });
    const sender = new SesEmailSender({ client, from: FROM });

    // Act
    await sender.send(message);

    // Assess
    const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
    expect(input).toBeDefined();
    expect(input).not.toHaveProperty('ConfigurationSetName');
  });

  it.each([
    'TooManyRequestsException',
    'LimitExceededException',
    'ThrottlingException',
    'InternalServiceErrorException',
  ])('reports %s as an email not sent that may be retried', async (name) => {
    // Prepare
    const { client, ses } = sesWith();
    ses.on(SendEmailCommand).rejects(sdkError(name));
    const sender = new SesEmailSender({ client, from: FROM });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    expect(outcome).toMatchObject({ channel: 'email', logDetail: name, retryable: true, status: 503 });
  });

  it.each([
    'MessageRejected',
    'BadRequestException',
    'MailFromDomainNotVerifiedException',
    'SendingPausedException',
    'AccountSuspendedException',
    'NotFoundException',
    'AccessDeniedException',
  ])('reports %s as an email not sent that will not go through if retried', async (name) => {
    // Prepare
    const { client, ses } = sesWith();
    ses.on(SendEmailCommand).rejects(sdkError(name));
    const sender = new SesEmailSender({ client, from: FROM });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    expect(outcome).toMatchObject({ channel: 'email', logDetail: name, retryable: false });
  });

  it.each([
    ['connection reset', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['the SDK timeout', Object.assign(new Error('socket timed out'), { name: 'TimeoutError' })],
  ])('reports a transport failure (%s) as an email not sent that may be retried', async (_label, error) => {
    // Prepare
    const { client, ses } = sesWith();
    ses.on(SendEmailCommand).rejects(error);
    const sender = new SesEmailSender({ client, from: FROM });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    expect(outcome).toMatchObject({ channel: 'email', retryable: true });
  });

  it('keeps the address, the content and the SDK message out of the error', async () => {
    // Prepare
    const { client, ses } = sesWith();
    ses
      .on(SendEmailCommand)
      .rejects(
        new MessageRejected({ $metadata: {}, message: 'Email address is not verified: patient@example.org' }),
      );
    const sender = new SesEmailSender({ client, from: FROM });

    // Act
    const outcome = await outcomeOf(sender.send(message));

    // Assess
    expect(outcome).toBeInstanceOf(MessageNotSentError);
    const everything = `${inspect(outcome, { depth: 10, showHidden: true })} ${JSON.stringify(outcome)}`;
    expect(everything).toContain('MessageRejected');
    for (const secret of ['patient@example.org', 'secret-token', 'Reset your password', 'not verified']) {
      expect(everything).not.toContain(secret);
    }
    expect((outcome as Error).cause).toBeUndefined();
  });

  it('reports a thrown value that is not an Error as an email not sent, naming no detail', () => {
    // Act
    const translated = translateSesError('patient@example.org');

    // Assess
    expect(translated).toBeInstanceOf(MessageNotSentError);
    expect(translated).toMatchObject({ channel: 'email', logDetail: 'UnknownError', retryable: false });
  });
});

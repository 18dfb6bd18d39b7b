import { appendFile, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalOutbox, OUTBOX_FILE_NAME } from '../../../../src/adapters/local/outbox.ts';
import { MessageNotSentError } from '../../../../src/domain/messaging/message-errors.ts';
import type { EmailMessage, SmsMessage } from '../../../../src/domain/messaging/message-senders.ts';

const email = (to: string, subject = 'Confirm your email address'): EmailMessage => ({
  kind: 'confirm-email',
  to,
  subject,
  text: `${subject}\n\nhttps://localhost/confirm?token=abc`,
  html: `<h1>${subject}</h1>`,
});

const sms = (to: string, code = '123456'): SmsMessage => ({
  kind: 'security-code',
  to,
  text: `${code} is your NHS login security code. It expires in 5 minutes. Do not share it with anyone.`,
});

/** A clock that moves on a minute at each reading, and ids that count up. */
const fixedTimeAndIds = () => {
  let minutes = 0;
  let ids = 0;
  return {
    clock: () => new Date(Date.UTC(2025, 2, 30, 9, minutes++)),
    newId: () => `message-${++ids}`,
  };
};

const outcomeOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => value,
    (error: unknown) => error,
  );

describe('LocalOutbox', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'local-outbox-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('keeps every email and text message with an id and the time it was sent, newest first', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });

    // Act
    await outbox.send(email('first@example.org'));
    await outbox.send(sms('+447700900123'));

    // Assess
    expect(outbox.messages()).toEqual([
      { ...sms('+447700900123'), channel: 'sms', id: 'message-2', sentAt: '2025-03-30T09:01:00.000Z' },
      {
        ...email('first@example.org'),
        channel: 'email',
        id: 'message-1',
        sentAt: '2025-03-30T09:00:00.000Z',
      },
    ]);
  });

  it('appends each message to a JSON Lines file readable by its owner only', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });

    // Act
    await outbox.send(email('first@example.org'));
    await outbox.send(email('second@example.org'));

    // Assess
    const path = join(directory, OUTBOX_FILE_NAME);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ id: 'message-1', to: 'first@example.org' });
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ id: 'message-2', to: 'second@example.org' });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('loads the messages of an earlier run when opened again', async () => {
    // Prepare
    const first = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });
    await first.send(email('first@example.org'));
    await first.send(sms('+447700900123'));

    // Act
    const second = await LocalOutbox.open({ directory, newId: () => 'message-3' });
    await second.send(email('third@example.org'));

    // Assess
    expect(second.messages().map((message) => message.id)).toEqual(['message-3', 'message-2', 'message-1']);
    expect(second.messages()[1]).toEqual(first.messages()[0]);
  });

  it('creates its folder when it is missing', async () => {
    // Prepare
    const nested = join(directory, '.data', 'outbox');

    // Act
    const outbox = await LocalOutbox.open({ directory: nested });
    await outbox.send(email('first@example.org'));

    // Assess
    expect(await readFile(join(nested, OUTBOX_FILE_NAME), 'utf8')).toContain('first@example.org');
  });

  it('skips a line cut short by a crash and writes the next message on a line of its own', async () => {
    // Prepare
    const first = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });
    await first.send(email('first@example.org'));
    await appendFile(join(directory, OUTBOX_FILE_NAME), '{"id":"message-2","chan');

    // Act
    const second = await LocalOutbox.open({ directory, newId: () => 'message-3' });
    await second.send(email('third@example.org'));
    const third = await LocalOutbox.open({ directory });

    // Assess
    expect(third.messages().map((message) => message.id)).toEqual(['message-3', 'message-1']);
  });

  it('keeps messages sent at the same time in the order they were sent', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });

    // Act
    await Promise.all([1, 2, 3, 4, 5].map((n) => outbox.send(email(`patient-${n}@example.org`))));
    const reopened = await LocalOutbox.open({ directory });

    // Assess
    expect(reopened.messages().map((message) => message.to)).toEqual(
      outbox.messages().map((message) => message.to),
    );
    expect(outbox.messages()).toHaveLength(5);
  });

  it('finds the newest message for an address and kind', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });
    await outbox.send(sms('+447700900123', '111111'));
    await outbox.send(sms('+447700900999', '222222'));
    await outbox.send(email('patient@example.org'));
    await outbox.send(sms('+447700900123', '333333'));
    await outbox.send(email('other@example.org'));

    // Act
    const latestCode = outbox.latest({ to: '+447700900123', kind: 'security-code' });
    const latestEmail = outbox.latest({ channel: 'email' });
    const latestToPatient = outbox.latest({ to: 'patient@example.org' });

    // Assess
    expect(latestCode?.text).toMatch(/^333333 /);
    expect(latestEmail?.to).toBe('other@example.org');
    expect(latestToPatient?.id).toBe('message-3');
  });

  it('finds nothing when no message matches', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory });
    await outbox.send(email('patient@example.org'));

    // Act
    const latest = outbox.latest({ to: 'patient@example.org', kind: 'reset-password' });

    // Assess
    expect(latest).toBeUndefined();
  });

  it('finds a message by its id', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory, ...fixedTimeAndIds() });
    await outbox.send(email('first@example.org'));
    await outbox.send(email('second@example.org'));

    // Act
    const found = outbox.find('message-1');

    // Assess
    expect(found?.to).toBe('first@example.org');
    expect(outbox.find('message-9')).toBeUndefined();
  });

  it('fails the next send on a channel once when asked to, keeping nothing', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory });
    outbox.failNext('sms');

    // Act
    const failed = await outcomeOf(outbox.send(sms('+447700900123')));
    await outbox.send(sms('+447700900123'));

    // Assess
    expect(failed).toBeInstanceOf(MessageNotSentError);
    expect(failed).toMatchObject({ channel: 'sms', retryable: true });
    expect(outbox.messages()).toHaveLength(1);
    const reopened = await LocalOutbox.open({ directory });
    expect(reopened.messages()).toHaveLength(1);
  });

  it('fails only the channel it was asked to fail', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory });
    outbox.failNext('email');

    // Act
    await outbox.send(sms('+447700900123'));
    const failed = await outcomeOf(outbox.send(email('patient@example.org')));

    // Assess
    expect(failed).toMatchObject({ channel: 'email' });
    expect(outbox.messages().map((message) => message.channel)).toEqual(['sms']);
  });

  it('fails as many sends as it was asked to', async () => {
    // Prepare
    const outbox = await LocalOutbox.open({ directory });
    outbox.failNext('email');
    outbox.failNext('email');

    // Act
    const outcomes = [
      await outcomeOf(outbox.send(email('patient@example.org'))),
      await outcomeOf(outbox.send(email('patient@example.org'))),
      await outcomeOf(outbox.send(email('patient@example.org'))),
    ];

    // Assess
    expect(outcomes[0]).toBeInstanceOf(MessageNotSentError);
    expect(outcomes[1]).toBeInstanceOf(MessageNotSentError);
    expect(outcomes[2]).toBeUndefined();
    expect(outbox.messages()).toHaveLength(1);
  });
});

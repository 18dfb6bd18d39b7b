import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../domain/clock.ts';
import { type MessageChannel, MessageNotSentError } from '../../domain/messaging/message-errors.ts';
import type {
  EmailKind,
  EmailMessage,
  EmailSender,
  SmsKind,
  SmsMessage,
  SmsSender,
} from '../../domain/messaging/message-senders.ts';

interface Sent {
  readonly id: string;
  /** ISO 8601. */
  readonly sentAt: string;
}

export type OutboxEmail = EmailMessage & Sent & { readonly channel: 'email' };
export type OutboxSms = SmsMessage & Sent & { readonly channel: 'sms' };
export type OutboxMessage = OutboxEmail | OutboxSms;

export interface OutboxFilter {
  readonly to?: string;
  readonly kind?: EmailKind | SmsKind;
  readonly channel?: MessageChannel;
}

export interface LocalOutboxOptions {
  /** The folder of `outbox.jsonl`, created when missing (`.data/outbox` for `npm start`). */
  readonly directory: string;
  readonly clock?: Clock;
  readonly newId?: () => string;
}

/** The outbox file's name inside its folder: one JSON message a line, oldest first. */
export const OUTBOX_FILE_NAME = 'outbox.jsonl';

/**
 * Both message ports for the local stack: every email and text message is kept, in memory and
 * appended to a JSON Lines file (so messages outlive a restart), for a person to read on
 * `/_dev/outbox` and for tests to read with `latest`. Nothing is delivered anywhere.
 */
export class LocalOutbox implements EmailSender, SmsSender {
  readonly #path: string;
  readonly #clock: Clock;
  readonly #newId: () => string;
  /** Oldest first, as in the file. */
  readonly #sent: OutboxMessage[];
  readonly #failures: Record<MessageChannel, number> = { email: 0, sms: 0 };
  #lastWrite: Promise<void> = Promise.resolve();

  private constructor(path: string, sent: OutboxMessage[], options: LocalOutboxOptions) {
    this.#path = path;
    this.#sent = sent;
    this.#clock = options.clock ?? systemClock;
    this.#newId = options.newId ?? randomUUID;
  }

  /** Opens the outbox in its folder, loading the messages kept by earlier runs. */
  static async open(options: LocalOutboxOptions): Promise<LocalOutbox> {
    await mkdir(options.directory, { recursive: true, mode: 0o700 });
    const path = join(options.directory, OUTBOX_FILE_NAME);
    return new LocalOutbox(path, await readOutboxFile(path), options);
  }

  async send(message: EmailMessage | SmsMessage): Promise<void> {
    const channel: MessageChannel = 'html' in message ? 'email' : 'sms';
    if (this.#failures[channel] > 0) {
      this.#failures[channel] -= 1;
      throw new MessageNotSentError(channel, { logDetail: 'LocalOutboxFailNext', retryable: true });
    }
    const sent = {
      ...message,
      channel,
      id: this.#newId(),
      sentAt: this.#clock().toISOString(),
    } as OutboxMessage;
    // Writes are chained so the file keeps the order of the list, and one failed write does
    // not stop the next.
    const write = this.#lastWrite
      .catch(() => undefined)
      .then(async () => {
        await appendFile(this.#path, `${JSON.stringify(sent)}\n`, { encoding: 'utf8', mode: 0o600 });
        this.#sent.push(sent);
      });
    this.#lastWrite = write;
    await write;
  }

  /** Makes the next send on the channel throw MessageNotSentError; each call adds one failure. */
  failNext(channel: MessageChannel): void {
    this.#failures[channel] += 1;
  }

  /** Every message kept, newest first. */
  messages(): readonly OutboxMessage[] {
    return this.#sent.toReversed();
  }

  /** The newest message that matches every given field, if any. */
  latest(filter: OutboxFilter = {}): OutboxMessage | undefined {
    return this.#sent.findLast(
      (message) =>
        (filter.to === undefined || message.to === filter.to) &&
        (filter.kind === undefined || message.kind === filter.kind) &&
        (filter.channel === undefined || message.channel === filter.channel),
    );
  }

  /** One message by its id. */
  find(id: string): OutboxMessage | undefined {
    return this.#sent.find((message) => message.id === id);
  }
}

const isOutboxMessage = (value: unknown): value is OutboxMessage => {
  if (typeof value !== 'object' || value === null) return false;
  const { id, channel, to, text, sentAt } = value as Record<string, unknown>;
  return (
    typeof id === 'string' &&
    (channel === 'email' || channel === 'sms') &&
    typeof to === 'string' &&
    typeof text === 'string' &&
    typeof sentAt === 'string'
  );
};

const parseLine = (line: string): unknown => {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
};

/**
 * Reads the file. A line that is not a message (a write cut short by a crash) is skipped, and
 * ended, so the next message starts on a line of its own.
 */
const readOutboxFile = async (path: string): Promise<OutboxMessage[]> => {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (content !== '' && !content.endsWith('\n')) await appendFile(path, '\n');
  return content.split('\n').map(parseLine).filter(isOutboxMessage);
};

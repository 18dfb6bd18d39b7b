import { DomainError } from '../errors.ts';

export type MessageChannel = 'email' | 'sms';

export interface MessageNotSentOptions {
  /** For logs only: an SDK error name or similar, never an address, a code or a link. */
  readonly logDetail?: string;
  /** Whether the same message may go through if sent again later (throttling, a network fault). */
  readonly retryable?: boolean;
}

/**
 * An email or text message could not be handed over for delivery. It names the channel only:
 * it never holds the address, the content or the provider's own error (whose message may quote
 * the address), so it is safe to log whole.
 */
export class MessageNotSentError extends DomainError {
  readonly code = 'message_not_sent';
  readonly status = 503;
  readonly channel: MessageChannel;
  readonly retryable: boolean;

  constructor(channel: MessageChannel, options: MessageNotSentOptions = {}) {
    super('We could not send the message. Try again.', { logDetail: options.logDetail });
    this.channel = channel;
    this.retryable = options.retryable ?? false;
  }
}

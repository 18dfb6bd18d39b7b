import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../../src/domain/errors.ts';
import { MessageNotSentError } from '../../../../src/domain/messaging/message-errors.ts';

describe('MessageNotSentError', () => {
  it('is a 503 domain error with a stable code and a description a patient page can show', () => {
    // Act
    const error = new MessageNotSentError('sms', { logDetail: 'ThrottledException', retryable: true });

    // Assess
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      name: 'MessageNotSentError',
      code: 'message_not_sent',
      status: 503,
      description: 'We could not send the message. Try again.',
      message: 'We could not send the message. Try again.',
      channel: 'sms',
      logDetail: 'ThrottledException',
      retryable: true,
    });
  });

  it('is not retryable unless the sender says so', () => {
    // Act
    const error = new MessageNotSentError('email');

    // Assess
    expect(error.retryable).toBe(false);
    expect(error.logDetail).toBeUndefined();
    expect(error.cause).toBeUndefined();
  });
});

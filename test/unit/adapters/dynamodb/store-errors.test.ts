import {
  ConditionalCheckFailedException,
  DynamoDBServiceException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { translateStoreError } from '../../../../src/adapters/dynamodb/store-errors.ts';
import {
  ConflictError,
  type DomainError,
  MisconfigurationError,
  ServiceUnavailableError,
} from '../../../../src/domain/errors.ts';

/** SDK messages can quote key values: none of this may reach a description. */
const SDK_MESSAGE = 'The conditional request failed for pk=PATIENT#9000000009';

const sdkError = (name: string) =>
  new DynamoDBServiceException({ name, $fault: 'server', $metadata: {}, message: SDK_MESSAGE });

const transactionCanceled = (...codes: string[]) =>
  new TransactionCanceledException({
    $metadata: {},
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const networkError = (code: string) =>
  Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code, errno: -111, syscall: 'connect' });

describe('translateStoreError', () => {
  it('reports a failed condition as a conflict', () => {
    // Prepare
    const error = new ConditionalCheckFailedException({ $metadata: {}, message: SDK_MESSAGE });

    // Act
    const translated = translateStoreError(error);

    // Assess
    expect(translated).toBeInstanceOf(ConflictError);
    expect(translated).toMatchObject({ logDetail: 'ConditionalCheckFailedException', cause: error });
  });

  it.each([
    'ProvisionedThroughputExceededException',
    'ThrottlingException',
    'RequestLimitExceeded',
    'InternalServerError',
    'ServiceUnavailable',
    'TransactionConflictException',
    'TransactionInProgressException',
  ])('reports %s as a service to retry', (name) => {
    // Prepare
    const error = sdkError(name);

    // Act
    const translated = translateStoreError(error);

    // Assess
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
    expect(translated).toMatchObject({ logDetail: name, cause: error });
  });

  it('reports a missing table as a misconfiguration', () => {
    // Act
    const translated = translateStoreError(sdkError('ResourceNotFoundException'));

    // Assess
    expect(translated).toBeInstanceOf(MisconfigurationError);
  });

  it('reports a transaction cancelled by a failed condition as a conflict, naming the reasons', () => {
    // Act
    const translated = translateStoreError(transactionCanceled('None', 'ConditionalCheckFailed'));

    // Assess
    expect(translated).toBeInstanceOf(ConflictError);
    expect(translated).toMatchObject({
      logDetail: 'TransactionCanceledException: None,ConditionalCheckFailed',
    });
  });

  it('reports a transaction cancelled for another reason as a service to retry', () => {
    // Act
    const translated = translateStoreError(transactionCanceled('None', 'TransactionConflict'));

    // Assess
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
    expect(translated).toMatchObject({ logDetail: 'TransactionCanceledException: None,TransactionConflict' });
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'])(
    'reports the network error %s as a service to retry',
    (code) => {
      // Act
      const translated = translateStoreError(networkError(code));

      // Assess
      expect(translated).toBeInstanceOf(ServiceUnavailableError);
      expect(translated).toMatchObject({ logDetail: code });
    },
  );

  it("reports the SDK's own connection timeout, which has no code, as a service to retry", () => {
    // Prepare: what @smithy/node-http-handler rejects with when connectionTimeout passes
    const error = Object.assign(
      new Error('the request socket did not establish a connection with the server within 1000 ms.'),
      { name: 'TimeoutError' },
    );

    // Act
    const translated = translateStoreError(error);

    // Assess
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
  });

  it.each([
    ['a failed condition', new ConditionalCheckFailedException({ $metadata: {}, message: SDK_MESSAGE })],
    ['a throttled request', sdkError('ThrottlingException')],
    ['a missing table', sdkError('ResourceNotFoundException')],
    [
      'a cancelled transaction',
      Object.assign(transactionCanceled('ConditionalCheckFailed'), { message: SDK_MESSAGE }),
    ],
  ])('keeps the SDK message of %s out of the description and the log detail', (_label, error) => {
    // Act
    const translated = translateStoreError(error) as DomainError;

    // Assess
    expect(translated.description).not.toContain('PATIENT#9000000009');
    expect(translated.message).not.toContain('PATIENT#9000000009');
    expect(translated.logDetail).not.toContain('PATIENT#9000000009');
  });

  it.each([
    ['an unknown SDK error', sdkError('ValidationException')],
    ['a plain Error', new Error('boom')],
    ['a thrown string', 'boom'],
  ])('returns %s unchanged', (_label, error) => {
    // Act
    const translated = translateStoreError(error);

    // Assess
    expect(translated).toBe(error);
  });
});

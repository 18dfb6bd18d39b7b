import { KMSServiceException } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { translateKmsError } from '../../../../src/adapters/kms/kms-errors.ts';
import {
  type DomainError,
  MisconfigurationError,
  ServiceUnavailableError,
} from '../../../../src/domain/errors.ts';

const SDK_MESSAGE = 'User arn:aws:iam::123456789012:role/secret-role is not authorized for key/1234abcd';

const sdkError = (name: string) =>
  new KMSServiceException({ name, $fault: 'client', $metadata: {}, message: SDK_MESSAGE });

describe('translateKmsError', () => {
  it.each(['ThrottlingException', 'KMSInternalException', 'DependencyTimeoutException'])(
    'reports %s as a service to retry',
    (name) => {
      // Prepare
      const error = sdkError(name);

      // Act
      const translated = translateKmsError(error);

      // Assess
      expect(translated).toBeInstanceOf(ServiceUnavailableError);
      expect(translated).toMatchObject({ logDetail: name, cause: error, status: 503 });
    },
  );

  it.each([
    'NotFoundException',
    'DisabledException',
    'KMSInvalidStateException',
    'InvalidKeyUsageException',
    'KeyUnavailableException',
    'AccessDeniedException',
    'UnsupportedOperationException',
  ])('reports %s as a misconfiguration', (name) => {
    // Prepare
    const error = sdkError(name);

    // Act
    const translated = translateKmsError(error);

    // Assess
    expect(translated).toBeInstanceOf(MisconfigurationError);
    expect(translated).toMatchObject({ logDetail: name, cause: error, status: 500 });
  });

  it.each(['ThrottlingException', 'NotFoundException'])(
    'keeps the SDK message of %s out of the description and the log detail',
    (name) => {
      // Act
      const translated = translateKmsError(sdkError(name)) as DomainError;

      // Assess
      expect(translated.description).not.toContain(SDK_MESSAGE);
      expect(translated.message).not.toContain(SDK_MESSAGE);
      expect(translated.logDetail).not.toContain(SDK_MESSAGE);
    },
  );

  it.each([
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
    ],
    [
      'the SDK connection timeout',
      Object.assign(new Error('the request socket did not establish a connection'), { name: 'TimeoutError' }),
    ],
  ])('reports an unreachable key service (%s) as a service to retry', (_label, error) => {
    // Act
    const translated = translateKmsError(error);

    // Assess
    expect(translated).toBeInstanceOf(ServiceUnavailableError);
  });

  it('returns an error it does not know unchanged', () => {
    // Prepare
    const error = sdkError('ValidationException');

    // Act
    const translated = translateKmsError(error);

    // Assess
    expect(translated).toBe(error);
  });

  it('returns a thrown value that is not an Error unchanged', () => {
    // Prepare
    const thrown = { name: 'ThrottlingException' };

    // Act
    const translated = translateKmsError(thrown);

    // Assess
    expect(translated).toBe(thrown);
  });
});

import { expect } from 'vitest';
import { InvalidClientRegistrationError } from '../../../../src/domain/clients/client-errors.ts';
import {
  type ClientRegistrationRequest,
  type RegistrationContext,
  registerClient,
} from '../../../../src/domain/clients/client-registration.ts';
import { rsaKeyPair, spkiPem } from './keys.ts';

export const fixedContext: RegistrationContext = {
  newClientId: () => 'generated-client-id',
  allowLocalRedirects: true,
  now: () => new Date('2025-03-04T05:06:07.000Z'),
};

const defaultPublicKey = spkiPem(rsaKeyPair().publicKey);

/** A request that registers cleanly; tests change one field to see its check. */
export const validRequest = (
  overrides: Partial<ClientRegistrationRequest> = {},
): ClientRegistrationRequest => ({
  name: 'Example GP Booking',
  redirectUris: ['https://app.example/callback'],
  publicKey: defaultPublicKey,
  scopes: ['openid', 'profile'],
  vectorsOfTrust: ['P9.Cp.Cd'],
  ...overrides,
});

/** Registers and returns the refusal's problems; fails the test if registration succeeds. */
export const refusal = async (
  request: ClientRegistrationRequest,
): Promise<InvalidClientRegistrationError> => {
  const outcome = await registerClient(request, fixedContext).then(
    (client) => client,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(InvalidClientRegistrationError);
  return outcome as InvalidClientRegistrationError;
};

export const problemsOf = async (request: ClientRegistrationRequest): Promise<readonly string[]> =>
  (await refusal(request)).problems;

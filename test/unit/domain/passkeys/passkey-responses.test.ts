import { describe, expect, it } from 'vitest';
import { PasskeyNotVerifiedError } from '../../../../src/domain/passkeys/passkey.ts';
import {
  passkeyResponseLength,
  readAuthenticationResponse,
  readRegistrationResponse,
} from '../../../../src/domain/passkeys/passkey-responses.ts';
import { softwareAuthenticator } from '../../../support/software-authenticator.ts';

const authenticator = softwareAuthenticator({ rpId: 'localhost', origin: 'http://localhost' });
const registration = authenticator.register('Y2hhbGxlbmdl');
const authentication = authenticator.authenticate('Y2hhbGxlbmdl', 'account-1');

const refusal = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    return error;
  }
  throw new Error('expected the response to be refused');
};

describe('reading a posted passkey response', () => {
  it('reads what a browser posts for a set-up and for a login', () => {
    expect(readRegistrationResponse(JSON.stringify(registration))).toEqual(
      expect.objectContaining({ id: registration.id, type: 'public-key' }),
    );
    expect(readAuthenticationResponse(JSON.stringify(authentication)).response.userHandle).toBe(
      authentication.response.userHandle,
    );
  });

  it.each([
    ['nothing', ''],
    ['text that is not JSON', '{"id":'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['another type of credential', JSON.stringify({ ...authentication, type: 'password' })],
    ['no response part', JSON.stringify({ ...authentication, response: undefined })],
    [
      'a signature that is not base64url',
      JSON.stringify({ ...authentication, response: { ...authentication.response, signature: 'a b+/' } }),
    ],
    ['an empty id', JSON.stringify({ ...authentication, id: '' })],
    [
      'more than a form field holds',
      JSON.stringify({ ...authentication, id: 'a'.repeat(passkeyResponseLength) }),
    ],
  ])('refuses %s as a login, never with the text it was given', (_case, posted) => {
    const error = refusal(() => readAuthenticationResponse(posted));

    expect(error).toBeInstanceOf(PasskeyNotVerifiedError);
    expect((error as Error).message).toBe('The passkey could not be used.');
  });

  it('refuses a login response as a set-up (no attestation), and a set-up with too many transports', () => {
    expect(refusal(() => readRegistrationResponse(JSON.stringify(authentication)))).toBeInstanceOf(
      PasskeyNotVerifiedError,
    );
    const transports = Array.from({ length: 11 }, () => 'usb');
    const many = { ...registration, response: { ...registration.response, transports } };
    expect(refusal(() => readRegistrationResponse(JSON.stringify(many)))).toBeInstanceOf(
      PasskeyNotVerifiedError,
    );
  });
});

import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { DomainError } from '../domain/errors.ts';
import { InvalidInputError } from '../domain/invalid-input-error.ts';
import { readAuthenticationResponse } from '../domain/passkeys/passkey-responses.ts';
import type { Passkeys } from '../domain/passkeys/passkeys.ts';

/** A new login ceremony for a page: its options (as the page's script reads them) and its challenge's id. */
export const passkeyCeremony = async (passkeys: Pick<Passkeys, 'beginLogin'>) => {
  const { options, challengeId } = await passkeys.beginLogin();
  return { options: JSON.stringify(options), challengeId };
};

/**
 * The "Use a passkey instead" form of a code page (pages/form.njk), for an account that has a
 * passkey: a new ceremony, posted to `action`. Nothing for an account without one.
 */
export const passkeyInstead = async (
  passkeys: Pick<Passkeys, 'beginLogin'>,
  offered: boolean,
  action: string,
): Promise<{ readonly passkey?: { options: string; challengeId: string; action: string } }> =>
  offered ? { passkey: { ...(await passkeyCeremony(passkeys)), action } } : {};

/**
 * Uses a posted passkey answer (field `credential`) for `use`; every refusal (malformed, unknown,
 * another account's, a used challenge, a cloned authenticator) reads the same to the patient,
 * as InvalidInputError on the page's passkey button. The log has which.
 */
export const usePostedPasskey = async <T>(
  posted: string,
  use: (response: AuthenticationResponseJSON) => Promise<T>,
  refusal: { readonly message: string; readonly field?: string },
): Promise<T> => {
  const field = refusal.field ?? 'passkey';
  if (posted === '')
    throw new InvalidInputError([
      { field, message: 'Your device did not give us a passkey. Select the passkey button to try again' },
    ]);
  try {
    return await use(readAuthenticationResponse(posted));
  } catch (error) {
    if (error instanceof DomainError && error.status === 400 && !(error instanceof InvalidInputError))
      throw new InvalidInputError([{ field, message: refusal.message }]);
    throw error;
  }
};

import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import * as z from 'zod/mini';
import { inputLimits } from '../input-limits.ts';
import { PasskeyNotVerifiedError } from './passkey.ts';

/**
 * The browser's answer to a ceremony, as its page posts it back (the JSON @simplewebauthn/browser
 * gives): read here into the shape the verification expects, so nothing malformed reaches it.
 * Anything else is PasskeyNotVerifiedError, which the pages show as "could not use the passkey".
 */

/** The most a response may be (any form field's limit): an id, a key and attestation "none" are well under it. */
export const passkeyResponseLength = inputLimits.field;

const base64url = z.string().check(z.regex(/^[A-Za-z0-9_-]*$/), z.maxLength(passkeyResponseLength));
const clientExtensionResults = z._default(z.record(z.string(), z.unknown()), {});
const common = {
  id: base64url.check(z.minLength(1)),
  rawId: base64url.check(z.minLength(1)),
  type: z.literal('public-key'),
  clientExtensionResults,
  authenticatorAttachment: z.optional(z.enum(['platform', 'cross-platform'])),
};

const registrationResponse = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.optional(z.array(z.string().check(z.maxLength(32))).check(z.maxLength(10))),
    authenticatorData: z.optional(base64url),
    publicKey: z.optional(base64url),
    publicKeyAlgorithm: z.optional(z.number()),
  }),
});

const authenticationResponse = z.object({
  ...common,
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: z.optional(base64url),
  }),
});

const read = <T>(schema: z.ZodMiniType<T>, posted: string): T => {
  if (posted.length === 0 || posted.length > passkeyResponseLength)
    throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'response-length' });
  let json: unknown;
  try {
    json = JSON.parse(posted);
  } catch {
    throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'response-not-json' });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'response-shape' });
  return parsed.data;
};

/** A posted registration response (setting up a passkey). */
export const readRegistrationResponse = (posted: string): RegistrationResponseJSON =>
  read(registrationResponse, posted) as RegistrationResponseJSON;

/** A posted authentication response (logging in with a passkey). */
export const readAuthenticationResponse = (posted: string): AuthenticationResponseJSON =>
  read(authenticationResponse, posted) as AuthenticationResponseJSON;

import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import { type Passkey, PasskeyNotVerifiedError } from './passkey.ts';
import { passkeyProviderName } from './passkey-providers.ts';

/**
 * SimpleWebAuthn, loaded at the first ceremony: the page functions that never meet a passkey
 * (and the cold start of those that do) do not pay for evaluating it at import.
 */
const webAuthn = () => import('@simplewebauthn/server');
const base64Url = async () => (await import('@simplewebauthn/server/helpers')).isoBase64URL;

/** ES256 and RS256 only (DESIGN.md): what every platform authenticator and security key offers. */
export const passkeyAlgorithms = [-7, -257] as const;

/** The relying party the passkeys are for: the service's name, its host, and the origin its pages are on. */
export interface PasskeyRelyingParty {
  readonly name: string;
  readonly id: string;
  readonly origin: string;
}

/** How long the browser may take over a ceremony (the challenge's own lifetime is a limit: docs/limits.md). */
const TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The options for setting up a passkey: resident key and user verification required, no
 * attachment asked for (so the browser offers this device, another device by QR code, and
 * security keys), the account's passkeys excluded, ES256 and RS256 only, no attestation.
 */
export const registrationOptions = async (
  rp: PasskeyRelyingParty,
  account: { readonly accountId: string; readonly email: string },
  existing: readonly Pick<Passkey, 'credentialId' | 'transports'>[],
  /** Random bytes, new for each ceremony: the options carry them base64url, which the store keeps. */
  challenge: Uint8Array<ArrayBuffer>,
): Promise<PublicKeyCredentialCreationOptionsJSON> =>
  (await webAuthn()).generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: account.email,
    userDisplayName: account.email,
    // The account id as the user handle: it names the account at login, and nothing else of it.
    userID: new TextEncoder().encode(account.accountId),
    challenge,
    timeout: TIMEOUT_MS,
    attestationType: 'none',
    excludeCredentials: existing.map((passkey) => ({
      id: passkey.credentialId,
      transports: [...passkey.transports],
    })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    supportedAlgorithmIDs: [...passkeyAlgorithms],
  });

/**
 * Verifies a new passkey against the challenge issued for it: the origin, the relying party, user
 * verification, the algorithm. Anything SimpleWebAuthn refuses is PasskeyNotVerifiedError, its
 * reason for the log only.
 */
export const verifyRegistration = async (
  rp: PasskeyRelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
  owner: { readonly accountId: string; readonly now: Date },
): Promise<Omit<Passkey, 'name'> & { readonly suggestedName: string }> => {
  const library = await webAuthn();
  const verified = await verifiedBy('registration', 'The passkey could not be set up.', () =>
    library.verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      supportedAlgorithmIDs: [...passkeyAlgorithms],
    }),
  );
  const { credential, aaguid, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
  const providerName = passkeyProviderName(aaguid);
  return {
    credentialId: credential.id,
    accountId: owner.accountId,
    publicKey: (await base64Url()).fromBuffer(credential.publicKey),
    signCount: credential.counter,
    transports: credential.transports ?? [],
    deviceType: credentialDeviceType,
    backedUp: credentialBackedUp,
    aaguid,
    ...(providerName ? { providerName } : {}),
    createdAt: owner.now.toISOString(),
    suggestedName: providerName ?? 'Passkey',
  };
};

/**
 * The options for logging in with a passkey: no credentials listed (a discoverable passkey names
 * its account, so the page is the same whether or not an email has passkeys), user verification
 * required.
 */
export const authenticationOptions = async (
  rp: PasskeyRelyingParty,
  challenge: Uint8Array<ArrayBuffer>,
): Promise<PublicKeyCredentialRequestOptionsJSON> =>
  (await webAuthn()).generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: TIMEOUT_MS,
    userVerification: 'required',
    allowCredentials: [],
  });

/**
 * Verifies a login with the stored passkey against the challenge issued for it. The counter rule
 * is the caller's (`counterVerdict` on the stored counter and the one this returns), so a cloned
 * authenticator can be audited as such.
 */
export const verifyAuthentication = async (
  rp: PasskeyRelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  passkey: Passkey,
): Promise<{ readonly signCount: number; readonly backedUp: boolean }> => {
  const [library, base64] = await Promise.all([webAuthn(), base64Url()]);
  const verified = await verifiedBy('authentication', 'The passkey could not be used.', () =>
    library.verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
      credential: {
        id: passkey.credentialId,
        publicKey: base64.toBuffer(passkey.publicKey),
        // The counter rule is ours (`counterVerdict`), so a cloned authenticator is told from a bad signature.
        counter: 0,
        transports: [...passkey.transports] as never,
      },
    }),
  );
  return {
    signCount: verified.authenticationInfo.newCounter,
    backedUp: verified.authenticationInfo.credentialBackedUp,
  };
};

/**
 * Runs one of SimpleWebAuthn's verifications: whatever it throws, or a response it does not
 * verify, is PasskeyNotVerifiedError with the patient's description, its reason for the log only.
 */
async function verifiedBy<T extends { readonly verified: boolean }>(
  ceremony: 'registration' | 'authentication',
  description: string,
  verify: () => Promise<T>,
): Promise<Exclude<T, { verified: false }>> {
  let result: T;
  try {
    result = await verify();
  } catch (error) {
    throw new PasskeyNotVerifiedError(description, {
      logDetail: `${ceremony}: ${(error as Error).message.slice(0, 200)}`,
      cause: error,
    });
  }
  if (!result.verified)
    throw new PasskeyNotVerifiedError(description, { logDetail: `${ceremony}: not verified` });
  return result as Exclude<T, { verified: false }>;
}

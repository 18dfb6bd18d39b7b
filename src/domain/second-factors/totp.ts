/** otplib, loaded at the first code: the functions that never check one do not evaluate it. */
const otp = () => import('otplib');

/** The authenticator codes accepted either side of now: one 30-second step, for a phone's clock drift. */
const CLOCK_DRIFT_SECONDS = 30;

/**
 * The time step of an authenticator app's code (RFC 6238, 30-second steps, SHA-1, 6 digits, as
 * every app reads an otpauth URI by default) when it is right for the secret now, else undefined.
 * Spaces are ignored; anything but 6 digits is not right. A caller takes each step once, so a
 * code seen over a shoulder cannot be used again.
 */
export const totpStepOf = async (secret: string, code: string, now: Date): Promise<number | undefined> => {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const result = await (await otp()).verify({
    secret,
    token,
    epoch: Math.floor(now.getTime() / 1000),
    epochTolerance: CLOCK_DRIFT_SECONDS,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : undefined;
};

/** The otpauth URI an app's QR code scanner reads for a secret. */
export const totpUri = async (issuer: string, label: string, secret: string): Promise<string> =>
  (await otp()).generateURI({ issuer, label, secret });

/** A new random secret (base32, 160 bits) and its otpauth URI. */
export const newTotpSecret = async (issuer: string, label: string) => {
  const secret = (await otp()).generateSecret();
  return { secret, uri: await totpUri(issuer, label, secret) };
};

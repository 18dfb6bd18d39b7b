import type { SessionAuthentication } from '../sessions/browser-session.ts';

/**
 * The credential part of the vector of trust a login achieved: password with a texted or emailed
 * code, or on a remembered device, is `Cp.Cd` (a registered device); a password alone is `Cp`; a
 * passkey, with no password, is `Cm` (docs/decisions.md: "A passkey login is Cm").
 */
export const achievedCredentials = (authentication: SessionAuthentication): 'Cp' | 'Cp.Cd' | 'Cm' => {
  if (authentication.secondFactor === 'passkey') return 'Cm';
  return authentication.secondFactor ? 'Cp.Cd' : 'Cp';
};

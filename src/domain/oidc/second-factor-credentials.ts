import type { SessionAuthentication } from '../sessions/browser-session.ts';

/**
 * The credential part of the vector of trust a login achieved: password with a texted or emailed
 * code, or on a remembered device, is `Cp.Cd` (a registered device); a password alone is `Cp`.
 */
export const achievedCredentials = (authentication: SessionAuthentication): 'Cp' | 'Cp.Cd' =>
  authentication.secondFactor ? 'Cp.Cd' : 'Cp';

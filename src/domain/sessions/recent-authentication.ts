/**
 * The patient gave the password (and the second factor) again, a moment ago, in this session: a
 * sensitive change (a new mobile number, later a passkey) needs that, not just a login from hours
 * before. Epoch seconds.
 */
export interface Reauthentication {
  readonly accountId: string;
  readonly passwordAt: number;
  readonly secondFactorAt?: number | undefined;
  /** The patient said the phone on the account is lost, so its code could not be asked for. */
  readonly oldPhoneLost?: boolean | undefined;
}

/**
 * What a change needs: the password and the second factor, or (for replacing a lost phone, and
 * only that) the password and the patient's word that the phone is lost.
 */
export type ReauthenticationNeed = 'second-factor' | 'second-factor-or-lost-phone';

/** Whether a re-authentication is recent enough, for this account, for what the change needs. */
export const isRecentlyReauthenticated = (
  reauthentication: Reauthentication | undefined,
  request: { accountId: string; now: number; windowSeconds: number; need: ReauthenticationNeed },
): boolean => {
  if (!reauthentication || reauthentication.accountId !== request.accountId) return false;
  const fresh = (at: number | undefined) =>
    at !== undefined && at <= request.now && request.now - at < request.windowSeconds;
  if (!fresh(reauthentication.passwordAt)) return false;
  if (fresh(reauthentication.secondFactorAt)) return true;
  return request.need === 'second-factor-or-lost-phone' && reauthentication.oldPhoneLost === true;
};

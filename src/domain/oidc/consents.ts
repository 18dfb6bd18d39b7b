/** The scopes a patient has agreed to share with each service. */
export interface ConsentStore {
  /** The scopes the patient agreed to share with the client, if ever. */
  find(accountId: string, clientId: string): Promise<readonly string[] | undefined>;
  /** Records agreement to share these scopes (replacing the earlier set). */
  grant(accountId: string, clientId: string, scopes: readonly string[]): Promise<void>;
}

/** Scopes that need the patient's agreement: every requested scope but openid not agreed before. */
export const scopesNeedingConsent = (
  requested: readonly string[],
  agreed: readonly string[] | undefined,
): string[] => requested.filter((scope) => scope !== 'openid' && !(agreed ?? []).includes(scope));

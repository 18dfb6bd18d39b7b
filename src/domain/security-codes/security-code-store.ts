import type { SecurityCodeDigest } from './security-code-digest.ts';

/** What a code is for; each purpose has its own current code. */
export type SecurityCodePurpose =
  | 'login'
  /** A login code sent by email as a fallback: its own purpose, so a texted login step cannot take it. */
  | 'login-email'
  | 'add-phone'
  | 'change-phone'
  | 'reset-password'
  | 'unlock-account'
  | 'reauthenticate'
  /** Putting back an email address a reported change moved the account from. */
  | 'restore-email';

export type SecurityCodeChannel = 'sms' | 'email';

/** A security code as kept: its digest, never the code itself. */
export interface IssuedSecurityCode {
  readonly accountId: string;
  readonly purpose: SecurityCodePurpose;
  readonly channel: SecurityCodeChannel;
  /** Tells this code from the one it replaced, so checking an old code cannot use up a new one. */
  readonly codeId: string;
  readonly digest: SecurityCodeDigest;
  readonly issuedAt: Date;
  /** The code is refused from this time on. */
  readonly validUntil: Date;
  /** Entries counted so far, right or wrong. */
  readonly attempts: number;
  readonly usedAt?: Date | undefined;
  /** The code this one replaced while it could still have been used: its entry is told a newer code was sent. */
  readonly replaced?: { readonly digest: SecurityCodeDigest; readonly validUntil: Date } | undefined;
}

/** Where the current security code of each account and purpose is kept. */
export interface SecurityCodeStore {
  /** Keeps a new code, replacing any earlier one for the same account and purpose. */
  save(code: IssuedSecurityCode): Promise<void>;
  /**
   * Counts one entry against the current code, atomically, and returns the code as it is after
   * counting; undefined when there is none.
   */
  countAttempt(accountId: string, purpose: SecurityCodePurpose): Promise<IssuedSecurityCode | undefined>;
  /**
   * Marks the code used; only one caller can. Throws SecurityCodeUsedError when it was used
   * already, and NoSecurityCodeError when it has been replaced or is gone.
   */
  markUsed(accountId: string, purpose: SecurityCodePurpose, codeId: string): Promise<void>;
}

import { DomainError } from '../errors.ts';

/**
 * A passkey of a patient's account (issue 16): a WebAuthn credential, discoverable (it can log in
 * without an email typed), user-verified, kept with what the login checks and what the Passkeys
 * page shows.
 */
export interface Passkey {
  /** The credential id, base64url, as the authenticator made it. */
  readonly credentialId: string;
  readonly accountId: string;
  /** The COSE public key, base64url. */
  readonly publicKey: string;
  /** The authenticator's signature counter at the last use (0 for authenticators that keep none). */
  readonly signCount: number;
  /** How the browser may reach it (`internal`, `hybrid`, `usb`...), for the next login's hints. */
  readonly transports: readonly string[];
  /** `multiDevice`: synced by a provider (it may be backed up); `singleDevice`: bound to one authenticator. */
  readonly deviceType: 'singleDevice' | 'multiDevice';
  readonly backedUp: boolean;
  readonly aaguid: string;
  /** The provider's name where the AAGUID is a known one (a maintained list), else none. */
  readonly providerName?: string;
  /** The name the patient gave it (or the provider's, at first). */
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly lastUsedAt?: string;
}

/** Where passkeys are kept: under the account, and findable by credential id (a login names only that). */
export interface PasskeyStore {
  /** ConflictError when the credential is registered already (to any account). */
  add(passkey: Passkey): Promise<void>;
  forAccount(accountId: string): Promise<Passkey[]>;
  find(credentialId: string): Promise<Passkey | undefined>;
  /**
   * Records a login: the new counter and backup state, if the stored counter is still
   * `expectedSignCount` (false when another login moved it first: the assertion is refused).
   */
  recordUse(
    credentialId: string,
    use: {
      readonly expectedSignCount: number;
      readonly signCount: number;
      readonly backedUp: boolean;
      readonly at: string;
    },
  ): Promise<boolean>;
  rename(accountId: string, credentialId: string, name: string): Promise<void>;
  /** NotFoundError when the account has no such passkey. */
  remove(accountId: string, credentialId: string): Promise<void>;
}

/**
 * The signature counter rule (WebAuthn §6.1.1): a counter that is non-zero must grow at each use.
 * One that does not (the same or lower) means a copy of the credential is in use somewhere: the
 * login is refused and audited. Authenticators that keep no counter report 0 every time.
 */
export const counterVerdict = (stored: number, received: number): 'ok' | 'cloned' =>
  stored === 0 && received === 0 ? 'ok' : received > stored ? 'ok' : 'cloned';

/** The passkey's counter did not move on: a cloned authenticator (refused, audited). */
export class ClonedAuthenticatorError extends DomainError {
  readonly code = 'cloned_authenticator';
  readonly status = 400;
}

/** What the browser sent does not verify (a wrong origin, challenge, signature, or a refused algorithm). */
export class PasskeyNotVerifiedError extends DomainError {
  readonly code = 'passkey_not_verified';
  readonly status = 400;
}

/** What a passkey ceremony is for: setting one up (for an account), or logging in (for anyone). */
export type PasskeyCeremony = 'register' | 'authenticate';

/**
 * The challenges of passkey ceremonies, kept server-side: single use (taken by a conditional
 * write, so two responses to one challenge cannot both pass) and short-lived.
 */
export interface PasskeyChallengeStore {
  /** Keeps the challenge (base64url) for a ceremony; returns the id the page carries back. */
  issue(
    ceremony: PasskeyCeremony,
    challenge: string,
    options: { readonly accountId?: string; readonly lifetimeSeconds: number },
  ): Promise<string>;
  /**
   * Takes the challenge once: AlreadyUsedError the second time, ExpiredError after its lifetime,
   * NotFoundError for an id never issued or issued for the other ceremony.
   */
  take(
    id: string,
    ceremony: PasskeyCeremony,
  ): Promise<{ readonly challenge: string; readonly accountId?: string }>;
}

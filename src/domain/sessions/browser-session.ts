import { DomainError } from '../errors.ts';
import type { AuthorizationRequest } from '../oidc/authorization-request.ts';
import type { Reauthentication } from './recent-authentication.ts';

/** How the patient proved who they are in this session, for the vector of trust (`Cp`, `Cd`...). */
export interface SessionAuthentication {
  readonly accountId: string;
  /** The account's session generation at login; a revocation raises the account's and ends this session. */
  readonly generation: number;
  /**
   * Epoch seconds of the login's first step: the password check, or the passkey's use (a passkey
   * login has no password step). The ID token's `auth_time`.
   */
  readonly passwordAt: number;
  /**
   * The second factor, once passed: a texted or emailed code, a remembered device, a login a
   * partner service handed over with `asserted_login_identity` (its second factor was passed there),
   * or `passkey`: a passkey stood for the whole login (`Cm`, with no password).
   */
  readonly secondFactor?:
    | 'sms-code'
    | 'email-code'
    | 'app-code'
    | 'remembered-device'
    | 'asserted-login'
    | 'passkey';
  readonly secondFactorAt?: number;
  /**
   * The remembered device this login was made on (it stood for the code, or was remembered at
   * it): removing the device ends the session too.
   */
  readonly deviceId?: string;
  /** The passkey this login was made with: removing the passkey ends the session too. */
  readonly passkeyId?: string;
}

/** What a journey in progress keeps between pages (never a password, a code or a link's token). */
export interface JourneyState {
  /** The address a confirmation link was just sent to, for the "check your email" page. */
  readonly registrationEmail?: string;
  /**
   * The digest of a pending registration's link whose password this browser gave at login (never
   * the token): it may have the confirmation email sent again.
   */
  readonly registrationLink?: string;
  /** The "check your email" page is shown after a login before the email was confirmed. */
  readonly registrationAtLogin?: boolean;
  /** The address a password reset or unlock link was asked for, for the "check your email" page. */
  readonly resetEmail?: string;
  /** A reset or unlock opened from its emailed link in this browser: the link's digest, never its token. */
  readonly recovery?: {
    readonly purpose: 'reset-password' | 'unlock-account';
    readonly linkDigest: string;
    readonly secondFactorPassed?: boolean | undefined;
  };
  /** A "this was not me" link putting an old address back, by the link's digest (never its token). */
  readonly emailReport?: { readonly linkDigest: string; readonly secondFactorPassed: boolean };
  /** Where a re-authentication goes once done (a settings page id from a fixed list). */
  readonly reauthenticateFor?: string;
  /** The phone number being added or changed, before its code is entered (E.164). */
  readonly pendingPhoneNumber?: string;
  /** Where the last code of a step went, masked ("ending 123"), for its code page. */
  readonly codeSentTo?: string;
  /** The factor a step's code page asks for: the phone's text, or the authenticator app's code. */
  readonly codeFactor?: 'sms' | 'app';
  /** A code that could not be sent because a limit refused it: the code page says why and offers what else works. */
  readonly codeNotSent?: {
    readonly what: string;
    readonly retryAt: number;
    /** The channel the limit refused, when it is not the one the code page is for. */
    readonly channel?: 'sms' | 'email';
    /** The limit was one channel's (a destination's day, the texts' caps): the other channel may still work. */
    readonly otherChannel?: boolean;
  };
  /** Where the code was last sent (`app`: the authenticator app shows it), so the code page can say so. */
  readonly codeChannel?: 'sms' | 'email' | 'app';
}

/** A browser session: server-side state behind a random id in a cookie. */
export interface BrowserSession {
  readonly csrfToken: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
  readonly authentication?: SessionAuthentication;
  readonly journey: JourneyState;
  /** The relying party's request being served: kept through the login journey, cleared when answered. */
  readonly pendingAuthorization?: AuthorizationRequest;
  /**
   * The id of a page of ours (a route of the route table, never a URL) the patient opened before
   * logging in: where a login with no relying party waiting goes when it is finished.
   */
  readonly afterLogin?: string | undefined;
  /** A random id for the pending request, new for each: the pages of one request carry it. */
  readonly interactionId?: string;
  /**
   * A login a partner service handed over with `asserted_login_identity`: it answers the pending
   * request only, never our own pages nor another request, and leaves with the request. Whoever
   * is logged in to this browser stays logged in.
   */
  readonly handedOver?: SessionAuthentication;
  /** The password and second factor given again in this session, for the changes that need it. */
  readonly reauthenticated?: Reauthentication;
  /**
   * This browser unlocked an account by email link and second factor: until `until` (epoch
   * seconds) its password attempts for that account key are not held back by failures elsewhere.
   */
  readonly unlocked?: { readonly accountKey: string; readonly until: number };
}

/** Where sessions are kept, by the hash of their id (the id itself is never stored). */
export interface SessionStore {
  find(idHash: string): Promise<BrowserSession | undefined>;
  /**
   * Writes a new session, or replaces one that still exists; it is deleted by the store after
   * `expiresAt` (epoch seconds). Replacing a session that has been ended throws SessionEndedError,
   * so a request in flight cannot bring back a session a password reset ended.
   */
  save(idHash: string, session: BrowserSession, expiresAt: number, isNew: boolean): Promise<void>;
  delete(idHash: string): Promise<void>;
  /** Writes a new session and deletes the one it replaces (if any) together: both or neither. */
  replace(
    oldIdHash: string | undefined,
    idHash: string,
    session: BrowserSession,
    expiresAt: number,
  ): Promise<void>;
  /** Ends every session of an account (password reset, account deletion). */
  deleteForAccount(accountId: string): Promise<void>;
  /** Deletes the account's sessions logged in on the remembered device (`SessionAuthentication.deviceId`). */
  deleteForDevice(accountId: string, deviceId: string): Promise<void>;
  /** Deletes the account's sessions logged in with the passkey (`SessionAuthentication.passkeyId`). */
  deleteForPasskey(accountId: string, credentialId: string): Promise<void>;
}

/** The session was ended (logout, reset, expiry) while a request was using it. */
export class SessionEndedError extends DomainError {
  readonly code = 'session_ended';
  readonly status = 400;
}

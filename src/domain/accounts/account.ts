import { createHash } from 'node:crypto';
import type { VerifiedIdentity } from '../identity/verified-identity.ts';
import type { ProofingLevel } from '../oidc/vectors-of-trust.ts';

/** A patient's account. */
export interface Account {
  readonly accountId: string;
  /** The `sub` relying parties see: random, stable, never reassigned. */
  readonly subject: string;
  /** As the patient typed it, trimmed; unique by its normalised form. */
  readonly email: string;
  readonly passwordHash: string;
  /** E.164, once confirmed by a security code. */
  readonly phoneNumber?: string;
  /**
   * The number the account had before a run of changes whose undo links still work: undoing any
   * of them puts this one back, so a second change cannot make the first undo restore a number
   * the patient never had.
   */
  readonly phoneBeforeChanges?: { readonly phoneNumber: string; readonly until: string };
  readonly proofingLevel: ProofingLevel;
  /** What proving who they are established (P5 and up): the NHS number and the PDS details claims carry. */
  readonly identity?: VerifiedIdentity;
  /**
   * The account cannot be used with services: its PDS record has a problem (deceased, errors, or
   * used by someone else: CID2012), or ops suspended it while they look at a problem (CID2014).
   */
  readonly disabled?: { readonly reason: 'pds-record' | 'suspended'; readonly at: string };
  /**
   * An identity proven on this account that it could not take, because its NHS number is another
   * account's (one account per NHS number): the patient is told at once, or at the next login
   * when a reviewer approved it, and chooses to log in to the other account or replace it.
   */
  readonly heldIdentity?: HeldIdentity;
  /**
   * An authenticator app (TOTP) as the second factor, with its recovery codes: preferred to texts
   * at login when set up (docs/decisions.md, "The authenticator app").
   */
  readonly authenticatorApp?: AuthenticatorApp;
  /** Moves on at each use of the app or a recovery code: each use's write is conditional on it. */
  readonly authenticatorAppUses?: number;
  /** An app being set up: its secret, until the patient enters a first code from it. */
  readonly pendingAuthenticatorApp?: { readonly sealedSecret: string; readonly startedAt: string };
  /** ISO 8601. */
  readonly createdAt: string;
  /**
   * Raised each time every session is revoked (a password reset or change): a session logged in
   * under an earlier generation counts for nothing, even if its item survives or is written back.
   */
  readonly sessionGeneration?: number;
  /**
   * Support required a new password (issue 17): a login with the right password is sent to reset
   * it instead, and a new password (`updatePasswordHash`) lifts the requirement.
   */
  readonly passwordResetRequired?: { readonly at: string };
  /**
   * Support removed the account's second factors (a lost or stolen phone): it is P0 until the
   * patient proves who they are again, to the NHS number it keeps (another one is held for ops,
   * CID1101); proving it again (`setIdentity`) ends this.
   */
  readonly identityToProveAgain?: { readonly level: ProofingLevel; readonly at: string };
}

/** An authenticator app set up on an account. */
export interface AuthenticatorApp {
  /** The TOTP secret, sealed to its purpose and account (never kept in clear). */
  readonly sealedSecret: string;
  /** ISO 8601. */
  readonly addedAt: string;
  /** The last time step a code was accepted for: each step's code works once. */
  readonly lastTimeStep: number;
  /** SHA-256 digests of the recovery codes not used yet (each a single-use stand-in for a code). */
  readonly recoveryCodes: readonly string[];
}

/** A proven identity waiting for the patient's choice, because another account has its NHS number. */
export interface HeldIdentity {
  readonly level: ProofingLevel;
  readonly identity: VerifiedIdentity;
  /** The account that has the NHS number. */
  readonly otherAccountId: string;
  /** ISO 8601. */
  readonly at: string;
}

/** Email addresses are compared case-insensitively after trimming: one account each. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

/**
 * The key wrong passwords are counted under: a hash of the normalised address, so an address
 * without an account is throttled exactly like one with, and no address is kept in clear.
 */
export const passwordThrottleKey = (email: string): string =>
  createHash('sha256').update(normaliseEmail(email)).digest('base64url');

/** Where accounts are kept, with one account per email address. */
export interface AccountStore {
  /** Stores a new account; EmailAlreadyRegisteredError when its email address has an account. */
  create(account: Account): Promise<void>;
  findByEmail(email: string): Promise<Account | undefined>;
  findById(accountId: string): Promise<Account | undefined>;
  /** The account whose `sub` this is (access tokens name the subject, never the internal id). */
  findBySubject(subject: string): Promise<Account | undefined>;
  updatePasswordHash(accountId: string, passwordHash: string): Promise<void>;
  /** Sets the number, and with `before` the number to put back if a change is undone (see `phoneBeforeChanges`). */
  setPhoneNumber(
    accountId: string,
    phoneNumber: string,
    before?: { readonly phoneNumber: string; readonly until: string },
  ): Promise<void>;
  /**
   * Records what proving who they are established, at `level`; a level is never lowered (a P9
   * account checking its details again stays P9). The NHS number is claimed for the account in
   * the same write (and a number it had before released), and the GP details it was proved with
   * (`identity.gpLink`): NhsNumberTakenError when another account has the number,
   * GpDetailsUsedError when another account used the GP details; nothing is written then.
   */
  setIdentity(accountId: string, level: ProofingLevel, identity: VerifiedIdentity): Promise<void>;
  /** Keeps an identity the account could not take (see `heldIdentity`), or with undefined forgets it. */
  holdIdentity(accountId: string, held: HeldIdentity | undefined): Promise<void>;
  /**
   * One account replaces another with the same NHS number, in one write: the NHS number claim and
   * the replaced account's GP details claim move to `replacing`, which takes `level` and
   * `identity` and forgets its held identity; the replaced account and its email claim are
   * deleted. ConflictError when either account changed since it was read (nothing is written).
   * What the replaced account leaves (sessions, devices, consents, links) is deleted by
   * `finishReplacing`, which a marker written here makes sure runs to the end.
   */
  replace(
    replacing: Account,
    replaced: Account,
    level: ProofingLevel,
    identity: VerifiedIdentity,
    context: { readonly at: string; readonly sourceIp?: string },
  ): Promise<void>;
  /**
   * Deletes what accounts replaced by this one left behind (their audit events are kept, expiring
   * after their retention), then calls `notify` with each one's address, and only then forgets
   * it; returns the ids of those it finished. Safe to run again: an interrupted run is finished
   * (and its address told) by the next.
   */
  finishReplacing(
    accountId: string,
    notify: (replaced: { readonly email: string }) => Promise<void>,
  ): Promise<string[]>;
  /** Marks the account unusable with services, for the reason given (see `disabled`). */
  disable(accountId: string, disabled: NonNullable<Account['disabled']>): Promise<void>;
  /** Lifts a suspension; the caller has checked that the account is suspended (never disabled by its PDS record). */
  liftSuspension(accountId: string): Promise<void>;
  /** Requires a new password before the next login (see `passwordResetRequired`). */
  requirePasswordReset(accountId: string, at: string): Promise<void>;
  /**
   * Removes the mobile number and the authenticator app, and lowers the account to P0 until it
   * proves who it is again (see `identityToProveAgain`); its identity and NHS number stay.
   */
  removeSecondFactors(
    accountId: string,
    toProveAgain: NonNullable<Account['identityToProveAgain']>,
  ): Promise<void>;
  /** Makes every session logged in so far unusable, whatever the session store says; returns the new generation. */
  revokeSessions(accountId: string): Promise<number>;
  /** Keeps (or with undefined forgets) the secret of an app being set up. */
  setPendingAuthenticatorApp(accountId: string, pending: Account['pendingAuthenticatorApp']): Promise<void>;
  /** Sets up (or with undefined removes) the account's app, forgetting any pending one. */
  setAuthenticatorApp(accountId: string, app: AuthenticatorApp | undefined): Promise<void>;
  /**
   * Records a use of the app (a new last time step) or of a recovery code (the codes left), if the
   * account's `authenticatorAppUses` is still `expectedUses`: false when another use came first.
   */
  recordAuthenticatorAppUse(accountId: string, expectedUses: number, app: AuthenticatorApp): Promise<boolean>;
  /** Moves the account to a new email address; EmailAlreadyRegisteredError when that address has an account. */
  changeEmail(accountId: string, newEmail: string): Promise<void>;
  /** Deletes the account and everything kept under it (devices, codes, audit events) and its email claim. */
  delete(accountId: string): Promise<void>;
}

/** The account's session generation: every login records it, and revoking its sessions moves it on. */
export const sessionGenerationOf = (account: Pick<Account, 'sessionGeneration'>): number =>
  account.sessionGeneration ?? 0;

/**
 * Whether a login (a session, a grant, an ID token) made at `generation` still stands for the
 * account: not once its sessions have been revoked since (a password reset or change, "log out
 * everywhere"). A login recorded before generations were kept counts as generation 0.
 */
export const loginStands = (
  account: Pick<Account, 'sessionGeneration'> | undefined,
  generation: number | undefined,
): account is Pick<Account, 'sessionGeneration'> =>
  account !== undefined && sessionGenerationOf(account) === (generation ?? 0);

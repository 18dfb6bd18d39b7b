import { DomainError } from '../errors.ts';

/**
 * What a member of staff may do in the review console. A reviewer decides photo-ID checks; a
 * supervisor also reassigns them and sees who decided what; support looks accounts up (issue 17)
 * and sees the queue, but never a check's media or a decision form.
 */
export const staffRoles = {
  reviewer: 'Reviewer',
  supervisor: 'Supervisor',
  support: 'Support',
} as const;

export type StaffRole = keyof typeof staffRoles;

export const isStaffRole = (value: unknown): value is StaffRole =>
  typeof value === 'string' && Object.hasOwn(staffRoles, value);

/** The console's actions, each allowed to some roles only (`staffMay`). */
export type StaffAction =
  | 'view-queue'
  | 'open-check'
  | 'decide'
  | 'reassign'
  | 'view-decisions'
  | 'support-accounts';

const allowed: Readonly<Record<StaffAction, readonly StaffRole[]>> = {
  'view-queue': ['reviewer', 'supervisor', 'support'],
  'open-check': ['reviewer', 'supervisor'],
  decide: ['reviewer', 'supervisor'],
  reassign: ['supervisor'],
  'view-decisions': ['supervisor'],
  /** Look patients' accounts up and take the support actions (suspend, force a reset...). */
  'support-accounts': ['support'],
};

export const staffMay = (role: StaffRole, action: StaffAction): boolean => allowed[action].includes(role);

/**
 * A member of staff: kept apart from patients (their own items, sessions, cookie and host), by
 * their work email address. The password is an argon2id hash; the authenticator's secret is
 * sealed with the staff secrets key, never stored in the clear.
 */
export interface StaffAccount {
  readonly staffId: string;
  /** Lower case: the name they log in with. */
  readonly email: string;
  /** Shown beside their decisions and in the audit trail. */
  readonly name: string;
  readonly role: StaffRole;
  readonly passwordHash: string;
  readonly sealedTotpSecret: string;
  /** The time step of the last authenticator code accepted: a code is never taken twice. */
  readonly lastTotpStep?: number;
  readonly disabled?: boolean;
  /** Raised by every reset of the password and key: a session from before it ends at its next request. */
  readonly credentialsVersion?: number;
  /** ISO 8601. */
  readonly createdAt: string;
}

/** The staff's own store, apart from the patients'. */
export interface StaffAccountStore {
  /** ConflictError when the email address has an account already. */
  create(account: StaffAccount): Promise<void>;
  findByEmail(email: string): Promise<StaffAccount | undefined>;
  findById(staffId: string): Promise<StaffAccount | undefined>;
  list(): Promise<StaffAccount[]>;
  /**
   * Records the time step of an accepted code, if it is later than the last one: false when
   * another request took this step or a later one first (the code is refused as used).
   */
  acceptTotpStep(staffId: string, step: number): Promise<boolean>;
  setDisabled(staffId: string, disabled: boolean): Promise<void>;
  /** A new password hash and authenticator secret (a reset by an administrator). */
  replaceCredentials(staffId: string, passwordHash: string, sealedTotpSecret: string): Promise<void>;
}

/** The authenticator secret's sealing context: its purpose and whose it is. */
export const totpSecretContext = (staffId: string) => ({ purpose: 'staff-totp-secret', staffId }) as const;

/** A member of staff tried something their role does not allow, or a check that is not theirs to see. */
export class StaffNotAllowedError extends DomainError {
  readonly code = 'staff_not_allowed';
  readonly status = 403;
}

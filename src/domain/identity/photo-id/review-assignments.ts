import type { StaffRole } from '../../staff/staff-account.ts';

/**
 * Who has reviewed an account's photo-ID checks, and who its waiting check is given to: the
 * console's own record, apart from the check the workflow writes.
 */
export interface ReviewAssignment {
  readonly accountId: string;
  /** Staff ids of everyone who decided one of the account's submissions. */
  readonly decidedBy: readonly string[];
  /** A supervisor gave the waiting submission to this member of staff. */
  readonly assignedTo?: string;
  readonly assignedBy?: string;
  readonly assignedAt?: string;
}

export interface ReviewAssignmentStore {
  /** The assignments of the accounts given, by account id (none for an account never reviewed). */
  find(accountIds: readonly string[]): Promise<ReadonlyMap<string, ReviewAssignment>>;
  /** Adds a decider; the submission they decided is no longer assigned to anyone. */
  recordDecision(accountId: string, staffId: string): Promise<void>;
  assign(accountId: string, assignment: { staffId: string; by: string; at: string }): Promise<void>;
}

/**
 * Whether a check is a member of staff's to review. A supervisor sees every check. A check given
 * to someone is theirs alone; otherwise it is for every reviewer who has not decided one of the
 * account's earlier submissions: a second look is always by a different person, unless a
 * supervisor gives it back.
 */
export const isReviewableBy = (
  staff: { readonly staffId: string; readonly role: StaffRole },
  assignment: ReviewAssignment | undefined,
): boolean => {
  if (staff.role === 'supervisor') return true;
  if (assignment?.assignedTo !== undefined) return assignment.assignedTo === staff.staffId;
  return !assignment?.decidedBy.includes(staff.staffId);
};

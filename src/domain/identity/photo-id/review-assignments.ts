import type { StaffRole } from '../../staff/staff-account.ts';

/** One submission of an account's photo-ID check. */
export interface SubmissionRef {
  readonly checkId: string;
  readonly attempt: number;
}

/**
 * Who has reviewed an account's photo-ID checks, and who its waiting submission is given to: the
 * console's own record, apart from the check the workflow writes.
 */
export interface ReviewAssignment {
  readonly accountId: string;
  /** Everyone who decided one of the account's submissions, and which. */
  readonly deciders: readonly (SubmissionRef & { readonly staffId: string })[];
  /** A supervisor gave this submission (and only it) to this member of staff. */
  readonly assigned?: SubmissionRef & { readonly staffId: string; readonly by: string; readonly at: string };
}

export interface ReviewAssignmentStore {
  /** The assignments of the accounts given, by account id (none for an account never reviewed). */
  find(accountIds: readonly string[]): Promise<ReadonlyMap<string, ReviewAssignment>>;
  /**
   * Records who is deciding a submission (before the decision is sent, so a decision that reaches
   * the workflow is always recorded); the submission is no longer assigned to anyone.
   */
  recordDecision(accountId: string, decider: SubmissionRef & { readonly staffId: string }): Promise<void>;
  assign(
    accountId: string,
    assignment: SubmissionRef & { readonly staffId: string; readonly by: string; readonly at: string },
  ): Promise<void>;
}

/**
 * Whether a submission is a member of staff's to review. A supervisor sees every one. A submission
 * given to an active member of staff is theirs alone (an assignment of another submission, or to
 * someone disabled since, counts for nothing); otherwise it is for every reviewer who has not
 * decided another of the account's submissions: a second look is always by a different person,
 * unless a supervisor gives it back.
 */
export const isReviewableBy = (
  staff: { readonly staffId: string; readonly role: StaffRole },
  assignment: ReviewAssignment | undefined,
  submission: SubmissionRef,
  isActive: (staffId: string) => boolean,
): boolean => {
  if (staff.role === 'supervisor') return true;
  const same = (other: SubmissionRef) =>
    other.checkId === submission.checkId && other.attempt === submission.attempt;
  const assigned = assignment?.assigned;
  if (assigned && same(assigned) && isActive(assigned.staffId)) return assigned.staffId === staff.staffId;
  return !assignment?.deciders.some((decider) => decider.staffId === staff.staffId && !same(decider));
};

/** Who a submission is given to, if the assignment is for it and its assignee is still active. */
export const assigneeOf = (
  assignment: ReviewAssignment | undefined,
  submission: SubmissionRef,
  isActive: (staffId: string) => boolean,
): string | undefined => {
  const assigned = assignment?.assigned;
  return assigned &&
    assigned.checkId === submission.checkId &&
    assigned.attempt === submission.attempt &&
    isActive(assigned.staffId)
    ? assigned.staffId
    : undefined;
};

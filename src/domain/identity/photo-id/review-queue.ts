import type { PhotoIdCheck } from './photo-id-check.ts';

/** One check in the reviewers' queue, as the console lists it. */
export interface QueuedCheck {
  readonly accountId: string;
  readonly checkId: string;
  readonly attempt: number;
  readonly submittedAt: string;
  readonly deadline: string;
  /** Minutes to the deadline, rounded down; negative once it has passed. */
  readonly minutesLeft: number;
  /** Past its deadline (by the clock, or as the workflow's escalation marked it). */
  readonly overdue: boolean;
  /** A reviewer can decide it now: the workflow is waiting with a task token. */
  readonly decidable: boolean;
}

/**
 * The review queue (issue 15's console lists it): the checks waiting for a reviewer, the overdue
 * ones first, most overdue first, then by deadline, with the time left by the same stored
 * deadline the workflow's timer and the metrics use.
 */
export const reviewQueue = (checks: readonly PhotoIdCheck[], now: Date): QueuedCheck[] =>
  checks
    .filter(
      (check): check is PhotoIdCheck & { deadline: string; submittedAt: string } =>
        (check.state === 'submitted' || check.state === 'in-review') &&
        check.deadline !== undefined &&
        check.submittedAt !== undefined,
    )
    .map((check) => {
      const minutesLeft = Math.floor((Date.parse(check.deadline) - now.getTime()) / 60_000);
      return {
        accountId: check.accountId,
        checkId: check.checkId,
        attempt: check.attempt,
        submittedAt: check.submittedAt,
        deadline: check.deadline,
        minutesLeft,
        overdue: minutesLeft < 0 || check.overdue === true,
        decidable: check.state === 'in-review' && check.taskToken !== undefined,
      };
    })
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        Date.parse(a.deadline) - Date.parse(b.deadline) ||
        a.checkId.localeCompare(b.checkId),
    );

import { ConflictError } from '../../domain/errors.ts';
import type {
  ReviewAssignment,
  ReviewAssignmentStore,
  SubmissionRef,
} from '../../domain/identity/photo-id/review-assignments.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type AssignmentItem = Item & { readonly assignment: ReviewAssignment; readonly version: number };

/** Tries a versioned change a few times: two supervisors or reviewers at once both land. */
const ATTEMPTS = 5;

const same = (a: SubmissionRef, b: SubmissionRef) => a.checkId === b.checkId && a.attempt === b.attempt;

/**
 * Who reviewed an account's photo-ID checks, one item under the account (deleted with it), written
 * whole with a version.
 */
export class DynamoReviewAssignmentStore implements ReviewAssignmentStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async find(accountIds: readonly string[]): Promise<ReadonlyMap<string, ReviewAssignment>> {
    const items = await Promise.all(
      [...new Set(accountIds)].map((accountId) =>
        this.#table.get<AssignmentItem>(keys.photoIdReviewers(accountId)),
      ),
    );
    return new Map(
      items.flatMap((item) => (item ? [[item.assignment.accountId, item.assignment] as const] : [])),
    );
  }

  async recordDecision(
    accountId: string,
    decider: SubmissionRef & { readonly staffId: string },
  ): Promise<void> {
    await this.#change(accountId, ({ assigned, ...rest }) => ({
      ...rest,
      ...(assigned && !same(assigned, decider) ? { assigned } : {}),
      deciders: rest.deciders.some((known) => known.staffId === decider.staffId && same(known, decider))
        ? rest.deciders
        : [...rest.deciders, decider],
    }));
  }

  async assign(
    accountId: string,
    assignment: SubmissionRef & { readonly staffId: string; readonly by: string; readonly at: string },
  ): Promise<void> {
    await this.#change(accountId, (current) => ({ ...current, assigned: assignment }));
  }

  async #change(accountId: string, change: (current: ReviewAssignment) => ReviewAssignment): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const item = await this.#table.get<AssignmentItem>(keys.photoIdReviewers(accountId));
      const current = item?.assignment ?? { accountId, deciders: [] };
      const written = await this.#table.putIfVersion(
        { ...keys.photoIdReviewers(accountId), assignment: change(current) },
        item?.version ?? 0,
      );
      if (written) return;
    }
    throw new ConflictError('The review record kept changing: try again.');
  }
}

import { ConflictError } from '../../domain/errors.ts';
import type {
  ReviewAssignment,
  ReviewAssignmentStore,
} from '../../domain/identity/photo-id/review-assignments.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type AssignmentItem = Item & { readonly assignment: ReviewAssignment; readonly version: number };

/** Tries a versioned change a few times: two supervisors or reviewers at once both land. */
const ATTEMPTS = 5;

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

  async recordDecision(accountId: string, staffId: string): Promise<void> {
    await this.#change(accountId, ({ assignedTo: _to, assignedBy: _by, assignedAt: _at, ...rest }) => ({
      ...rest,
      decidedBy: rest.decidedBy.includes(staffId) ? rest.decidedBy : [...rest.decidedBy, staffId],
    }));
  }

  async assign(accountId: string, assignment: { staffId: string; by: string; at: string }): Promise<void> {
    await this.#change(accountId, (current) => ({
      ...current,
      assignedTo: assignment.staffId,
      assignedBy: assignment.by,
      assignedAt: assignment.at,
    }));
  }

  async #change(accountId: string, change: (current: ReviewAssignment) => ReviewAssignment): Promise<void> {
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const item = await this.#table.get<AssignmentItem>(keys.photoIdReviewers(accountId));
      const current = item?.assignment ?? { accountId, decidedBy: [] };
      const written = await this.#table.putIfVersion(
        { ...keys.photoIdReviewers(accountId), assignment: change(current) },
        item?.version ?? 0,
      );
      if (written) return;
    }
    throw new ConflictError('The review record kept changing: try again.');
  }
}

import {
  inProgressStates,
  type PhotoIdCheck,
  type PhotoIdCheckStore,
} from '../../domain/identity/photo-id/photo-id-check.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type CheckItem = Item & PhotoIdCheck;

const checkOf = ({ pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ...check }: CheckItem): PhotoIdCheck =>
  check as PhotoIdCheck;

/**
 * Each account's photo-ID check, one item under the account (so deleting the account deletes
 * it), written whole with a version; while it waits for a reviewer it is in the review queue
 * (gsi1, by deadline), and leaves it with the write that decides it.
 */
export class DynamoPhotoIdCheckStore implements PhotoIdCheckStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async current(accountId: string): Promise<PhotoIdCheck | undefined> {
    const item = await this.#table.get<CheckItem>(keys.photoIdCheck(accountId));
    return item ? checkOf(item) : undefined;
  }

  async save(check: PhotoIdCheck): Promise<boolean> {
    const queued =
      inProgressStates.includes(check.state) && check.deadline
        ? { gsi1pk: keys.photoIdReviewQueue, gsi1sk: `${check.deadline}#${check.checkId}` }
        : {};
    const { version, ...rest } = check;
    return this.#table.putIfVersion({ ...keys.photoIdCheck(check.accountId), ...rest, ...queued }, version);
  }

  async waiting(): Promise<PhotoIdCheck[]> {
    // The index is eventually consistent: each entry is read again, and kept only if still waiting.
    const entries = await this.#table.queryIndex<CheckItem>('gsi1', keys.photoIdReviewQueue);
    const checks = await Promise.all(entries.map((entry) => this.current(entry.accountId)));
    return checks.filter(
      (check): check is PhotoIdCheck => check !== undefined && inProgressStates.includes(check.state),
    );
  }
}

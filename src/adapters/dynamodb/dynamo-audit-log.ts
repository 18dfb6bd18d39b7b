import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import type {
  AddressEvent,
  AuditEvent,
  CollectedWork,
  CollectingAuditLog,
} from '../../domain/audit/audit-log.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type AuditItem = Item & { event: AuditEvent };

/** How long events of an address without an account are kept. */
const addressEventDays = 30;

/**
 * Audit events under their account's partition, ordered by time; deleted with the account. Events
 * of an address without an account go under the address's digest and expire after 30 days.
 * Inside `collect`, events are kept and written in one BatchWriteItem when the work is done.
 */
export class DynamoAuditLog implements CollectingAuditLog {
  readonly #table: DynamoTable;
  /** The items recorded by the work in progress, per request (each `collect` has its own). */
  readonly #collecting = new AsyncLocalStorage<Item[]>();

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#write({
      ...keys.auditEvent(event.accountId, event.at, randomBytes(6).toString('base64url')),
      event,
    });
  }

  async recordForAddress({ address, ...event }: AddressEvent): Promise<void> {
    // The same one write as `record`; the address itself is only in the key, as a digest.
    await this.#write({
      ...keys.addressEvent(address, event.at, randomBytes(6).toString('base64url')),
      event,
      expiresAt: Math.floor(Date.parse(event.at) / 1000) + addressEventDays * 86_400,
    });
  }

  async collect<T>(work: () => Promise<T>): Promise<CollectedWork<T>> {
    const items: Item[] = [];
    const [outcome] = await Promise.allSettled([this.#collecting.run(items, work)]);
    return {
      outcome,
      write: async () => {
        // One item is a plain put; several, one batch (up to 25 a call).
        const kept = items.splice(0);
        if (kept.length === 1) await this.#table.put(kept[0] as Item);
        else if (kept.length > 1) await this.#table.putAll(kept);
      },
    };
  }

  async recent(accountId: string, limit: number): Promise<AuditEvent[]> {
    const items = await this.#table.queryPartition<AuditItem>(
      keys.account(accountId).pk,
      accountItems.audit,
      {
        limit,
        descending: true,
      },
    );
    return items.map((item) => item.event);
  }

  async #write(item: Item): Promise<void> {
    const collecting = this.#collecting.getStore();
    if (collecting) collecting.push(item);
    else await this.#table.put(item);
  }
}

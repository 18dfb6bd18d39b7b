import { randomBytes } from 'node:crypto';
import type { AddressEvent, AuditEvent, AuditLog } from '../../domain/audit/audit-log.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type AuditItem = Item & { event: AuditEvent };

/** Events recorded by this container so far: the order of events within one millisecond. */
let recorded = 0;

/**
 * An event's id, after its time in the key: the container's count first, so events recorded in
 * the same millisecond (a request's several, written together) keep the order they happened in,
 * then random bytes, so two containers never make the same id.
 */
const nextEventId = (): string => {
  recorded += 1;
  return `${recorded.toString(36).padStart(8, '0')}${randomBytes(4).toString('base64url')}`;
};

/** How long events of an address without an account are kept. */
const addressEventDays = 30;

/**
 * How long an account's events are kept (docs/limits.md): two years, for support look-ups and
 * security reviews; keeping them longer is an export's job (docs/operations.md), not the table's.
 */
export const accountEventDays = 730;

const expiryOf = (at: string, days: number): number => Math.floor(Date.parse(at) / 1000) + days * 86_400;

/**
 * Audit events under their account's partition, ordered by time; deleted with the account, and
 * expiring after `accountEventDays`. Events
 * of an address without an account go under the address's digest and expire after 30 days.
 * Inside collected work (`DynamoTable.collect`) an event is written when the work is done, with
 * the request's other writes (`putLater`).
 */
export class DynamoAuditLog implements AuditLog {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#table.putLater({
      ...keys.auditEvent(event.accountId, event.at, nextEventId()),
      event,
      expiresAt: expiryOf(event.at, accountEventDays),
    });
  }

  async recordForAddress({ address, ...event }: AddressEvent): Promise<void> {
    // The same one write as `record`; the address itself is only in the key, as a digest.
    await this.#table.putLater({
      ...keys.addressEvent(address, event.at, nextEventId()),
      event,
      expiresAt: expiryOf(event.at, addressEventDays),
    });
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
}

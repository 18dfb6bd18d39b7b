import { randomBytes } from 'node:crypto';
import type { AddressEvent, AuditEvent, AuditLog } from '../../domain/audit/audit-log.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type AuditItem = Item & { event: AuditEvent };

/** How long events of an address without an account are kept. */
const addressEventDays = 30;

/**
 * Audit events under their account's partition, ordered by time; deleted with the account. Events
 * of an address without an account go under the address's digest and expire after 30 days.
 */
export class DynamoAuditLog implements AuditLog {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async record(event: AuditEvent): Promise<void> {
    await this.#table.put({
      ...keys.auditEvent(event.accountId, event.at, randomBytes(6).toString('base64url')),
      event,
    });
  }

  async recordForAddress({ address, ...event }: AddressEvent): Promise<void> {
    // The same one write as `record`; the address itself is only in the key, as a digest.
    await this.#table.put({
      ...keys.addressEvent(address, event.at, randomBytes(6).toString('base64url')),
      event,
      expiresAt: Math.floor(Date.parse(event.at) / 1000) + addressEventDays * 86_400,
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

import { randomBytes } from 'node:crypto';
import type { AuditEvent, AuditLog } from '../../domain/audit/audit-log.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { accountItems, keys } from './keys.ts';

type AuditItem = Item & { event: AuditEvent };

/** Audit events under their account's partition, ordered by time; deleted with the account. */
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

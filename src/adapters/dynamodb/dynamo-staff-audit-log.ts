import { randomBytes } from 'node:crypto';
import type { StaffAuditEvent, StaffAuditEventType, StaffAuditLog } from '../../domain/staff/staff-audit.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings, staffAuditDay } from './keys.ts';

type StaffAuditItem = Item & { readonly event: StaffAuditEvent };

const eventId = () => randomBytes(6).toString('base64url');

const newestFirst = (a: StaffAuditItem, b: StaffAuditItem) => b.sk.localeCompare(a.sk);

/**
 * Staff audit events, each written at once (a view is recorded before its page is shown), under
 * the day it happened (the supervisors' record) and, when about a patient's check, listed under
 * that account in gsi1. They are kept apart from the patients' own audit events and are not
 * deleted with a patient's account: they are the record of what staff did.
 */
export class DynamoStaffAuditLog implements StaffAuditLog {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async record(event: StaffAuditEvent): Promise<void> {
    const key = keys.staffAuditEvent(event.at.slice(0, 10), event.at, eventId());
    await this.#table.put({
      ...key,
      ...(event.accountId ? { gsi1pk: listings.staffAuditOfAccount(event.accountId), gsi1sk: key.sk } : {}),
      event,
    });
  }

  async forAccount(accountId: string, limit: number): Promise<StaffAuditEvent[]> {
    const items = await this.#table.queryIndex<StaffAuditItem>(
      'gsi1',
      listings.staffAuditOfAccount(accountId),
    );
    return items
      .sort(newestFirst)
      .slice(0, limit)
      .map((item) => item.event);
  }

  async onDays(days: readonly string[], types: readonly StaffAuditEventType[]): Promise<StaffAuditEvent[]> {
    const perDay = await Promise.all(
      days.map((day) => this.#table.queryPartition<StaffAuditItem>(staffAuditDay(day), '')),
    );
    return perDay
      .flat()
      .filter((item) => types.includes(item.event.type))
      .sort(newestFirst)
      .map((item) => item.event);
  }
}

import { ConflictError } from '../../domain/errors.ts';
import type { StaffAccount, StaffAccountStore } from '../../domain/staff/staff-account.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type StaffItem = Item & { readonly account: StaffAccount; readonly version: number };
type EmailClaimItem = Item & { readonly staffId: string };

/**
 * Staff accounts, each an item of its own (never under a patient's partition), with a claim item
 * per work email address (one account each, found by a consistent read) and a listing in gsi1.
 * Each write is whole and versioned, so two logins cannot both take the same code's time step.
 */
export class DynamoStaffAccountStore implements StaffAccountStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async create(account: StaffAccount): Promise<void> {
    try {
      await this.#table.transact([
        { kind: 'create', item: { ...keys.staffEmailClaim(account.email), staffId: account.staffId } },
        { kind: 'create', item: this.#item(account, 1) },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new ConflictError('A member of staff has that email address already.', { cause: error });
      throw error;
    }
  }

  async findByEmail(email: string): Promise<StaffAccount | undefined> {
    const claim = await this.#table.get<EmailClaimItem>(keys.staffEmailClaim(email));
    return claim ? this.findById(claim.staffId) : undefined;
  }

  async findById(staffId: string): Promise<StaffAccount | undefined> {
    return (await this.#table.get<StaffItem>(keys.staffMember(staffId)))?.account;
  }

  async list(): Promise<StaffAccount[]> {
    const items = await this.#table.queryIndex<StaffItem>('gsi1', listings.staffMembers);
    return items.map((item) => item.account);
  }

  async acceptTotpStep(staffId: string, step: number): Promise<boolean> {
    return this.#change(staffId, (account) =>
      account.lastTotpStep !== undefined && account.lastTotpStep >= step
        ? undefined
        : { ...account, lastTotpStep: step },
    );
  }

  async setDisabled(staffId: string, disabled: boolean): Promise<void> {
    await this.#change(staffId, ({ disabled: _was, ...rest }) => (disabled ? { ...rest, disabled } : rest));
  }

  async replaceCredentials(staffId: string, passwordHash: string, sealedTotpSecret: string): Promise<void> {
    const changed = await this.#change(staffId, ({ lastTotpStep: _last, ...account }) => ({
      ...account,
      passwordHash,
      sealedTotpSecret,
      credentialsVersion: (account.credentialsVersion ?? 0) + 1,
    }));
    if (!changed) throw new ConflictError('The staff account changed meanwhile: run the reset again.');
  }

  /** Rewrites the account if it is unchanged since read; false when the change is refused or lost the race. */
  async #change(
    staffId: string,
    change: (account: StaffAccount) => StaffAccount | undefined,
  ): Promise<boolean> {
    const item = await this.#table.get<StaffItem>(keys.staffMember(staffId));
    if (!item) return false;
    const changed = change(item.account);
    if (!changed) return false;
    return this.#table.putIfVersion(this.#item(changed, item.version), item.version);
  }

  #item(account: StaffAccount, version: number): StaffItem {
    return {
      ...keys.staffMember(account.staffId),
      gsi1pk: listings.staffMembers,
      gsi1sk: account.email,
      account,
      version,
    };
  }
}

import { type Account, type AccountStore, normaliseEmail } from '../../domain/accounts/account.ts';
import { EmailAlreadyRegisteredError } from '../../domain/accounts/account-errors.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type AccountItem = Item & { account: Account };
type EmailClaimItem = Item & { accountId: string };

/** Accounts, each with a claim item on its normalised email, written in one transaction. */
export class DynamoAccountStore implements AccountStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async create(account: Account): Promise<void> {
    try {
      await this.#table.transact([
        {
          kind: 'create',
          item: { ...keys.emailClaim(normaliseEmail(account.email)), accountId: account.accountId },
        },
        { kind: 'create', item: { ...keys.account(account.accountId), account } },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const claim = await this.#table.get<EmailClaimItem>(keys.emailClaim(normaliseEmail(email)));
    return claim ? this.findById(claim.accountId) : undefined;
  }

  async findById(accountId: string): Promise<Account | undefined> {
    return (await this.#table.get<AccountItem>(keys.account(accountId)))?.account;
  }

  async updatePasswordHash(accountId: string, passwordHash: string): Promise<void> {
    await this.#change(accountId, (account) => ({ ...account, passwordHash }));
  }

  async setPhoneNumber(accountId: string, phoneNumber: string): Promise<void> {
    await this.#change(accountId, (account) => ({ ...account, phoneNumber }));
  }

  async changeEmail(accountId: string, newEmail: string): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    try {
      await this.#table.transact([
        { kind: 'create', item: { ...keys.emailClaim(normaliseEmail(newEmail)), accountId } },
        { kind: 'delete', key: keys.emailClaim(normaliseEmail(account.email)) },
        {
          kind: 'put',
          item: { ...keys.account(accountId), account: { ...account, email: newEmail.trim() } },
        },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  async delete(accountId: string): Promise<void> {
    const account = await this.findById(accountId);
    const items = await this.#table.queryPartition(keys.account(accountId).pk, '');
    await this.#table.deleteAll([
      ...(account ? [keys.emailClaim(normaliseEmail(account.email))] : []),
      ...items.map((item) => ({ pk: item.pk, sk: item.sk })),
    ]);
  }

  async #change(accountId: string, change: (account: Account) => Account): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    await this.#table.update(keys.account(accountId), { account: change(account) });
  }
}

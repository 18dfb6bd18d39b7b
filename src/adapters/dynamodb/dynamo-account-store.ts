import { type Account, type AccountStore, normaliseEmail } from '../../domain/accounts/account.ts';
import { EmailAlreadyRegisteredError } from '../../domain/accounts/account-errors.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { VerifiedIdentity } from '../../domain/identity/verified-identity.ts';
import { higherProofingLevel, type ProofingLevel } from '../../domain/oidc/vectors-of-trust.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys, listings } from './keys.ts';

type AccountItem = Item & Account;
type EmailClaimItem = Item & { accountId: string };

/** An account id no account has (ids are UUIDs), read in place of one when an address has none. */
const noAccount = 'no-account';

const toAccount = ({
  pk: _pk,
  sk: _sk,
  gsi1pk: _gsi1pk,
  gsi1sk: _gsi1sk,
  ...account
}: AccountItem): Account => account;

/**
 * Accounts, each with a claim item on its normalised email written in the same transaction.
 * Fields are top-level attributes, changed one at a time, so concurrent changes never undo each
 * other and a deleted account cannot be written back.
 */
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
        {
          kind: 'create',
          item: {
            ...keys.account(account.accountId),
            ...account,
            gsi1pk: listings.subject(account.subject),
            gsi1sk: 'ACCOUNT',
          },
        },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const claim = await this.#table.get<EmailClaimItem>(keys.emailClaim(normaliseEmail(email)));
    // Two reads whether or not the address has an account, so the time taken gives nothing away.
    const account = await this.findById(claim?.accountId ?? noAccount);
    return claim ? account : undefined;
  }

  async findById(accountId: string): Promise<Account | undefined> {
    const item = await this.#table.get<AccountItem>(keys.account(accountId));
    return item && toAccount(item);
  }

  async findBySubject(subject: string): Promise<Account | undefined> {
    const [item] = await this.#table.queryIndex<AccountItem>('gsi1', listings.subject(subject));
    return item && toAccount(item);
  }

  async updatePasswordHash(accountId: string, passwordHash: string): Promise<void> {
    await this.#table.update(keys.account(accountId), { passwordHash });
  }

  async setPhoneNumber(
    accountId: string,
    phoneNumber: string,
    before?: { readonly phoneNumber: string; readonly until: string },
  ): Promise<void> {
    await this.#table.update(keys.account(accountId), {
      phoneNumber,
      ...(before ? { phoneBeforeChanges: before } : {}),
    });
  }

  async setIdentity(accountId: string, level: ProofingLevel, identity: VerifiedIdentity): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    await this.#table.update(keys.account(accountId), {
      proofingLevel: higherProofingLevel(level, account.proofingLevel),
      identity,
    });
  }

  async disable(accountId: string, disabled: NonNullable<Account['disabled']>): Promise<void> {
    await this.#table.update(keys.account(accountId), { disabled });
  }

  async revokeSessions(accountId: string): Promise<number> {
    const item = await this.#table.incrementIfPresent<AccountItem>(
      keys.account(accountId),
      'sessionGeneration',
      1,
    );
    if (!item) throw new ConflictError('The account does not exist.');
    return item.sessionGeneration ?? 1;
  }

  async changeEmail(accountId: string, newEmail: string): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    try {
      await this.#table.transact([
        { kind: 'create', item: { ...keys.emailClaim(normaliseEmail(newEmail)), accountId } },
        { kind: 'delete', key: keys.emailClaim(normaliseEmail(account.email)) },
        // Only from the address just read: a concurrent change makes this one fail whole.
        {
          kind: 'update',
          key: keys.account(accountId),
          attributes: { email: newEmail.trim() },
          matching: { email: account.email },
        },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  /** Deletes the account's partition, its email claim, and any link still pending for it. */
  async delete(accountId: string): Promise<void> {
    const account = await this.findById(accountId);
    const [items, links] = await Promise.all([
      this.#table.queryPartition(keys.account(accountId).pk, ''),
      this.#table.queryIndex('gsi1', listings.accountLinks(accountId)),
    ]);
    await this.#table.deleteAll([
      ...(account ? [keys.emailClaim(normaliseEmail(account.email))] : []),
      ...[...items, ...links].map((item) => ({ pk: item.pk, sk: item.sk })),
    ]);
  }
}

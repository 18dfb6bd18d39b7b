import { epochSeconds } from '../../domain/clock.ts';
import { AlreadyUsedError, ExpiredError, NotFoundError } from '../../domain/errors.ts';
import {
  NoSecurityCodeError,
  SecurityCodeUsedError,
} from '../../domain/security-codes/security-code-errors.ts';
import type {
  IssuedSecurityCode,
  SecurityCodeChannel,
  SecurityCodePurpose,
  SecurityCodeStore,
} from '../../domain/security-codes/security-code-store.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

/**
 * How long an item outlives its code, so a late entry is told "expired" (not "no code") and a
 * second use "used"; TTL then deletes it.
 */
const keptAfterExpirySeconds = 3600;

type SecurityCodeItem = Item & {
  accountId: string;
  purpose: SecurityCodePurpose;
  channel: SecurityCodeChannel;
  codeId: string;
  salt: string;
  hash: string;
  issuedAt: number;
  validUntil: number;
  attempts: number;
  consumedAt?: number;
  expiresAt: number;
  /** The code this one replaced, as it was (null where it had no such attribute). */
  previousSalt?: string | null;
  previousHash?: string | null;
  previousValidUntil?: number | null;
  previousConsumedAt?: number | null;
};

/** One item per account and purpose; attempts counted with UpdateItem ADD, use by a conditional update. */
export class DynamoSecurityCodeStore implements SecurityCodeStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async save(code: IssuedSecurityCode): Promise<void> {
    const validUntil = epochSeconds(code.validUntil);
    // One write, as a put: the code it replaces is kept beside it, so an entry of that one is told why it fails.
    await this.#table.replaceKeeping(
      {
        ...keys.securityCode(code.accountId, code.purpose),
        accountId: code.accountId,
        purpose: code.purpose,
        channel: code.channel,
        codeId: code.codeId,
        salt: code.digest.salt,
        hash: code.digest.hash,
        issuedAt: epochSeconds(code.issuedAt),
        validUntil,
        attempts: code.attempts,
        expiresAt: validUntil + keptAfterExpirySeconds,
      } satisfies SecurityCodeItem,
      {
        previousSalt: 'salt',
        previousHash: 'hash',
        previousValidUntil: 'validUntil',
        previousConsumedAt: 'consumedAt',
      },
      ['consumedAt'],
    );
  }

  async countAttempt(
    accountId: string,
    purpose: SecurityCodePurpose,
  ): Promise<IssuedSecurityCode | undefined> {
    const item = await this.#table.incrementIfPresent<SecurityCodeItem>(
      keys.securityCode(accountId, purpose),
      'attempts',
      1,
    );
    return item && toIssuedCode(item);
  }

  async markUsed(accountId: string, purpose: SecurityCodePurpose, codeId: string): Promise<void> {
    try {
      await this.#table.consume(keys.securityCode(accountId, purpose), { matching: { codeId } });
    } catch (error) {
      if (error instanceof AlreadyUsedError) throw new SecurityCodeUsedError();
      // Replaced by a newer code, or gone (past even the kept hour).
      if (error instanceof NotFoundError || error instanceof ExpiredError) throw new NoSecurityCodeError();
      throw error;
    }
  }
}

const toIssuedCode = (item: SecurityCodeItem): IssuedSecurityCode => ({
  accountId: item.accountId,
  purpose: item.purpose,
  channel: item.channel,
  codeId: item.codeId,
  digest: { salt: item.salt, hash: item.hash },
  issuedAt: new Date(item.issuedAt * 1000),
  validUntil: new Date(item.validUntil * 1000),
  attempts: item.attempts,
  usedAt: item.consumedAt === undefined ? undefined : new Date(item.consumedAt * 1000),
  replaced:
    item.previousSalt && item.previousHash && item.previousValidUntil && !item.previousConsumedAt
      ? {
          digest: { salt: item.previousSalt, hash: item.previousHash },
          validUntil: new Date(item.previousValidUntil * 1000),
        }
      : undefined,
});

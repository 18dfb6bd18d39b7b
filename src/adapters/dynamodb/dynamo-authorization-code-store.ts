import type {
  AuthorizationCodeGrant,
  AuthorizationCodeStore,
  StoredAuthorizationCode,
} from '../../domain/oidc/grants/authorization-codes.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type AuthorizationCodeItem = Item & {
  grant: AuthorizationCodeGrant;
  codeChallenge?: string;
  expiresAt: number;
  consumedAt?: number;
};

/**
 * Authorization codes, one item each by digest, consumed by a conditional update. A redeemed
 * code stays (marked) until its expiry, so a second use within its life is recognised as one.
 */
export class DynamoAuthorizationCodeStore implements AuthorizationCodeStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async save(codeDigest: string, code: Omit<StoredAuthorizationCode, 'consumed'>): Promise<void> {
    await this.#table.create({
      ...keys.authorizationCode(codeDigest),
      grant: code.grant,
      codeChallenge: code.codeChallenge,
      expiresAt: code.expiresAt,
    } satisfies AuthorizationCodeItem);
  }

  async find(codeDigest: string): Promise<StoredAuthorizationCode | undefined> {
    const item = await this.#table.get<AuthorizationCodeItem>(keys.authorizationCode(codeDigest));
    if (!item) return undefined;
    return {
      grant: item.grant,
      codeChallenge: item.codeChallenge,
      expiresAt: item.expiresAt,
      consumed: item.consumedAt !== undefined,
    };
  }

  async consume(codeDigest: string): Promise<void> {
    await this.#table.consume(keys.authorizationCode(codeDigest));
  }
}

import type {
  AuthorizationCodeGrant,
  AuthorizationCodeStore,
  CodeRedemption,
  StoredAuthorizationCode,
} from '../../domain/oidc/grants/authorization-codes.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type AuthorizationCodeItem = Item & {
  grant: AuthorizationCodeGrant;
  codeChallenge?: string;
  binding?: string;
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
      binding: code.binding,
      expiresAt: code.expiresAt,
    } satisfies AuthorizationCodeItem);
  }

  async find(codeDigest: string): Promise<StoredAuthorizationCode | undefined> {
    return asCode(await this.#table.get<AuthorizationCodeItem>(keys.authorizationCode(codeDigest)));
  }

  async redeem(codeDigest: string, binding: string): Promise<CodeRedemption> {
    const { consumed, item } = await this.#table.consumeIf<AuthorizationCodeItem>(
      keys.authorizationCode(codeDigest),
      { binding },
    );
    return { redeemed: consumed, code: asCode(item) };
  }

  async consume(codeDigest: string): Promise<void> {
    await this.#table.consume(keys.authorizationCode(codeDigest));
  }
}

const asCode = (item: AuthorizationCodeItem | undefined): StoredAuthorizationCode | undefined =>
  item && {
    grant: item.grant,
    codeChallenge: item.codeChallenge,
    binding: item.binding,
    expiresAt: item.expiresAt,
    consumed: item.consumedAt !== undefined,
  };

import { setTimeout } from 'node:timers/promises';
import { ConflictError, ServiceUnavailableError } from '../../domain/errors.ts';
import type { Grant } from '../../domain/oidc/grants/grant.ts';
import type { RefreshTokenFamily, RefreshTokenStore } from '../../domain/oidc/grants/refresh-tokens.ts';
import type { DynamoTable, Item } from './dynamo-table.ts';
import { keys } from './keys.ts';

type FamilyItem = Item &
  (
    | { status: 'active'; grant: Grant; currentTokenDigest: string; expiresAt: number }
    | { status: 'revoked'; grantId: string; expiresAt: number }
  );

type TokenItem = Item & { grantId: string; expiresAt: number };

const revokeAttempts = 4;

/** Whether a store error is a transaction cancelled because another one held an item. */
const isTransactionConflict = (error: unknown): boolean => {
  const cause = error instanceof ServiceUnavailableError ? error.cause : undefined;
  const reasons = (cause as { CancellationReasons?: { Code?: string }[] } | undefined)?.CancellationReasons;
  return reasons?.some((reason) => reason.Code === 'TransactionConflict') ?? false;
};

/**
 * Refresh token families: one item per family holds the current token's digest and the status,
 * and every token has an item naming its family. Rotation is one transaction conditional on the
 * family's current token, so exactly one of concurrent rotations wins; revocation overwrites the
 * family item, so it also blocks a family that has not started yet.
 */
export class DynamoRefreshTokenStore implements RefreshTokenStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async startFamily(family: { grant: Grant; tokenDigest: string; expiresAt: number }): Promise<void> {
    const { grant, tokenDigest, expiresAt } = family;
    await this.#table.transact([
      {
        kind: 'create',
        item: {
          ...keys.refreshTokenFamily(grant.grantId),
          status: 'active',
          grant,
          currentTokenDigest: tokenDigest,
          expiresAt,
        } satisfies FamilyItem,
      },
      { kind: 'create', item: this.#tokenItem(tokenDigest, grant.grantId, expiresAt) },
    ]);
  }

  async findFamilyByToken(tokenDigest: string): Promise<RefreshTokenFamily | undefined> {
    const token = await this.#table.get<TokenItem>(keys.refreshToken(tokenDigest));
    if (!token) return undefined;
    const family = await this.#table.get<FamilyItem>(keys.refreshTokenFamily(token.grantId));
    if (!family) return undefined;
    if (family.status === 'revoked') return { status: 'revoked', grantId: family.grantId };
    return {
      status: 'active',
      grant: family.grant,
      currentTokenDigest: family.currentTokenDigest,
      expiresAt: family.expiresAt,
    };
  }

  async rotate(rotation: {
    grantId: string;
    fromDigest: string;
    toDigest: string;
    expiresAt: number;
  }): Promise<void> {
    try {
      await this.#rotate(rotation);
    } catch (error) {
      // Cancelled because another transaction held the family item: a concurrent rotation of the
      // same current token, which this one has lost just as if its condition had failed.
      if (isTransactionConflict(error))
        throw new ConflictError('The refresh token is no longer current.', {
          logDetail: 'refresh rotation conflict',
          cause: error,
        });
      throw error;
    }
  }

  async #rotate(rotation: { grantId: string; fromDigest: string; toDigest: string; expiresAt: number }) {
    await this.#table.transact([
      {
        kind: 'update',
        key: keys.refreshTokenFamily(rotation.grantId),
        attributes: { currentTokenDigest: rotation.toDigest },
        matching: { currentTokenDigest: rotation.fromDigest, status: 'active' },
      },
      { kind: 'create', item: this.#tokenItem(rotation.toDigest, rotation.grantId, rotation.expiresAt) },
    ]);
  }

  async revokeFamily(grantId: string, keepUntil: number): Promise<void> {
    const item = {
      ...keys.refreshTokenFamily(grantId),
      status: 'revoked',
      grantId,
      expiresAt: keepUntil,
    } satisfies FamilyItem;
    // A put is refused while a rotation's transaction holds the item; a revocation must not be lost.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.#table.put(item);
        return;
      } catch (error) {
        if (!(error instanceof ServiceUnavailableError) || attempt === revokeAttempts) throw error;
        await setTimeout(25 * attempt);
      }
    }
  }

  #tokenItem(tokenDigest: string, grantId: string, expiresAt: number): TokenItem {
    return { ...keys.refreshToken(tokenDigest), grantId, expiresAt };
  }
}

import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AttributeValue, ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Clock, epochSeconds } from '../../domain/clock.ts';
import type { CollectedWork, WriteCollector } from '../../domain/deferred-writes.ts';
import {
  AlreadyUsedError,
  ConflictError,
  ExpiredError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../domain/errors.ts';
import type { ItemKey } from './keys.ts';
import { translateStoreError } from './store-errors.ts';
import { type IndexName, tableSchema } from './table-schema.ts';

export type Item = ItemKey & Record<string, unknown>;

/** One write of a transaction: all of them happen, or none. */
export type TransactionWrite =
  | { readonly kind: 'create'; readonly item: Item }
  | { readonly kind: 'put'; readonly item: Item }
  /** Writes a claim item (`item.accountId` owns it) unless another account owns it already. */
  | { readonly kind: 'claim'; readonly item: Item & { readonly accountId: string } }
  /** Deletes the item; with `matching`, only if it exists with those values. */
  | { readonly kind: 'delete'; readonly key: ItemKey; readonly matching?: Matching }
  | { readonly kind: 'require'; readonly key: ItemKey }
  /** Marks an existing, unexpired, not yet used item as used (see `consume`). */
  | { readonly kind: 'consume'; readonly key: ItemKey }
  /** Sets attributes of an existing, unexpired item that has the `matching` values. */
  | {
      readonly kind: 'update';
      readonly key: ItemKey;
      readonly attributes: Record<string, unknown>;
      readonly matching?: Matching;
    };

export interface DynamoTableOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

const ttl = tableSchema.timeToLiveAttribute;
const absent = 'attribute_not_exists(pk)';
const unexpired = 'attribute_exists(pk) AND (attribute_not_exists(#ttl) OR #ttl > :now)';

/** Attribute values a conditional write requires an item to have, e.g. `{ codeId }`. */
export type Matching = Readonly<Record<string, string | number>>;

const matchingCondition = (matching: Matching) => {
  const names = Object.keys(matching);
  return {
    expression: names.map((_, index) => ` AND #m${index} = :m${index}`).join(''),
    names: Object.fromEntries(names.map((name, index) => [`#m${index}`, name])),
    values: Object.fromEntries(names.map((name, index) => [`:m${index}`, matching[name]])),
  };
};

/**
 * The base every DynamoDB adapter stands on: reads that ignore expired items, conditional
 * writes, transactions and consume-once, with SDK errors turned into domain errors.
 */
export class DynamoTable implements WriteCollector {
  readonly tableName: string;
  readonly #client: DynamoDBDocumentClient;
  readonly #clock: Clock;
  /** The puts deferred by the collected work in progress, per request (each `collect` has its own). */
  readonly #collecting = new AsyncLocalStorage<Item[]>();

  constructor(options: DynamoTableOptions) {
    this.#client = options.client;
    this.tableName = options.tableName;
    this.#clock = options.clock;
  }

  /** The item, or undefined when it is absent or past its expiry (TTL deletion is lazy). */
  /**
   * The item, unless it has expired. Strongly consistent unless `consistent: false`, for reads
   * where a value up to a second old does no harm (half the read cost).
   */
  async get<T extends Item>(
    key: ItemKey,
    options: { readonly consistent?: boolean } = {},
  ): Promise<T | undefined> {
    const ConsistentRead = options.consistent ?? true;
    const { Item: item } = await this.#guard(() =>
      this.#client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead })),
    );
    return item && !this.#isExpired(item) ? (item as T) : undefined;
  }

  /** Writes a new item; ConflictError when one with the same key exists (even an expired one). */
  async create(item: Item): Promise<void> {
    await this.#guard(() =>
      this.#client.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: absent }),
      ),
    );
  }

  async put(item: Item): Promise<void> {
    await this.#guard(() => this.#client.send(new PutCommand({ TableName: this.tableName, Item: item })));
  }

  /**
   * A put that may wait for the end of the collected work it is part of (`collect`), to be made
   * with the request's other writes; outside collected work, at once. Only for an item nothing in
   * the same request reads back, written unconditionally (an audit event, a record of what was issued).
   */
  async putLater(item: Item): Promise<void> {
    const collecting = this.#collecting.getStore();
    if (collecting) collecting.push(item);
    else await this.put(item);
  }

  async collect<T>(work: () => Promise<T>): Promise<CollectedWork<T>> {
    const items: Item[] = [];
    const [outcome] = await Promise.allSettled([this.#collecting.run(items, work)]);
    return {
      outcome,
      write: async () => {
        // One item is a plain put; several, one batch (up to 25 a call).
        const kept = items.splice(0);
        if (kept.length === 1) await this.put(kept[0] as Item);
        else if (kept.length > 1) await this.putAll(kept);
      },
    };
  }

  /**
   * The puts deferred so far by the collected work in progress, handed over (and no longer kept):
   * for another write of the same request to carry in its own call (the session's). None outside `collect`.
   */
  takeCollected(): Item[] {
    return this.#collecting.getStore()?.splice(0) ?? [];
  }

  /**
   * Writes the whole item if its `version` attribute is still `version` (0: the item must not
   * exist, or be expired), with `version + 1`; false when another writer got there first.
   */
  async putIfVersion(item: Item, version: number): Promise<boolean> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, version: version + 1 },
          ConditionExpression:
            version === 0
              ? `${absent} OR (attribute_exists(#ttl) AND #ttl <= :now)`
              : '#version = :version AND (attribute_not_exists(#ttl) OR #ttl > :now)',
          ExpressionAttributeNames: version === 0 ? { '#ttl': ttl } : { '#ttl': ttl, '#version': 'version' },
          ExpressionAttributeValues:
            version === 0 ? { ':now': this.#now() } : { ':now': this.#now(), ':version': version },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw translateStoreError(error);
    }
  }

  /** Deletes the item; NotFoundError when there was none. */
  async delete(key: ItemKey): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: key,
          ConditionExpression: 'attribute_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new NotFoundError('No such item.');
      throw translateStoreError(error);
    }
  }

  /** Sets attributes on an existing, unexpired item; ConflictError when it is absent or expired. */
  async update(key: ItemKey, attributes: Record<string, unknown>, matching: Matching = {}): Promise<void> {
    await this.#guard(() =>
      this.#client.send(new UpdateCommand(this.#updateInput(key, attributes, matching))),
    );
  }

  /**
   * Writes the item whole in one UpdateItem, first copying some attributes of the item it
   * replaces (`keep`: new name to old name; absent ones become null) and removing the old
   * attributes the new item leaves out (`remove`): what a put would do, keeping a trace of the
   * item before. The copy reads the old values, since an update expression sees the item as it was.
   */
  async replaceKeeping(
    item: Item,
    keep: Readonly<Record<string, string>>,
    remove: readonly string[] = [],
  ): Promise<void> {
    const { pk, sk, ...attributes } = item;
    const names = Object.keys(attributes);
    const kept = Object.entries(keep);
    const sets = [
      ...names.map((_, index) => `#a${index} = :a${index}`),
      ...kept.map((_, index) => `#k${index} = if_not_exists(#o${index}, :absent)`),
    ];
    const removes = remove.filter((name) => !(name in attributes));
    await this.#guard(() =>
      this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk, sk },
          UpdateExpression: `SET ${sets.join(', ')}${removes.length > 0 ? ` REMOVE ${removes.map((_, index) => `#r${index}`).join(', ')}` : ''}`,
          ExpressionAttributeNames: {
            ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
            ...Object.fromEntries(kept.map(([target], index) => [`#k${index}`, target])),
            ...Object.fromEntries(kept.map(([, source], index) => [`#o${index}`, source])),
            ...Object.fromEntries(removes.map((name, index) => [`#r${index}`, name])),
          },
          ExpressionAttributeValues: {
            ...Object.fromEntries(names.map((name, index) => [`:a${index}`, attributes[name]])),
            ':absent': null,
          },
        }),
      ),
    );
  }

  /** The parts of an update of an existing, unexpired item with the `matching` values. */
  #updateInput(key: ItemKey, attributes: Record<string, unknown>, matching: Matching) {
    // An attribute given as undefined is removed.
    const names = Object.keys(attributes);
    const set = names.filter((name) => attributes[name] !== undefined);
    const removed = names.filter((name) => attributes[name] === undefined);
    if (names.length === 0) throw new Error('An update needs at least one attribute');
    const condition = matchingCondition(matching);
    const placeholder = (name: string) => `#a${names.indexOf(name)}`;
    const clauses = [
      ...(set.length > 0
        ? [`SET ${set.map((name) => `${placeholder(name)} = :a${names.indexOf(name)}`).join(', ')}`]
        : []),
      ...(removed.length > 0 ? [`REMOVE ${removed.map(placeholder).join(', ')}`] : []),
    ];
    return {
      TableName: this.tableName,
      Key: key,
      UpdateExpression: clauses.join(' '),
      ConditionExpression: `${unexpired}${condition.expression}`,
      ExpressionAttributeNames: {
        '#ttl': ttl,
        ...condition.names,
        ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
      },
      ExpressionAttributeValues: {
        ':now': this.#now(),
        ...condition.values,
        ...Object.fromEntries(set.map((name) => [`:a${names.indexOf(name)}`, attributes[name]])),
      },
    };
  }

  /**
   * Marks a single-use item as used and returns it. Exactly one caller can win: the second gets
   * AlreadyUsedError, a caller after expiry ExpiredError, and an unknown key (or one whose
   * attributes differ from `matching`, e.g. a code replaced since it was read) NotFoundError.
   */
  async consume<T extends Item>(key: ItemKey, options: { matching?: Matching } = {}): Promise<T> {
    const { consumed, item } = await this.consumeIf<T>(key, options.matching ?? {});
    if (!consumed) throw this.#whyNotConsumable(item);
    return item as T;
  }

  /**
   * Marks a single-use item as used if it is unexpired, unused and has the `matching` values, in
   * one call; else leaves it, and returns it as it was (undefined when there is none), so the
   * caller can say why.
   */
  async consumeIf<T extends Item>(
    key: ItemKey,
    matching: Matching,
  ): Promise<{ readonly consumed: boolean; readonly item: T | undefined }> {
    const condition = matchingCondition(matching);
    try {
      const { Attributes: attributes } = await this.#client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET consumedAt = :now',
          ConditionExpression: `${unexpired} AND attribute_not_exists(consumedAt)${condition.expression}`,
          ExpressionAttributeNames: { '#ttl': ttl, ...condition.names },
          ExpressionAttributeValues: { ':now': this.#now(), ...condition.values },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { consumed: true, item: attributes as T };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return {
          consumed: false,
          item: error.Item && (unmarshall(error.Item as Record<string, AttributeValue>) as T),
        };
      throw translateStoreError(error);
    }
  }

  /**
   * Adds `by` to a counter atomically (UpdateItem ADD) and returns the new count. A missing item,
   * or one past its expiry that TTL has not deleted yet, starts again from `by` and expires at
   * `expiresAt`; a live item keeps its expiry, unless `renewExpiry` moves it to `expiresAt`.
   */
  async increment(
    key: ItemKey,
    attribute: string,
    by: number,
    options: { readonly expiresAt: number; readonly renewExpiry?: boolean },
  ): Promise<number> {
    const names = { '#n': attribute, '#ttl': ttl };
    const setExpiry = options.renewExpiry ? '#ttl = :expiresAt' : '#ttl = if_not_exists(#ttl, :expiresAt)';
    // A second round covers the one race (another caller restarting the same expired counter
    // first); a third is slack.
    for (let round = 0; round < 3; round += 1) {
      try {
        const { Attributes: added } = await this.#guard(() =>
          this.#client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: `ADD #n :by SET ${setExpiry}`,
              ConditionExpression: `${absent} OR attribute_not_exists(#ttl) OR #ttl > :now`,
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':by': by, ':expiresAt': options.expiresAt, ':now': this.#now() },
              ReturnValues: 'UPDATED_NEW',
            }),
          ),
        );
        return added?.[attribute] as number;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
      try {
        await this.#guard(() =>
          this.#client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET #n = :by, #ttl = :expiresAt',
              ConditionExpression: '#ttl <= :now',
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: { ':by': by, ':expiresAt': options.expiresAt, ':now': this.#now() },
            }),
          ),
        );
        return by;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error;
      }
    }
    throw new ServiceUnavailableError('The store is busy; try again.', { logDetail: 'increment contended' });
  }

  /**
   * Adds `by` to a number attribute of an existing, unexpired item atomically and returns the
   * item as it is after the change; undefined (and nothing written) when there is no such item.
   */
  async incrementIfPresent<T extends Item>(
    key: ItemKey,
    attribute: string,
    by: number,
  ): Promise<T | undefined> {
    try {
      const { Attributes: attributes } = await this.#guard(() =>
        this.#client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: 'ADD #n :by',
            ConditionExpression: unexpired,
            ExpressionAttributeNames: { '#n': attribute, '#ttl': ttl },
            ExpressionAttributeValues: { ':by': by, ':now': this.#now() },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return attributes as T;
    } catch (error) {
      if (error instanceof ConflictError) return undefined;
      throw error;
    }
  }

  /** Writes all or nothing; ConflictError when a `create` finds an item or a `require` finds none. */
  async transact(writes: readonly TransactionWrite[]): Promise<void> {
    await this.#guard(() =>
      this.#client.send(
        new TransactWriteCommand({
          TransactItems: writes.map((write) => this.#transactItem(write)),
        }),
      ),
    );
  }

  /** Every unexpired item under one partition key of a secondary index, in sort-key order. */
  async queryIndex<T extends Item>(indexName: IndexName, partitionValue: string): Promise<T[]> {
    const index = tableSchema.globalSecondaryIndexes.find((candidate) => candidate.indexName === indexName);
    if (!index) throw new Error(`Unknown index ${indexName}`);
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#guard(() =>
        this.#client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: indexName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': index.partitionKey },
            ExpressionAttributeValues: { ':pk': partitionValue },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as T[]).filter((item) => !this.#isExpired(item)));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  /**
   * Unexpired items of one partition whose sort key starts with `sortKeyPrefix` (every item for ''), in sort-key order
   * (or newest first with `descending`), up to `limit` items when given.
   */
  async queryPartition<T extends Item>(
    partitionKey: string,
    sortKeyPrefix: string,
    options: { limit?: number; descending?: boolean } = {},
  ): Promise<T[]> {
    const items: T[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.#guard(() =>
        this.#client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: sortKeyPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': partitionKey,
              ...(sortKeyPrefix ? { ':prefix': sortKeyPrefix } : {}),
            },
            ConsistentRead: true,
            ScanIndexForward: !options.descending,
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      items.push(...((page.Items ?? []) as T[]).filter((item) => !this.#isExpired(item)));
      startKey =
        options.limit !== undefined && items.length >= options.limit ? undefined : page.LastEvaluatedKey;
    } while (startKey);
    return options.limit !== undefined ? items.slice(0, options.limit) : items;
  }

  /** Writes every given item, replacing any with the same key, 25 a request (one request for up to 25). */
  async putAll(items: readonly Item[]): Promise<void> {
    await this.#batchWrite(items.map((item) => ({ PutRequest: { Item: item } })));
  }

  /** Deletes every given item, 25 a request; items already gone are no error. */
  async deleteAll(keys: readonly ItemKey[]): Promise<void> {
    await this.#batchWrite(keys.map((key) => ({ DeleteRequest: { Key: key } })));
  }

  /** BatchWriteItem, 25 requests at a time, sending again what DynamoDB left unprocessed. */
  async #batchWrite(
    all: readonly ({ PutRequest: { Item: Item } } | { DeleteRequest: { Key: ItemKey } })[],
  ): Promise<void> {
    for (let start = 0; start < all.length; start += 25) {
      let requests = all.slice(start, start + 25);
      for (let round = 0; requests.length > 0; round += 1) {
        // Left unprocessed means throttled: wait a little longer each time, as AWS advises.
        if (round > 0) await sleep(Math.min(1000, 25 * 2 ** round));
        const result = await this.#guard(() =>
          this.#client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })),
        );
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }

  #transactItem(write: TransactionWrite) {
    if (write.kind === 'update')
      return { Update: this.#updateInput(write.key, write.attributes, write.matching ?? {}) };
    const TableName = this.tableName;
    if (write.kind === 'create') return { Put: { TableName, Item: write.item, ConditionExpression: absent } };
    if (write.kind === 'put') return { Put: { TableName, Item: write.item } };
    if (write.kind === 'claim')
      return {
        Put: {
          TableName,
          Item: write.item,
          ConditionExpression: 'attribute_not_exists(pk) OR accountId = :owner',
          ExpressionAttributeValues: { ':owner': write.item.accountId },
        },
      };
    if (write.kind === 'delete' && write.matching) {
      const condition = matchingCondition(write.matching);
      return {
        Delete: {
          TableName,
          Key: write.key,
          ConditionExpression: `attribute_exists(pk)${condition.expression}`,
          ExpressionAttributeNames: condition.names,
          ExpressionAttributeValues: condition.values,
        },
      };
    }
    if (write.kind === 'delete') return { Delete: { TableName, Key: write.key } };
    if (write.kind === 'consume') {
      return {
        Update: {
          TableName,
          Key: write.key,
          UpdateExpression: 'SET consumedAt = :now',
          ConditionExpression: `${unexpired} AND attribute_not_exists(consumedAt)`,
          ExpressionAttributeNames: { '#ttl': ttl },
          ExpressionAttributeValues: { ':now': this.#now() },
        },
      };
    }
    return { ConditionCheck: { TableName, Key: write.key, ConditionExpression: 'attribute_exists(pk)' } };
  }

  /** Epoch seconds by the clock the table's expiry checks use. */
  nowSeconds(): number {
    return this.#now();
  }

  #now(): number {
    return epochSeconds(this.#clock());
  }

  #isExpired(item: Record<string, unknown>): boolean {
    const expiresAt = item[ttl];
    return typeof expiresAt === 'number' && expiresAt <= this.#now();
  }

  #whyNotConsumable(item: Record<string, unknown> | undefined): Error {
    if (!item) return new NotFoundError('No such item.');
    if (item.consumedAt !== undefined) return new AlreadyUsedError('This has been used already.');
    if (this.#isExpired(item)) return new ExpiredError('This has expired.');
    return new NotFoundError('No such item.');
  }

  async #guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw translateStoreError(error);
    }
  }
}

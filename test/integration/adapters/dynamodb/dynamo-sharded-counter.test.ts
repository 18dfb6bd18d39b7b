import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../src/adapters/dynamodb/document-client.ts';
import {
  DynamoShardedCounter,
  type ShardChooser,
} from '../../../../src/adapters/dynamodb/dynamo-sharded-counter.ts';
import { DynamoTable, type Item } from '../../../../src/adapters/dynamodb/dynamo-table.ts';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import type { RateRule } from '../../../../src/domain/limits/rate-limiter.ts';
import { at, START } from '../../../support/limits-fixture.ts';
import { createTestTable } from '../../../support/test-table.ts';

const rule: RateRule = { scope: 'test-ceiling', limit: 20, windowSeconds: 3600 };
const windowStart = START.getTime() / 1000;

/**
 * A counter on a fresh table whose document client records the name of every command it sends,
 * so a test can count the store calls a hit makes.
 */
const createCounterFixture = async (options: { shards?: number; chooseShard?: ShardChooser } = {}) => {
  let now = START;
  const clock = () => now;
  const { tableName } = await createTestTable(clock);
  const client = createDocumentClient({ endpoint: inject('dynamoDbEndpoint') });
  const commands: string[] = [];
  const send = client.send.bind(client);
  client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
    commands.push(command.constructor.name);
    return (send as (...args: unknown[]) => unknown)(command, ...rest);
  }) as typeof client.send;
  const table = new DynamoTable({ client, tableName, clock });
  return {
    table,
    counter: new DynamoShardedCounter({ table, clock, ...options }),
    /** The commands sent since the last call, which it forgets. */
    takeCommands: () => commands.splice(0),
    moveTo: (seconds: number) => {
      now = at(seconds);
    },
  };
};

/** Always the given shard; when borrowing, the free shard at that place among the free ones (or the last). */
const always =
  (shard: number): ShardChooser =>
  (count) =>
    Math.min(shard, count - 1);

const hitsOn = async (table: DynamoTable, shard: number, start = windowStart) =>
  (await table.get<Item & { hits: number }>(keys.shardedCounter(rule.scope, shard, start)))?.hits;

describe('DynamoShardedCounter', () => {
  it('allows a hit with one write while its shard is within its share', async () => {
    // Prepare
    const { counter, takeCommands } = await createCounterFixture({ chooseShard: always(3) });

    // Act
    const first = await counter.hit(rule);
    const firstCommands = takeCommands();
    const second = await counter.hit(rule);
    const secondCommands = takeCommands();

    // Assess
    expect(first).toEqual({ allowed: true, remaining: 1, retryAt: at(3600) });
    expect(second).toEqual({ allowed: true, remaining: 0, retryAt: at(3600) });
    expect(firstCommands).toEqual(['UpdateCommand']);
    expect(secondCommands).toEqual(['UpdateCommand']);
  });

  it('reads every shard and takes a free slot from another once its shard is over its share', async () => {
    // Prepare
    const { counter, table, takeCommands } = await createCounterFixture({ chooseShard: always(0) });
    await counter.hit(rule);
    await counter.hit(rule);
    takeCommands();

    // Act
    const third = await counter.hit(rule);

    // Assess
    expect(third).toEqual({ allowed: true, remaining: 17, retryAt: at(3600) });
    expect(takeCommands()).toEqual([
      'UpdateCommand',
      ...Array.from({ length: 10 }, () => 'GetCommand'),
      'UpdateCommand',
    ]);
    expect(await hitsOn(table, 0)).toBe(3);
    expect(await hitsOn(table, 1)).toBe(1);
  });

  it('allows exactly the limit when every hit lands on one shard, then refuses until the window ends', async () => {
    // Prepare
    const { counter } = await createCounterFixture({ chooseShard: always(7) });
    const decisions = [];
    for (let hit = 1; hit <= 20; hit += 1) decisions.push(await counter.hit(rule));

    // Act
    const over = await counter.hit(rule);

    // Assess
    expect(decisions.every((decision) => decision.allowed)).toBe(true);
    expect(over).toEqual({ allowed: false, remaining: 0, retryAt: at(3600) });
  });

  it('allows hits on shards with no share when the limit is below the number of shards', async () => {
    // Prepare
    const { counter } = await createCounterFixture({ chooseShard: always(9) });
    const small: RateRule = { ...rule, limit: 3 };

    // Act
    const decisions = [];
    for (let hit = 1; hit <= 4; hit += 1) decisions.push(await counter.hit(small));

    // Assess
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
  });

  it('allows exactly the limit of many concurrent hits on random shards', async () => {
    // Prepare
    const { counter, table } = await createCounterFixture();
    const uneven: RateRule = { ...rule, limit: 25 };

    // Act
    const decisions = await Promise.all(Array.from({ length: 60 }, () => counter.hit(uneven)));

    // Assess
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(25);
    const counts = await Promise.all(Array.from({ length: 10 }, (_, shard) => hitsOn(table, shard)));
    expect(counts.reduce((sum: number, hits) => sum + (hits ?? 0), 0)).toBeGreaterThanOrEqual(60);
    expect(counts.filter((hits) => hits !== undefined).length).toBeGreaterThan(1);
  });

  it('starts counting afresh when the next window starts', async () => {
    // Prepare
    const { counter, moveTo } = await createCounterFixture({ shards: 2 });
    const small: RateRule = { ...rule, limit: 3 };
    for (let hit = 1; hit <= 3; hit += 1) await counter.hit(small);
    moveTo(3599);
    const lastSecond = await counter.hit(small);

    // Act
    moveTo(3600);
    const next = await counter.hit(small);

    // Assess
    expect(lastSecond).toEqual({ allowed: false, remaining: 0, retryAt: at(3600) });
    expect(next).toMatchObject({ allowed: true, retryAt: at(7200) });
  });

  it('lets its items expire when their window ends', async () => {
    // Prepare
    const { counter, table, moveTo } = await createCounterFixture({ chooseShard: always(4) });
    await counter.hit(rule);
    const key = keys.shardedCounter(rule.scope, 4, windowStart);
    const during = await table.get(key);

    // Act
    moveTo(3600);
    const after = await table.get(key);

    // Assess
    expect(during).toMatchObject({ hits: 1, expiresAt: windowStart + 3600 });
    expect(after).toBeUndefined();
  });

  it('counts each scope apart', async () => {
    // Prepare
    const { counter } = await createCounterFixture({ shards: 1 });
    const small: RateRule = { ...rule, limit: 1 };
    await counter.hit(small);

    // Act
    const sameScope = await counter.hit(small);
    const otherScope = await counter.hit({ ...small, scope: 'test-other' });

    // Assess
    expect(sameScope.allowed).toBe(false);
    expect(otherScope.allowed).toBe(true);
  });

  it('refuses a shard chooser that names a shard that is not there', async () => {
    // Prepare
    const { counter } = await createCounterFixture({ chooseShard: () => 10 });

    // Act
    const hit = counter.hit(rule);

    // Assess
    await expect(hit).rejects.toThrow('The shard chooser gave 10, not a whole number below 10');
  });
});

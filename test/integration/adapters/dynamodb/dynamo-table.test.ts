import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../src/adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../../../../src/adapters/dynamodb/dynamo-table.ts';
import {
  AlreadyUsedError,
  ConflictError,
  ExpiredError,
  MisconfigurationError,
  NotFoundError,
  ServiceUnavailableError,
} from '../../../../src/domain/errors.ts';
import { createTestTable } from '../../../support/test-table.ts';

const NOW = new Date('2026-11-22T10:00:00Z');
const nowSeconds = NOW.getTime() / 1000;
const key = (id: string) => ({ pk: `THING#${id}`, sk: 'THING' });

describe('DynamoTable', () => {
  it('creates an item once and refuses a second create with the same key', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.create({ ...key('a'), value: 1 });

    // Act
    const second = table.create({ ...key('a'), value: 2 });

    // Assess
    await expect(second).rejects.toBeInstanceOf(ConflictError);
    expect(await table.get(key('a'))).toMatchObject({ value: 1 });
  });

  it('treats an item past its expiry as absent on read', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('old'), expiresAt: nowSeconds - 1 });
    await table.put({ ...key('fresh'), expiresAt: nowSeconds + 60 });

    // Act
    const [old, fresh] = await Promise.all([table.get(key('old')), table.get(key('fresh'))]);

    // Assess
    expect(old).toBeUndefined();
    expect(fresh).toMatchObject(key('fresh'));
  });

  it('consumes a single-use item exactly once', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('code'), expiresAt: nowSeconds + 600, clientId: 'c1' });

    // Act
    const first = await table.consume(key('code'));
    const second = await table.consume(key('code')).catch((error: unknown) => error);

    // Assess
    expect(first).toMatchObject({ clientId: 'c1', consumedAt: nowSeconds });
    expect(second).toBeInstanceOf(AlreadyUsedError);
  });

  it('lets only one of many concurrent consumers win', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('race'), expiresAt: nowSeconds + 600 });

    // Act
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => table.consume(key('race'))));

    // Assess
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((result) => result.status === 'rejected')) {
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AlreadyUsedError);
    }
  });

  it('tells an expired single-use item from an unknown one', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('stale'), expiresAt: nowSeconds - 1 });

    // Act
    const [expired, unknown] = await Promise.allSettled([
      table.consume(key('stale')),
      table.consume(key('never')),
    ]);

    // Assess
    expect(expired).toMatchObject({ status: 'rejected', reason: expect.any(ExpiredError) });
    expect(unknown).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
  });

  it('writes all of a transaction or none of it', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.create({ ...key('taken') });

    // Act
    const transaction = table.transact([
      { kind: 'put', item: { ...key('account'), email: 'claimed' } },
      { kind: 'create', item: { ...key('taken') } },
    ]);

    // Assess
    await expect(transaction).rejects.toBeInstanceOf(ConflictError);
    expect(await table.get(key('account'))).toBeUndefined();
  });

  it('commits a transaction whose conditions hold', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('parent') });
    await table.put({ ...key('obsolete') });

    // Act
    await table.transact([
      { kind: 'require', key: key('parent') },
      { kind: 'create', item: { ...key('child') } },
      { kind: 'delete', key: key('obsolete') },
    ]);

    // Assess
    expect(await table.get(key('child'))).toBeDefined();
    expect(await table.get(key('obsolete'))).toBeUndefined();
  });

  it('refuses a transaction whose required item is missing', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);

    // Act
    const transaction = table.transact([
      { kind: 'require', key: key('missing') },
      { kind: 'put', item: { ...key('child') } },
    ]);

    // Assess
    await expect(transaction).rejects.toBeInstanceOf(ConflictError);
    expect(await table.get(key('child'))).toBeUndefined();
  });

  it('updates an existing item and refuses to update an absent or expired one', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('live'), expiresAt: nowSeconds + 60, count: 1 });
    await table.put({ ...key('dead'), expiresAt: nowSeconds - 60, count: 1 });

    // Act
    const results = await Promise.allSettled([
      table.update(key('live'), { count: 2 }),
      table.update(key('none'), { count: 2 }),
      table.update(key('dead'), { count: 2 }),
    ]);

    // Assess
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await table.get(key('live'))).toMatchObject({ count: 2 });
  });

  it('deletes an item and reports a delete of nothing', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('x') });

    // Act
    await table.delete(key('x'));
    const again = await table.delete(key('x')).catch((error: unknown) => error);

    // Assess
    expect(again).toBeInstanceOf(NotFoundError);
    expect(await table.get(key('x'))).toBeUndefined();
  });

  it('lists unexpired items of an index across pages', async () => {
    // Prepare: items of 40 KB each, so a query needs several 1 MB pages.
    const table = await createTestTable(() => NOW);
    const padding = 'x'.repeat(40_000);
    for (let index = 0; index < 60; index += 1) {
      await table.put({
        ...key(`i${index}`),
        gsi1pk: 'THINGS',
        gsi1sk: `i${String(index).padStart(3, '0')}`,
        padding,
      });
    }
    await table.put({ ...key('gone'), gsi1pk: 'THINGS', gsi1sk: 'zzz', expiresAt: nowSeconds - 1 });

    // Act
    const items = await table.queryIndex('gsi1', 'THINGS');

    // Assess
    expect(items).toHaveLength(60);
    expect(items.map((item) => item.gsi1sk)).toEqual(
      Array.from({ length: 60 }, (_, index) => `i${String(index).padStart(3, '0')}`),
    );
  });

  it('counts concurrent increments exactly and keeps the first expiry', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);

    // Act
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        table.increment(key('counter'), 'hits', 1, { expiresAt: nowSeconds + 60 + index }),
      ),
    );

    // Assess
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    const item = await table.get(key('counter'));
    expect(item).toMatchObject({ hits: 20 });
    expect(item?.expiresAt).toBeGreaterThanOrEqual(nowSeconds + 60);
    expect(item?.expiresAt).toBeLessThan(nowSeconds + 80);
  });

  it('starts a counter again when the one left over has expired', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('stale'), hits: 7, expiresAt: nowSeconds - 1 });

    // Act
    const counts = await Promise.all(
      Array.from({ length: 5 }, () =>
        table.increment(key('stale'), 'hits', 2, { expiresAt: nowSeconds + 60 }),
      ),
    );

    // Assess
    expect([...counts].sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10]);
    expect(await table.get(key('stale'))).toMatchObject({ hits: 10, expiresAt: nowSeconds + 60 });
  });

  it('increments an existing item and returns it, but creates nothing for an absent or expired one', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('live'), attempts: 2, expiresAt: nowSeconds + 60, label: 'kept' });
    await table.put({ ...key('dead'), attempts: 2, expiresAt: nowSeconds - 60 });

    // Act
    const [live, absent, dead] = await Promise.all([
      table.incrementIfPresent(key('live'), 'attempts', 1),
      table.incrementIfPresent(key('none'), 'attempts', 1),
      table.incrementIfPresent(key('dead'), 'attempts', 1),
    ]);

    // Assess
    expect(live).toMatchObject({ attempts: 3, label: 'kept' });
    expect(absent).toBeUndefined();
    expect(dead).toBeUndefined();
    expect(await table.get(key('none'))).toBeUndefined();
  });

  it('refuses to consume an item whose attributes do not match, and leaves it unused', async () => {
    // Prepare
    const table = await createTestTable(() => NOW);
    await table.put({ ...key('code'), expiresAt: nowSeconds + 600, codeId: 'second' });

    // Act
    const mismatch = await table
      .consume(key('code'), { matching: { codeId: 'first' } })
      .catch((error) => error);
    const match = await table.consume(key('code'), { matching: { codeId: 'second' } });

    // Assess
    expect(mismatch).toBeInstanceOf(NotFoundError);
    expect(match).toMatchObject({ codeId: 'second', consumedAt: nowSeconds });
  });

  it('reports a missing table as a misconfiguration', async () => {
    // Prepare
    const table = new DynamoTable({
      client: createDocumentClient({ endpoint: inject('dynamoDbEndpoint') }),
      tableName: 'no-such-table',
      clock: () => NOW,
    });

    // Act
    const read = table.get(key('a'));

    // Assess
    await expect(read).rejects.toBeInstanceOf(MisconfigurationError);
  });

  it('reports an unreachable store as unavailable', async () => {
    // Prepare
    const table = new DynamoTable({
      client: createDocumentClient({ endpoint: 'http://127.0.0.1:9' }),
      tableName: 'any',
      clock: () => NOW,
    });

    // Act
    const read = table.get(key('a'));

    // Assess
    await expect(read).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});

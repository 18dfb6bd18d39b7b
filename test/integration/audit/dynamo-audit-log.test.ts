import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../src/adapters/dynamodb/document-client.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoTable } from '../../../src/adapters/dynamodb/dynamo-table.ts';
import { ensureTable, localClient } from '../../../src/local/dynamodb-local.ts';

const AT = '2026-12-01T10:00:00.000Z';

/** A fresh table whose every DynamoDB command is listed, by name, in `commands`. */
const countedLog = async () => {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `test-${randomUUID()}`;
  const admin = localClient(endpoint);
  try {
    await ensureTable(admin, tableName);
  } finally {
    admin.destroy();
  }
  const client = createDocumentClient({ endpoint });
  const commands: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'countCommands' },
  );
  const log = new DynamoAuditLog(new DynamoTable({ client, tableName, clock: () => new Date(AT) }));
  return { log, commands };
};

const event = (type: 'code-verified' | 'device-remembered' | 'login-succeeded') => ({
  accountId: 'account-1',
  type,
  at: AT,
  sourceIp: '192.0.2.1',
});

describe('DynamoAuditLog', () => {
  it('writes an event at once outside collected work', async () => {
    // Prepare
    const { log, commands } = await countedLog();

    // Act
    await log.record(event('login-succeeded'));

    // Assess
    expect(commands).toEqual(['PutItemCommand']);
    expect(await log.recent('account-1', 10)).toEqual([event('login-succeeded')]);
  });

  it('keeps the events of collected work until written, then writes them in one call', async () => {
    // Prepare
    const { log, commands } = await countedLog();

    // Act
    const work = await log.collect(async () => {
      await log.record(event('code-verified'));
      await Promise.all([log.record(event('device-remembered')), log.record(event('login-succeeded'))]);
      return 'done';
    });
    const beforeWrite = [...commands];
    await work.write();

    // Assess
    expect(work.outcome).toEqual({ status: 'fulfilled', value: 'done' });
    expect(beforeWrite).toEqual([]);
    expect(commands).toEqual(['BatchWriteItemCommand']);
    const types = (await log.recent('account-1', 10)).map((recorded) => recorded.type).sort();
    expect(types).toEqual(['code-verified', 'device-remembered', 'login-succeeded']);
  });

  it('writes what failed work recorded, and gives its error', async () => {
    // Prepare
    const { log } = await countedLog();
    const refused = new Error('refused');

    // Act
    const work = await log.collect(async () => {
      await log.record(event('code-verified'));
      throw refused;
    });
    await work.write();

    // Assess
    expect(work.outcome).toEqual({ status: 'rejected', reason: refused });
    expect((await log.recent('account-1', 10)).map((recorded) => recorded.type)).toEqual(['code-verified']);
  });

  it('keeps the events of work running at the same time apart', async () => {
    // Prepare
    const { log } = await countedLog();
    const recording = (accountId: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await log.record({ ...event('login-succeeded'), accountId });
    };

    // Act
    const [first, second] = await Promise.all([
      log.collect(recording('account-a')),
      log.collect(recording('account-b')),
    ]);
    await first.write();

    // Assess
    expect(await log.recent('account-a', 10)).toHaveLength(1);
    expect(await log.recent('account-b', 10)).toHaveLength(0);
    await second.write();
    expect(await log.recent('account-b', 10)).toHaveLength(1);
  });

  it('writes more than 25 collected events in as many batches as it takes', async () => {
    // Prepare
    const { log, commands } = await countedLog();

    // Act
    const work = await log.collect(async () => {
      await Promise.all(Array.from({ length: 30 }, () => log.record(event('code-verified'))));
    });
    await work.write();

    // Assess
    expect(commands).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    expect(await log.recent('account-1', 50)).toHaveLength(30);
  });
});

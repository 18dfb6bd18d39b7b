import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../src/adapters/dynamodb/document-client.ts';
import { accountEventDays, DynamoAuditLog } from '../../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoLoginIdentityStore } from '../../../../src/adapters/dynamodb/dynamo-login-identity-store.ts';
import { DynamoSessionStore } from '../../../../src/adapters/dynamodb/dynamo-session-store.ts';
import { DynamoTable, type Item } from '../../../../src/adapters/dynamodb/dynamo-table.ts';
import { accountItems, keys } from '../../../../src/adapters/dynamodb/keys.ts';
import { SessionEndedError } from '../../../../src/domain/sessions/browser-session.ts';
import { ensureTable, localClient } from '../../../../src/local/dynamodb-local.ts';

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
  const table = new DynamoTable({ client, tableName, clock: () => new Date(AT) });
  const log = new DynamoAuditLog(table);
  const sessions = new DynamoSessionStore(table);
  return { log, table, sessions, commands };
};

const event = (type: 'code-verified' | 'code-failed' | 'device-remembered' | 'login-succeeded') => ({
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

  it('gives an account’s event two years in the table (its TTL), and an address’s 30 days', async () => {
    // Prepare
    const { log, table } = await countedLog();

    // Act
    await log.record(event('login-succeeded'));
    await log.recordForAddress({
      type: 'login-failed',
      at: AT,
      detail: 'wrong-password',
      address: 'x@example.com',
    });
    const [accountItem] = await table.queryPartition<Item & { expiresAt?: number }>(
      keys.account('account-1').pk,
      accountItems.audit,
      { limit: 1 },
    );

    // Assess
    expect(accountEventDays).toBe(730);
    expect(accountItem?.expiresAt).toBe(Date.parse(AT) / 1000 + 730 * 86_400);
  });

  it('keeps the events of collected work until written, then writes them in one call', async () => {
    // Prepare
    const { log, table, commands } = await countedLog();

    // Act
    const work = await table.collect(async () => {
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

  it('keeps the order a request recorded its events in, within one millisecond', async () => {
    // Prepare
    const { log, table } = await countedLog();
    const order = ['code-verified', 'device-remembered', 'login-succeeded'] as const;

    // Act
    const work = await table.collect(async () => {
      for (const type of order) await log.record(event(type));
    });
    await work.write();

    // Assess: newest first
    const recent = await log.recent('account-1', 10);
    expect(recent.map((recorded) => recorded.type)).toEqual([...order].reverse());
  });

  it('writes what failed work recorded, and gives its error', async () => {
    // Prepare
    const { log, table } = await countedLog();
    const refused = new Error('refused');

    // Act
    const work = await table.collect(async () => {
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
    const { log, table } = await countedLog();
    const recording = (accountId: string) => async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await log.record({ ...event('login-succeeded'), accountId });
    };

    // Act
    const [first, second] = await Promise.all([
      table.collect(recording('account-a')),
      table.collect(recording('account-b')),
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
    const { log, table, commands } = await countedLog();

    // Act
    const work = await table.collect(async () => {
      await Promise.all(Array.from({ length: 30 }, () => log.record(event('code-verified'))));
    });
    await work.write();

    // Assess
    expect(commands).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand']);
    expect(await log.recent('account-1', 50)).toHaveLength(30);
  });
});

describe('DynamoLoginIdentityStore with the deferred audit events', () => {
  it('records an issued ID token in the same call as the token request’s audit event', async () => {
    // Prepare
    const { log, table, commands } = await countedLog();
    const identities = new DynamoLoginIdentityStore(table);
    const identity = {
      clientId: 'client-1',
      idTokenJti: 'jti-1',
      accountId: 'account-1',
      vot: 'P0.Cp.Cd' as const,
      authTime: 1,
      sessionGeneration: 0,
    };

    // Act
    const work = await table.collect(async () => {
      await Promise.all([
        identities.record(identity, Date.parse(AT) / 1000 + 3600),
        log.record(event('login-succeeded')),
      ]);
    });
    const beforeWrite = [...commands];
    await work.write();

    // Assess
    expect(beforeWrite).toEqual([]);
    expect(commands).toEqual(['BatchWriteItemCommand']);
    expect(await identities.find('client-1', 'jti-1')).toEqual(identity);
  });
});

describe('DynamoSessionStore with the deferred audit events', () => {
  const session = { csrfToken: 'token', journey: {}, createdAt: 0, lastSeenAt: 0 };
  const expiresAt = Date.parse(AT) / 1000 + 3600;

  it('writes a request’s audit events in its session’s call', async () => {
    // Prepare
    const { log, table, sessions, commands } = await countedLog();
    await sessions.save('session-1', session, expiresAt, true);
    commands.length = 0;

    // Act
    const work = await table.collect(async () => {
      await log.record(event('code-verified'));
      await log.record(event('login-succeeded'));
      await sessions.replace('session-1', 'session-2', session, expiresAt);
    });
    await work.write();

    // Assess
    expect(commands).toEqual(['TransactWriteItemsCommand']);
    expect(await sessions.find('session-1')).toBeUndefined();
    expect(await sessions.find('session-2')).toEqual(session);
    expect(await log.recent('account-1', 10)).toHaveLength(2);
  });

  it('writes a lone session as a single write when nothing was recorded', async () => {
    // Prepare
    const { table, sessions, commands } = await countedLog();

    // Act
    const work = await table.collect(() => sessions.save('session-1', session, expiresAt, true));
    await work.write();

    // Assess
    expect(commands).toEqual(['PutItemCommand']);
  });

  it('still writes the audit events when the session’s write is refused', async () => {
    // Prepare
    const { log, table, sessions } = await countedLog();

    // Act: the session has ended (there is none to update)
    const work = await table.collect(async () => {
      await log.record(event('code-failed'));
      await sessions.save('gone', session, expiresAt, false);
    });
    await work.write();

    // Assess
    expect(work.outcome.status).toBe('rejected');
    expect((work.outcome as PromiseRejectedResult).reason).toBeInstanceOf(SessionEndedError);
    expect((await log.recent('account-1', 10)).map((recorded) => recorded.type)).toEqual(['code-failed']);
  });
});

/**
 * The whole service in one process, as `npm start` wires it, with a middleware on the DynamoDB
 * client that records every call (command, start, end) under the HTTP request that made it.
 * Run as a child of a benchmark, which drives it over HTTP and asks over IPC for what was counted,
 * the process's CPU time, and the messages it sent; so the benchmark's own work is not counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Argon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.ts';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoClientStore } from '../../src/adapters/dynamodb/dynamo-client-store.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { createCommonPasswordList } from '../../src/adapters/files/common-password-file.ts';
import { LocalSecretBox } from '../../src/adapters/local/local-secret-box.ts';
import { generatePrivateJwk, LocalTokenSigner } from '../../src/adapters/local/local-token-signer.ts';
import { LocalOutbox, type OutboxFilter } from '../../src/adapters/local/outbox.ts';
import { registerClient } from '../../src/domain/clients/client-registration.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { resolveLimits } from '../../src/domain/limits/limits.ts';
import { createDevServer } from '../../src/local/dev-server.ts';
import { ensureTable, localClient, startDynamoDbLocal } from '../../src/local/dynamodb-local.ts';
import { findFreePort } from '../../src/local/free-port.ts';
import { createLocalHandlers } from '../../src/local/local-handlers.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { InMemoryMetrics } from '../../src/platform/metrics.ts';
import { median } from './statistics.ts';

/** One DynamoDB call, in milliseconds of this process's clock. */
export interface StoreCall {
  readonly request: string;
  readonly command: string;
  /** The kind of item: its partition and sort key prefixes (`SESSION/SESSION`), or the index queried. */
  readonly item: string;
  readonly start: number;
  readonly end: number;
}

export type StackQuestion =
  | { readonly type: 'calls' }
  | { readonly type: 'cpu' }
  | { readonly type: 'argon2' }
  | { readonly type: 'latest'; readonly filter: OutboxFilter };

export interface StackReady {
  readonly type: 'ready';
  readonly baseUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly privateKeyPem: string;
}

interface CallInput {
  readonly Key?: Record<string, unknown>;
  readonly Item?: Record<string, unknown>;
  readonly IndexName?: string;
  readonly TransactItems?: readonly Record<string, CallInput>[];
  readonly RequestItems?: Record<string, readonly Record<string, CallInput>[]>;
}

const prefix = (value: unknown) => String(value ?? '').split('#')[0];
const itemKind = (input: CallInput): string => {
  if (input.TransactItems)
    return input.TransactItems.map((action) => Object.values(action).map(itemKind).join()).join(' + ');
  if (input.RequestItems)
    return Object.values(input.RequestItems)
      .flatMap((requests) => requests.map((request) => Object.values(request).map(itemKind).join()))
      .join(' + ');
  if (input.IndexName) return `index ${input.IndexName}`;
  const key = input.Key ?? input.Item;
  return key ? `${prefix(key.pk)}/${prefix(key.sk)}` : '?';
};

const requestOf = new AsyncLocalStorage<string>();
let calls: StoreCall[] = [];

const folder = await mkdtemp(join(tmpdir(), 'patient-login-counted-'));
const dynamoDb = await startDynamoDbLocal({ port: await findFreePort() });
const admin = localClient(dynamoDb.endpoint);
await ensureTable(admin, 'patient-login');
admin.destroy();

const documentClient = createDocumentClient({ endpoint: dynamoDb.endpoint });
documentClient.middlewareStack.add(
  (next, context) => async (args) => {
    const request = requestOf.getStore();
    const start = performance.now();
    try {
      return await next(args);
    } finally {
      if (request)
        calls.push({
          request,
          command: context.commandName ?? '?',
          item: itemKind(args.input as CallInput),
          start,
          end: performance.now(),
        });
    }
  },
  { step: 'initialize', name: 'countStoreCalls' },
);
const table = new DynamoTable({ client: documentClient, tableName: 'patient-login', clock: systemClock });

const port = await findFreePort();
const issuer = `http://127.0.0.1:${port}`;
const outbox = await LocalOutbox.open({ directory: join(folder, 'outbox') });
const handlers = createLocalHandlers({
  issuer,
  signer: await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]),
  logger: createLogger('SILENT'),
  metrics: new InMemoryMetrics(),
  table,
  clock: systemClock,
  limits: resolveLimits(),
  allowedPhoneCountries: ['GB'],
  email: outbox,
  sms: outbox,
  hasher: new Argon2PasswordHasher(),
  commonPasswords: createCommonPasswordList(),
  serviceName: 'NHS login',
  secrets: new LocalSecretBox(randomBytes(32)),
});
const server = createDevServer({ handlers });
// Every request's calls are recorded under its method and path.
const listeners = server.listeners('request') as ((...args: unknown[]) => void)[];
server.removeAllListeners('request');
server.on('request', (request, response) =>
  requestOf.run(`${request.method} ${(request.url ?? '').split('?')[0]}`, () => {
    for (const listener of listeners) listener.call(server, request, response);
  }),
);
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const redirectUri = 'http://localhost:3001/callback';
const client = await registerClient(
  {
    name: 'Benchmark service',
    redirectUris: [redirectUri],
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    scopes: ['openid', 'email', 'phone'],
    vectorsOfTrust: ['P0.Cp.Cd'],
    refreshTokens: true,
  },
  { newClientId: () => 'bench-service', now: systemClock, allowLocalRedirects: true },
);
await new DynamoClientStore(table).create(client);

/** CPU milliseconds of one native argon2id verification at the parameters we hash with (median of 5). */
const argon2VerifyMs = async (): Promise<number> => {
  const hasher = new Argon2PasswordHasher();
  const phc = await hasher.hash('correct horse battery staple');
  const runs: number[] = [];
  for (let run = 0; run < 5; run += 1) {
    const before = process.cpuUsage();
    await hasher.verify(phc, 'correct horse battery staple');
    const used = process.cpuUsage(before);
    runs.push((used.user + used.system) / 1000);
  }
  return median(runs);
};

const answer = async (question: StackQuestion): Promise<unknown> => {
  switch (question.type) {
    case 'calls': {
      const taken = calls;
      calls = [];
      return taken;
    }
    case 'cpu': {
      const usage = process.cpuUsage();
      return { user: usage.user / 1000, system: usage.system / 1000 };
    }
    case 'argon2':
      return argon2VerifyMs();
    case 'latest':
      return outbox.latest(question.filter);
  }
};

process.on('message', (message: StackQuestion & { id: number }) => {
  void answer(message).then((value) => process.send?.({ id: message.id, value }));
});
process.on('disconnect', async () => {
  server.close();
  server.closeAllConnections();
  await dynamoDb.stop();
  await rm(folder, { recursive: true, force: true });
  process.exit(0);
});
process.send?.({
  type: 'ready',
  baseUrl: issuer,
  clientId: client.clientId,
  redirectUri,
  privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
} satisfies StackReady);

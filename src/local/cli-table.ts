import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { systemClock } from '../domain/clock.ts';
import { DomainError } from '../domain/errors.ts';
import { InvalidInputError } from '../domain/invalid-input-error.ts';
import {
  ensureTable,
  isAnswering,
  localClient,
  startDynamoDbLocal,
  useRunningDynamoDb,
} from './dynamodb-local.ts';
import { type LocalSettings, readLocalSettings } from './local-settings.ts';
import { dataPaths } from './local-stack.ts';

/** A problem the operator can fix: printed as it is, without a stack trace. */
export class UsageError extends Error {}

/**
 * The table an operator's command works on: the table in AWS when named (with the usual AWS
 * credentials and region), else the local stack's (DynamoDB Local on DYNAMODB_PORT with its data in
 * DATA_DIR, started for the command if the local stack is not running; or DYNAMODB_ENDPOINT's).
 */
export const openCommandTable = async (
  tableName: string | undefined,
): Promise<{
  readonly table: DynamoTable;
  /** The local settings, when the table is the local stack's. */
  readonly local: LocalSettings | undefined;
  close: () => Promise<void>;
}> => {
  if (tableName) {
    const table = new DynamoTable({ client: createDocumentClient(), tableName, clock: systemClock });
    return { table, local: undefined, close: async () => {} };
  }
  const settings = readLocalSettings(process.env);
  let endpoint = settings.dynamoDbEndpoint ?? `http://127.0.0.1:${settings.dynamoDbPort}`;
  let close = async () => {};
  if (settings.dynamoDbEndpoint) await useRunningDynamoDb(settings.dynamoDbEndpoint);
  else if (!(await isAnswering(endpoint))) {
    const dynamoDb = await startDynamoDbLocal({
      port: settings.dynamoDbPort,
      dataDirectory: dataPaths(settings.dataDirectory).dynamoDb,
    });
    endpoint = dynamoDb.endpoint;
    close = () => dynamoDb.stop();
  }
  const admin = localClient(endpoint);
  try {
    await ensureTable(admin, settings.tableName);
  } finally {
    admin.destroy();
  }
  const table = new DynamoTable({
    client: createDocumentClient({ endpoint }),
    tableName: settings.tableName,
    clock: systemClock,
  });
  return { table, local: settings, close };
};

/** Runs an operator command's `main`: known problems printed as they are, anything else as a failure. */
export const runCommand = (main: () => Promise<void>): void => {
  main().catch((error: unknown) => {
    const badArguments = String((error as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
    const known = error instanceof DomainError || error instanceof UsageError || badArguments;
    const message =
      error instanceof InvalidInputError
        ? error.problems.map((problem) => `${problem.field}: ${problem.message}`).join('\n')
        : error instanceof DomainError
          ? error.description
          : error instanceof Error
            ? error.message
            : String(error);
    process.stderr.write(`${known ? message : `The command failed: ${message}`}\n`);
    process.exit(1);
  });
};

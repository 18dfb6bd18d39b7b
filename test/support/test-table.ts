import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { ensureTable, localClient } from '../../src/local/dynamodb-local.ts';

/** A fresh table in the run's DynamoDB Local, so tests never see each other's items. */
export const createTestTable = async (clock: Clock = () => new Date()): Promise<DynamoTable> => {
  const endpoint = inject('dynamoDbEndpoint');
  const tableName = `test-${randomUUID()}`;
  const client = localClient(endpoint);
  try {
    await ensureTable(client, tableName);
  } finally {
    client.destroy();
  }
  return new DynamoTable({ client: createDocumentClient({ endpoint }), tableName, clock });
};

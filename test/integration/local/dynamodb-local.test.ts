import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createTableInput } from '../../../src/adapters/dynamodb/table-schema.ts';
import { ensureTable, localClient } from '../../../src/local/dynamodb-local.ts';

describe('ensureTable', () => {
  it('adds the indexes a table made before them lacks, with the schema’s projection', async () => {
    // Prepare: the table as it was before the sessions index
    const client = localClient(inject('dynamoDbEndpoint'));
    const tableName = `test-${randomUUID()}`;
    const current = createTableInput(tableName);
    const before = {
      ...current,
      AttributeDefinitions: current.AttributeDefinitions?.filter(
        (definition) => !definition.AttributeName?.startsWith('gsi2'),
      ),
      GlobalSecondaryIndexes: current.GlobalSecondaryIndexes?.filter((index) => index.IndexName === 'gsi1'),
    };
    await client.send(new CreateTableCommand(before));

    // Act
    await ensureTable(client, tableName);
    await ensureTable(client, tableName);

    // Assess
    const { Table: table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    client.destroy();
    const indexes = (table?.GlobalSecondaryIndexes ?? []).map((index) => [
      index.IndexName,
      index.Projection?.ProjectionType,
    ]);
    expect(indexes.sort()).toEqual([
      ['gsi1', 'ALL'],
      ['sessions', 'KEYS_ONLY'],
    ]);
  });
});

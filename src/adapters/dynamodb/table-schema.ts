import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The single table: its keys, indexes and TTL attribute. The CDK stack and the local bootstrap
 * both build the table from this description, so the two cannot drift.
 */
export const tableSchema = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item some time after (up to 48 hours), so reads check it too. */
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /**
     * Listing by kind and look-ups by a secondary identifier (every relying-party client, an
     * account by its subject): whole items, since those look-ups read them.
     */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    /**
     * An account's browser sessions, to end them all: keys only, so the many writes of a session
     * (each page keeps it alive) never write the index, only its creation and its end.
     */
    { indexName: 'sessions', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
  ],
} as const;

export type IndexName = (typeof tableSchema.globalSecondaryIndexes)[number]['indexName'];

/** The CreateTable request for DynamoDB Local (on-demand, the same keys and indexes as in AWS). */
export const createTableInput = (tableName: string): CreateTableCommandInput => {
  const keyNames = [
    tableSchema.partitionKey,
    tableSchema.sortKey,
    ...tableSchema.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keyNames.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: tableSchema.partitionKey, KeyType: 'HASH' },
      { AttributeName: tableSchema.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: tableSchema.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
  };
};

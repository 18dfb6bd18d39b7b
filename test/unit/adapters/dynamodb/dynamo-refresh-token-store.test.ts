import {
  DynamoDBClient,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoRefreshTokenStore } from '../../../../src/adapters/dynamodb/dynamo-refresh-token-store.ts';
import { DynamoTable } from '../../../../src/adapters/dynamodb/dynamo-table.ts';
import { ConflictError, ServiceUnavailableError } from '../../../../src/domain/errors.ts';

// DynamoDB Local runs transactions one at a time, so these races of the real service are staged here.

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-2' }));
const sdk = mockClient(documentClient);
const store = new DynamoRefreshTokenStore(
  new DynamoTable({
    client: documentClient,
    tableName: 'table',
    clock: () => new Date('2026-11-22T10:00:00Z'),
  }),
);
const rotation = {
  grantId: 'grant-1',
  fromDigest: 'digest-1',
  toDigest: 'digest-2',
  expiresAt: 1_800_000_000,
};

const transactionConflict = () =>
  new TransactionConflictException({ $metadata: {}, message: 'Transaction is ongoing for the item' });

describe('DynamoRefreshTokenStore', () => {
  afterEach(() => {
    sdk.reset();
  });

  it('reports a rotation cancelled by a concurrent one on the same family as lost (a conflict)', async () => {
    // Prepare
    sdk.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        $metadata: {},
        message: 'Transaction cancelled',
        CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }],
      }),
    );

    // Act
    const outcome = store.rotate(rotation);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ConflictError);
  });

  it('keeps a throttled rotation retryable rather than a conflict', async () => {
    // Prepare
    sdk.on(TransactWriteCommand).rejects(
      new TransactionCanceledException({
        $metadata: {},
        message: 'Transaction cancelled',
        CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
      }),
    );

    // Act
    const outcome = store.rotate(rotation);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('retries a revocation refused while a rotation holds the family', async () => {
    // Prepare
    sdk.on(PutCommand).rejectsOnce(transactionConflict()).rejectsOnce(transactionConflict()).resolves({});

    // Act
    await store.revokeFamily('grant-1', 1_800_000_000);

    // Assess
    const puts = sdk.commandCalls(PutCommand);
    expect(puts).toHaveLength(3);
    expect(puts[2]?.args[0].input.Item).toMatchObject({ status: 'revoked', grantId: 'grant-1' });
  });

  it('gives up on a revocation after four refusals', async () => {
    // Prepare
    sdk.on(PutCommand).rejects(transactionConflict());

    // Act
    const outcome = store.revokeFamily('grant-1', 1_800_000_000);

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(sdk.commandCalls(PutCommand)).toHaveLength(4);
  });
});

import { randomUUID } from 'node:crypto';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoAccountStore } from '../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { resolveLimits } from '../../src/domain/limits/limits.ts';
import { readLocalSettings } from '../../src/local/local-settings.ts';
import { authorizationCodesOn } from '../../src/wiring/oidc-services.ts';

/**
 * The local stack's table seen from a benchmark, with one patient in it and the codes /authorize
 * would issue: for timing the back channel without the patient's pages.
 */
export const benchStore = async (dynamoDbPort: number) => {
  const table = new DynamoTable({
    client: createDocumentClient({ endpoint: `http://127.0.0.1:${dynamoDbPort}` }),
    tableName: readLocalSettings({}).tableName,
    clock: systemClock,
  });
  const account = {
    accountId: randomUUID(),
    subject: randomUUID(),
    email: 'bench@example.com',
    passwordHash: 'not-used-here',
    phoneNumber: '+447700900123',
    proofingLevel: 'P0' as const,
    createdAt: new Date().toISOString(),
  };
  await new DynamoAccountStore(table).create(account);
  return { table, account, codes: authorizationCodesOn(table, systemClock, resolveLimits()) };
};

import { generateKeyPairSync } from 'node:crypto';
import { DynamoClientStore } from '../../src/adapters/dynamodb/dynamo-client-store.ts';
import type { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { registerClient } from '../../src/domain/clients/client-registration.ts';

/** Registers a relying party on the table, with a fresh key, as `npm run client -- add` does. */
export const registerTestService = async (
  table: DynamoTable,
  service: {
    readonly clientId: string;
    readonly name: string;
    readonly redirectUri: string;
    readonly scopes: readonly string[];
    readonly vectorsOfTrust: readonly string[];
  },
): Promise<void> => {
  const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  await new DynamoClientStore(table).create(
    await registerClient(
      {
        clientId: service.clientId,
        name: service.name,
        redirectUris: [service.redirectUri],
        publicKey,
        scopes: [...service.scopes],
        vectorsOfTrust: [...service.vectorsOfTrust],
      },
      { newClientId: () => service.clientId, now: () => new Date(), allowLocalRedirects: true },
    ),
  );
};

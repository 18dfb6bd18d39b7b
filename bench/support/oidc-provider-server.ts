/**
 * node-oidc-provider 9, configured as much like our token endpoint as it allows (private_key_jwt
 * RS512, RS512 ID tokens, refresh tokens rotated on every use), on a DynamoDB adapter over the same
 * DynamoDB Local, for bench/token-endpoint-comparison.ts. Run as a child process: it answers HTTP
 * on PORT and, over IPC, mints authorization codes as its authorization endpoint would.
 */
import { createServer } from 'node:http';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';

const endpoint = process.env.DYNAMODB_ENDPOINT ?? '';
const tableName = process.env.TABLE_NAME ?? '';
const port = Number(process.env.PORT);
const client: DynamoDBDocumentClient = createDocumentClient({ endpoint });

/** One item per stored model instance, as its example adapter keeps them; grants listed in gsi1. */
class DynamoAdapter implements Adapter {
  readonly #model: string;
  constructor(model: string) {
    this.#model = model;
  }
  #key(id: string) {
    return { pk: `${this.#model}#${id}`, sk: 'OIDC' };
  }
  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          ...this.#key(id),
          payload,
          expiresAt: Math.floor(Date.now() / 1000) + expiresIn,
          ...(payload.grantId
            ? { gsi1pk: `OIDC_GRANT#${payload.grantId}`, gsi1sk: `${this.#model}#${id}` }
            : {}),
        },
      }),
    );
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: this.#key(id), ConsistentRead: true }),
    );
    if (!Item || Item.expiresAt <= Math.floor(Date.now() / 1000)) return undefined;
    return { ...Item.payload, ...(Item.consumed ? { consumed: Item.consumed } : {}) } as AdapterPayload;
  }
  async findByUserCode(): Promise<undefined> {
    return undefined;
  }
  async findByUid(): Promise<undefined> {
    return undefined;
  }
  async consume(id: string): Promise<void> {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: this.#key(id),
        UpdateExpression: 'SET #consumed = :now',
        ExpressionAttributeNames: { '#consumed': 'consumed' },
        ExpressionAttributeValues: { ':now': Math.floor(Date.now() / 1000) },
      }),
    );
  }
  async destroy(id: string): Promise<void> {
    await client.send(new DeleteCommand({ TableName: tableName, Key: this.#key(id) }));
  }
  async revokeByGrantId(grantId: string): Promise<void> {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :grant',
        ExpressionAttributeValues: { ':grant': `OIDC_GRANT#${grantId}` },
      }),
    );
    await Promise.all(
      Items.map((item) =>
        client.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } })),
      ),
    );
  }
}

const settings = JSON.parse(process.env.PROVIDER_SETTINGS ?? '{}') as {
  issuer: string;
  signingJwk: Record<string, unknown>;
  clientJwk: Record<string, unknown>;
  clientId: string;
  redirectUri: string;
};

const provider = new Provider(settings.issuer, {
  adapter: DynamoAdapter,
  clients: [
    {
      client_id: settings.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'RS512',
      id_token_signed_response_alg: 'RS512',
      jwks: { keys: [settings.clientJwk] },
      redirect_uris: [settings.redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    },
  ],
  jwks: { keys: [settings.signingJwk] },
  enabledJWA: {
    clientAuthSigningAlgValues: ['RS512'],
    idTokenSigningAlgValues: ['RS512'],
  },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    phone: ['phone_number', 'phone_number_verified'],
  },
  findAccount: async (_ctx, sub) => ({
    accountId: sub,
    claims: async () => ({
      sub,
      email: 'bench@example.com',
      email_verified: true,
      phone_number: '+447700900123',
    }),
  }),
  // As ours: every code grant to a client registered for refresh tokens gets one, rotated on every use.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  pkce: { required: () => false },
  // Codes are minted over IPC: no interaction pages are needed.
  features: { devInteractions: { enabled: false } },
  ttl: {
    AccessToken: 3600,
    AuthorizationCode: 600,
    IdToken: 3600,
    RefreshToken: 30 * 24 * 3600,
    Grant: 30 * 24 * 3600,
  },
});
// The bench's client assertions name the token endpoint as their audience, as ours require.
provider.on('server_error', (_ctx, error) => process.stderr.write(`${error.stack}\n`));

const server = createServer(provider.callback());
await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

/** A code as its authorization endpoint would issue it after consent: a saved grant, then the code. */
const mintCode = async (accountId: string): Promise<string> => {
  const grant = new provider.Grant({ accountId, clientId: settings.clientId });
  grant.addOIDCScope('openid email phone');
  const grantId = await grant.save();
  const clientModel = await provider.Client.find(settings.clientId);
  const code = new provider.AuthorizationCode({
    accountId,
    grantId,
    client: clientModel,
    redirectUri: settings.redirectUri,
    scope: 'openid email phone',
    nonce: `nonce-${grantId}`,
    authTime: Math.floor(Date.now() / 1000),
  } as never);
  return code.save();
};

process.on('message', (message: { id: number; count: number; accountId: string }) => {
  void Promise.all(Array.from({ length: message.count }, () => mintCode(message.accountId))).then((codes) =>
    process.send?.({ id: message.id, codes }),
  );
});
process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
process.send?.({ ready: true });

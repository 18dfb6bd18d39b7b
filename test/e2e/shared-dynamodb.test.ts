import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isAnswering,
  localClient,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '../../src/local/dynamodb-local.ts';
import { findFreePort } from '../../src/local/free-port.ts';
import { startLocalStackProcess } from '../support/local-stack-process.ts';

describe('npm start with DYNAMODB_ENDPOINT', () => {
  let dataDirectory: string;
  let shared: RunningDynamoDbLocal;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'patient-login-shared-'));
    shared = await startDynamoDbLocal({ port: await findFreePort() });
  });
  afterAll(async () => {
    await shared?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('uses the DynamoDB already running there, creates its table, and leaves it running', async () => {
    // Prepare
    const tableName = 'patient-login-shared';

    // Act
    const stack = await startLocalStackProcess(dataDirectory, {
      env: { DYNAMODB_ENDPOINT: shared.endpoint, TABLE_NAME: tableName },
    });
    const discovery = await fetch(`${stack.issuer}/.well-known/openid-configuration`);
    await stack.stop();

    // Assess
    expect(stack.output()).toContain(
      `DynamoDB:        ${shared.endpoint} (DYNAMODB_ENDPOINT, table ${tableName})`,
    );
    expect(discovery.status).toBe(200);
    const client = localClient(shared.endpoint);
    const { TableNames } = await client.send(new ListTablesCommand({}));
    client.destroy();
    expect(TableNames).toContain(tableName);
    expect(await isAnswering(shared.endpoint)).toBe(true);
  });

  it('says what to do when nothing answers there, and does not start', async () => {
    // Prepare
    const nowhere = `http://127.0.0.1:${await findFreePort()}`;

    // Act
    const start = startLocalStackProcess(dataDirectory, { env: { DYNAMODB_ENDPOINT: nowhere } });

    // Assess
    await expect(start).rejects.toThrow(
      `Nothing answers DynamoDB's API at DYNAMODB_ENDPOINT (${nowhere}). Start it, correct the URL, or unset DYNAMODB_ENDPOINT`,
    );
  });

  it('refuses an endpoint that is not a URL, naming the setting', async () => {
    // Act
    const start = startLocalStackProcess(dataDirectory, { env: { DYNAMODB_ENDPOINT: 'localhost:8000' } });

    // Assess
    await expect(start).rejects.toThrow(/DYNAMODB_ENDPOINT: must be an http or https URL/);
  });
});

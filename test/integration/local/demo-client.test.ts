import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import { DEMO_CLIENT_ID, seedDemoClient } from '../../../src/local/demo-client.ts';
import { createTestTable } from '../../support/test-table.ts';

describe('seedDemoClient', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });

  const prepare = async () => {
    const directory = await mkdtemp(join(tmpdir(), 'demo-client-'));
    folders.push(directory);
    const clients = new DynamoClientStore(await createTestTable());
    const seed = (redirectUri: string) =>
      seedDemoClient({ clients, directory, redirectUris: [redirectUri], now: () => new Date() });
    return { clients, directory, seed };
  };

  it('registers the demo client once and keeps it across starts', async () => {
    // Prepare
    const { clients, seed } = await prepare();

    // Act
    const first = await seed('http://localhost:3001/callback');
    const second = await seed('http://localhost:3001/callback');

    // Assess
    expect([first.created, second.created]).toEqual([true, false]);
    expect(await clients.find(DEMO_CLIENT_ID)).toMatchObject({
      redirectUris: ['http://localhost:3001/callback'],
    });
  });

  it('registers again with the new redirect URI when the demo port changes', async () => {
    // Prepare
    const { clients, seed } = await prepare();
    await seed('http://localhost:3001/callback');

    // Act
    const again = await seed('http://localhost:4001/callback');

    // Assess
    expect(again.created).toBe(true);
    expect(await clients.find(DEMO_CLIENT_ID)).toMatchObject({
      redirectUris: ['http://localhost:4001/callback'],
    });
  });

  it('makes a new key pair when the private key is gone, and registers its public key', async () => {
    // Prepare
    const { clients, directory, seed } = await prepare();
    await seed('http://localhost:3001/callback');
    const keyBefore = (await clients.find(DEMO_CLIENT_ID))?.publicKeys[0]?.kid;
    await rm(join(directory, 'private-key.pem'));

    // Act
    await seed('http://localhost:3001/callback');

    // Assess
    const keyAfter = (await clients.find(DEMO_CLIENT_ID))?.publicKeys[0]?.kid;
    expect(keyAfter).not.toBe(keyBefore);
    expect(await readFile(join(directory, 'private-key.pem'), 'utf8')).toContain('BEGIN PRIVATE KEY');
  });
});

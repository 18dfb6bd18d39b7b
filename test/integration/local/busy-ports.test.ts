import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal } from '../../../src/local/dynamodb-local.ts';
import { listenOn, PortInUseError } from '../../../src/local/free-port.ts';

/** A port held by another listener for the length of a test. */
const occupiedPort = async (): Promise<{ port: number; server: Server }> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
};

describe('a port another program holds', () => {
  const held: Server[] = [];
  afterEach(async () => {
    await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('says which port and which setting chooses another, instead of a raw EADDRINUSE', async () => {
    // Prepare
    const { port, server } = await occupiedPort();
    held.push(server);

    // Act
    const listening = listenOn(createServer(), {
      port,
      host: '127.0.0.1',
      setting: 'PORT',
      what: 'the patient pages',
    });

    // Assess
    await expect(listening).rejects.toBeInstanceOf(PortInUseError);
    await expect(listening).rejects.toThrow(
      `Port ${port} (PORT, for the patient pages) is already in use, perhaps by another program. Stop that program if it is yours, or choose another port: PORT=${port + 100} npm start`,
    );
  });

  it('names DYNAMODB_PORT for DynamoDB Local, and advises no command that could end other people’s processes', async () => {
    // Prepare
    const { port, server } = await occupiedPort();
    held.push(server);

    // Act
    const starting = startDynamoDbLocal({ port });

    // Assess
    await expect(starting).rejects.toThrow(/DYNAMODB_PORT=\d+ npm start/);
    await expect(starting).rejects.not.toThrow(/pkill|killall|kill -9/);
  });

  it('prints the message, not a stack trace, when npm start meets a busy port', async () => {
    // Prepare
    const { port, server } = await occupiedPort();
    held.push(server);

    // Act: the store's port is checked first, before anything is started
    const run = spawnSync(process.execPath, ['src/local/start.ts'], {
      env: { ...process.env, DYNAMODB_PORT: String(port) },
      encoding: 'utf8',
      timeout: 60_000,
    });

    // Assess
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `The local stack could not start. Port ${port} (DYNAMODB_PORT, for DynamoDB Local)`,
    );
    expect(run.stderr).not.toContain('    at ');
    expect(run.stderr).not.toContain('EADDRINUSE');
  });
});

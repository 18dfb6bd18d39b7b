import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import {
  ClientAlreadyRegisteredError,
  InvalidClientRegistrationError,
  UnknownClientError,
} from '../../../src/domain/clients/client-errors.ts';
import { runClientCommand } from '../../../src/local/client-cli.ts';
import { createTestTable } from '../../support/test-table.ts';

const rsaPair = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = () => rsaPair().publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** Runs the client command in process against a fresh table, capturing what it prints. */
const cli = async (files: Record<string, string> = {}) => {
  const clients = new DynamoClientStore(await createTestTable());
  const output: string[] = [];
  const run = (...argv: string[]) =>
    runClientCommand(
      argv,
      clients,
      {
        out: (line) => output.push(line),
        readFile: async (path) => {
          const content = files[path];
          if (content === undefined) throw new Error('ENOENT');
          return content;
        },
      },
      { allowLocalRedirects: true },
    );
  return { clients, output, run };
};

describe('npm run client', () => {
  it('registers a client and shows it back', async () => {
    // Prepare
    const { clients, output, run } = await cli({ 'key.pem': publicPem() });

    // Act
    await run(
      'add',
      '--client-id',
      'gp-app',
      '--name',
      'GP app',
      '--redirect-uri',
      'https://gp.example/callback',
      '--public-key',
      'key.pem',
      '--scope',
      'openid',
      '--scope',
      'profile',
      '--vtr',
      'P9.Cp.Cd',
      '--pkce-required',
      '--no-registration',
      '--sso-partner',
      'pharmacy-web',
      '--sso-partner',
      'gp-web',
    );
    await run('show', 'gp-app');

    // Assess
    expect(await clients.find('gp-app')).toMatchObject({
      clientId: 'gp-app',
      name: 'GP app',
      redirectUris: ['https://gp.example/callback'],
      scopes: ['openid', 'profile'],
      vectorsOfTrust: ['P9.Cp.Cd'],
      allowRegistration: false,
      pkceRequired: true,
      singleSignOnPartners: ['pharmacy-web', 'gp-web'],
    });
    expect(output.at(-1)).toMatch(/client_id: +gp-app[\s\S]*PKCE required: +yes/);
    expect(output.at(-1)).toMatch(/SSO partners: +pharmacy-web gp-web/);
  });

  it('applies the defaults: openid only, the default vtr, registration allowed', async () => {
    // Prepare
    const { clients, run } = await cli({ 'key.pem': publicPem() });

    // Act
    await run(
      'add',
      '--client-id',
      'plain',
      '--name',
      'Plain',
      '--redirect-uri',
      'http://localhost:3001/cb',
      '--public-key',
      'key.pem',
    );

    // Assess
    expect(await clients.find('plain')).toMatchObject({
      scopes: ['openid'],
      vectorsOfTrust: ['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'],
      allowRegistration: true,
      pkceRequired: false,
    });
  });

  it('refuses a bad PEM and stores nothing', async () => {
    // Prepare
    const { clients, run } = await cli({
      'bad.pem': '-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----',
    });

    // Act
    const result = await run(
      'add',
      '--name',
      'X',
      '--redirect-uri',
      'https://x.example/cb',
      '--public-key',
      'bad.pem',
    ).catch((error: unknown) => error);

    // Assess
    expect(result).toBeInstanceOf(InvalidClientRegistrationError);
    expect((result as InvalidClientRegistrationError).problems).toEqual([
      'The PEM could not be read as a public key; check it was copied whole.',
    ]);
    expect(await clients.list()).toEqual([]);
  });

  it('refuses a non-https redirect URI and stores nothing', async () => {
    // Prepare
    const { clients, run } = await cli({ 'key.pem': publicPem() });

    // Act
    const result = await run(
      'add',
      '--name',
      'X',
      '--redirect-uri',
      'http://x.example/cb',
      '--public-key',
      'key.pem',
    ).catch((error: unknown) => error);

    // Assess
    expect((result as InvalidClientRegistrationError).problems).toEqual([
      '"http://x.example/cb" must use https (http is allowed only for localhost and 127.0.0.1).',
    ]);
    expect(await clients.list()).toEqual([]);
  });

  it('refuses a second client with the same client_id and keeps the first', async () => {
    // Prepare
    const { clients, run } = await cli({ 'key.pem': publicPem() });
    const add = (name: string) =>
      run(
        'add',
        '--client-id',
        'same',
        '--name',
        name,
        '--redirect-uri',
        'https://a.example/cb',
        '--public-key',
        'key.pem',
      );
    await add('First');

    // Act
    const result = await add('Second').catch((error: unknown) => error);

    // Assess
    expect(result).toBeInstanceOf(ClientAlreadyRegisteredError);
    expect(await clients.find('same')).toMatchObject({ name: 'First' });
  });

  it('lists and removes clients, and reports removing an unknown one', async () => {
    // Prepare
    const { clients, output, run } = await cli({ 'key.pem': publicPem() });
    for (const id of ['b-client', 'a-client']) {
      await run(
        'add',
        '--client-id',
        id,
        '--name',
        id,
        '--redirect-uri',
        'https://a.example/cb',
        '--public-key',
        'key.pem',
      );
    }

    // Act
    await run('list');
    const listed = output.at(-1);
    await run('remove', 'a-client');
    const unknown = await run('remove', 'a-client').catch((error: unknown) => error);

    // Assess
    expect(listed).toBe('a-client  a-client\nb-client  b-client');
    expect((await clients.list()).map((client) => client.clientId)).toEqual(['b-client']);
    expect(unknown).toBeInstanceOf(UnknownClientError);
  });

  it('explains a missing key file without a stack trace', async () => {
    // Prepare
    const { run } = await cli();

    // Act
    const result = await run(
      'add',
      '--name',
      'X',
      '--redirect-uri',
      'https://x.example/cb',
      '--public-key',
      'missing.pem',
    ).catch((error: unknown) => error);

    // Assess
    expect((result as Error).message).toBe('The public key file "missing.pem" could not be read.');
  });
});

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoClientStore } from '../adapters/dynamodb/dynamo-client-store.ts';
import { registerClient } from '../domain/clients/client-registration.ts';
import type { ClientStore, RelyingPartyClient } from '../domain/clients/relying-party-client.ts';
import { systemClock } from '../domain/clock.ts';
import { defaultVtr } from '../domain/oidc/vectors-of-trust.ts';
import { openCommandTable, runCommand, UsageError } from './cli-table.ts';

const usage = `Manage relying-party clients.

  npm run client -- add --name NAME --redirect-uri URI [--redirect-uri URI ...]
                        --public-key FILE (a PEM public key, or a JWKS in JSON)
                        [--scope SCOPE ...] (default: openid)
                        [--vtr VECTOR ...]  (default: ${defaultVtr.join(' ')})
                        [--client-id ID] [--no-registration] [--pkce-required] [--refresh-tokens]
                        [--post-logout-redirect-uri URI ...]
                        [--sso-partner CLIENT_ID ...] (clients it may hand patients to
                         with asserted_login_identity)
  npm run client -- list
  npm run client -- show CLIENT_ID
  npm run client -- remove CLIENT_ID

By default the local stack's store is used (DynamoDB Local on DYNAMODB_PORT, default 8000, with its
data in DATA_DIR, default .data); it is started for the command if the local stack is not running.
With DYNAMODB_ENDPOINT set, the DynamoDB running there is used, as npm start uses it.
With --table NAME the table in AWS is used, with the usual AWS credentials and region.`;

const options = {
  name: { type: 'string' },
  'redirect-uri': { type: 'string', multiple: true },
  'post-logout-redirect-uri': { type: 'string', multiple: true },
  'public-key': { type: 'string' },
  scope: { type: 'string', multiple: true },
  vtr: { type: 'string', multiple: true },
  'client-id': { type: 'string' },
  'no-registration': { type: 'boolean' },
  'pkce-required': { type: 'boolean' },
  'refresh-tokens': { type: 'boolean' },
  'sso-partner': { type: 'string', multiple: true },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The CLI's output and failures, so tests can run it in process. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

export const describeClient = (client: RelyingPartyClient): string =>
  [
    `client_id:          ${client.clientId}`,
    `name:               ${client.name}`,
    `redirect URIs:      ${client.redirectUris.join('\n                    ')}`,
    `logout redirects:   ${client.postLogoutRedirectUris?.join('\n                    ') || 'none'}`,
    `scopes:             ${client.scopes.join(' ')}`,
    `vectors of trust:   ${client.vectorsOfTrust.join(' ')}`,
    `allow registration: ${client.allowRegistration ? 'yes' : 'no'}`,
    `PKCE required:      ${client.pkceRequired ? 'yes' : 'no'}`,
    `refresh tokens:     ${client.refreshTokens ? 'yes' : 'no'}`,
    `SSO partners:       ${client.singleSignOnPartners?.join(' ') || 'none'}`,
    `public keys:        ${client.publicKeys.map((key) => `${key.kid} (${key.algorithms.join(', ')})`).join('\n                    ')}`,
    `registered:         ${client.createdAt}`,
  ].join('\n');

/** Runs one client command against a store. */
export const runClientCommand = async (
  argv: readonly string[],
  clients: ClientStore,
  io: CliIo,
  policy: { readonly allowLocalRedirects: boolean } = { allowLocalRedirects: false },
): Promise<void> => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
  });
  const [command, clientId] = positionals;
  if (values.help || command === undefined) {
    io.out(usage);
    return;
  }
  switch (command) {
    case 'add': {
      if (!values['public-key']) throw new UsageError('Give the public key file with --public-key FILE.');
      let publicKey: string;
      try {
        publicKey = await io.readFile(values['public-key']);
      } catch {
        throw new UsageError(`The public key file "${values['public-key']}" could not be read.`);
      }
      const client = await registerClient(
        {
          ...(values['client-id'] ? { clientId: values['client-id'] } : {}),
          name: values.name ?? '',
          redirectUris: values['redirect-uri'] ?? [],
          postLogoutRedirectUris: values['post-logout-redirect-uri'] ?? [],
          publicKey,
          scopes: values.scope ?? ['openid'],
          vectorsOfTrust: values.vtr ?? [...defaultVtr],
          allowRegistration: !values['no-registration'],
          pkceRequired: values['pkce-required'] ?? false,
          refreshTokens: values['refresh-tokens'] ?? false,
          singleSignOnPartners: values['sso-partner'] ?? [],
        },
        { newClientId: randomUUID, now: systemClock, allowLocalRedirects: policy.allowLocalRedirects },
      );
      await clients.create(client);
      io.out(`Registered.\n${describeClient(client)}`);
      return;
    }
    case 'list': {
      const all = await clients.list();
      io.out(
        all.length === 0
          ? 'No clients are registered.'
          : all.map((client) => `${client.clientId}  ${client.name}`).join('\n'),
      );
      return;
    }
    case 'show': {
      if (!clientId) throw new UsageError('Give the client_id: npm run client -- show CLIENT_ID');
      const client = await clients.find(clientId);
      if (!client) throw new UsageError(`No client has the client_id "${clientId}".`);
      io.out(describeClient(client));
      return;
    }
    case 'remove': {
      if (!clientId) throw new UsageError('Give the client_id: npm run client -- remove CLIENT_ID');
      await clients.remove(clientId);
      io.out(`Removed ${clientId}.`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
  }
};

/** The store to use: the table in AWS, or the local stack's DynamoDB Local (started if not running). */
const openStore = async (
  table: string | undefined,
): Promise<{ clients: ClientStore; allowLocalRedirects: boolean; close: () => Promise<void> }> => {
  const opened = await openCommandTable(table);
  return {
    clients: new DynamoClientStore(opened.table),
    allowLocalRedirects: opened.local !== undefined,
    close: opened.close,
  };
};

const main = async () => {
  const argv = process.argv.slice(2);
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: false });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const table = values.table;
  const store = await openStore(typeof table === 'string' ? table : undefined);
  try {
    await runClientCommand(
      argv,
      store.clients,
      {
        out: (line) => process.stdout.write(`${line}\n`),
        // npm runs scripts from the package root; a relative path means the caller's directory.
        readFile: (path) => readFile(resolve(process.env.INIT_CWD ?? process.cwd(), path), 'utf8'),
      },
      { allowLocalRedirects: store.allowLocalRedirects },
    );
  } finally {
    await store.close();
  }
};

if (import.meta.main) runCommand(main);

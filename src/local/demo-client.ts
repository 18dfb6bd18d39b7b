import { generateKeyPairSync } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { registerClient } from '../domain/clients/client-registration.ts';
import type { ClientStore } from '../domain/clients/relying-party-client.ts';
import { supportedScopes } from '../domain/oidc/scopes.ts';
import { allVectors } from '../domain/oidc/vectors-of-trust.ts';

export const DEMO_CLIENT_ID = 'demo-service';

export interface DemoClient {
  readonly clientId: string;
  readonly privateKeyPath: string;
  readonly created: boolean;
}

const readIfPresent = async (path: string): Promise<string | undefined> => {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

/**
 * Registers the demo relying party at first start, and again whenever its registration no longer
 * matches (another demo port, or a key pair that is gone). Its RSA key pair is generated once and
 * kept under the data folder; only the public key is registered.
 */
export const seedDemoClient = async (options: {
  readonly clients: ClientStore;
  readonly directory: string;
  readonly redirectUris: readonly string[];
  readonly now: () => Date;
}): Promise<DemoClient> => {
  const privateKeyPath = join(options.directory, 'private-key.pem');
  const publicKeyPath = join(options.directory, 'public-key.pem');
  const [privateKey, storedPublicKey] = await Promise.all([
    readIfPresent(privateKeyPath),
    readIfPresent(publicKeyPath),
  ]);
  let publicKey = privateKey ? storedPublicKey : undefined;
  if (!publicKey) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await mkdir(options.directory, { recursive: true });
    await writeFile(privateKeyPath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    publicKey = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    await writeFile(publicKeyPath, publicKey);
  }

  const client = await registerClient(
    {
      clientId: DEMO_CLIENT_ID,
      name: 'Demo GP service',
      redirectUris: options.redirectUris,
      postLogoutRedirectUris: options.redirectUris.map((uri) => new URL('/', uri).href),
      publicKey,
      scopes: supportedScopes,
      vectorsOfTrust: allVectors,
      refreshTokens: true,
    },
    { newClientId: () => DEMO_CLIENT_ID, now: options.now, allowLocalRedirects: true },
  );
  const existing = await options.clients.find(DEMO_CLIENT_ID);
  const unchanged =
    existing !== undefined &&
    JSON.stringify(existing.redirectUris) === JSON.stringify(client.redirectUris) &&
    existing.publicKeys.map((key) => key.kid).join() === client.publicKeys.map((key) => key.kid).join();
  if (unchanged) return { clientId: DEMO_CLIENT_ID, privateKeyPath, created: false };
  if (existing) await options.clients.remove(DEMO_CLIENT_ID);
  await options.clients.create(client);
  return { clientId: DEMO_CLIENT_ID, privateKeyPath, created: true };
};

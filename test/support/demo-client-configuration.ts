import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';

/**
 * openid-client's configuration for the demo service the local stack registers (`demo-service`,
 * private_key_jwt with the key it wrote under `<data directory>/demo-client`): the relying party
 * the end-to-end tests use, found by discovery as any relying party would find us.
 */
export const demoClientConfiguration = async (issuer: string, dataDirectory: string) => {
  const privateKey = await importPKCS8(
    await readFile(join(dataDirectory, 'demo-client', 'private-key.pem'), 'utf8'),
    'RS512',
  );
  return oidc.discovery(
    new URL(issuer),
    'demo-service',
    { id_token_signed_response_alg: 'RS512' },
    oidc.PrivateKeyJwt(privateKey),
    { execute: [oidc.allowInsecureRequests] },
  );
};

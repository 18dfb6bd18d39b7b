import { parseArgs } from 'node:util';
import { kmsTokenSigner } from '../adapters/kms/kms-token-signer.ts';
import { LocalTokenSigner } from '../adapters/local/local-token-signer.ts';
import { readLocalSettings } from './local-settings.ts';
import { dataPaths } from './local-stack.ts';

const usage = `Print the public JWKS of the key the PDS client signs its token requests with, to register
with NHS England for application-restricted access (signed-JWT authentication).

  npm run pds-jwks                   the local stack's PDS key (in DATA_DIR, default .data; made if missing)
  npm run pds-jwks -- --key-id ARN   a stage's PDS key in KMS (alias/patient-login/<stage>/pds), with
                                     the usual AWS credentials and region`;

/** `npm run pds-jwks`: the PDS key's public JWKS on standard output; never a private key. */
const main = async () => {
  const { values } = parseArgs({ options: { 'key-id': { type: 'string' }, help: { type: 'boolean' } } });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const keyId = values['key-id'];
  const signer = keyId
    ? kmsTokenSigner({ activeKeyId: keyId, publishedKeyIds: [keyId] })
    : await LocalTokenSigner.loadOrCreate(dataPaths(readLocalSettings(process.env).dataDirectory).pdsKey);
  process.stdout.write(`${JSON.stringify(await signer.jwks(), null, 2)}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(
    `Could not read the PDS key: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

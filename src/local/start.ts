import { JavaRequiredError } from './dynamodb-local.ts';
import { PortInUseError } from './free-port.ts';
import { readLocalSettings } from './local-settings.ts';
import { startLocalStack } from './local-stack.ts';

/** `npm start`: the local composition root. Every setting has a default, so no configuration is needed. */
const main = async () => {
  const settings = readLocalSettings(process.env);
  const stack = await startLocalStack(settings);
  const lines = [
    'patient-login is running locally.',
    `  Issuer:          ${stack.issuer}`,
    `  Discovery:       ${stack.issuer}/.well-known/openid-configuration`,
    `  JWKS:            ${stack.issuer}/.well-known/jwks.json`,
    `  Patient pages:   ${stack.issuer}/`,
    `  Demo service:    ${stack.demoRelyingParty} (a relying party to try the login with)`,
    `  Outbox:          ${stack.issuer}/_dev/outbox (emails and texts sent, local stack only)`,
    `  Review console:  ${stack.reviewConsole} (ops staff: add one with npm run staff -- add --role reviewer)`,
    settings.dynamoDbEndpoint
      ? `  DynamoDB:        ${stack.dynamoDbEndpoint} (DYNAMODB_ENDPOINT, table ${settings.tableName})`
      : `  DynamoDB Local:  ${stack.dynamoDbEndpoint} (table ${settings.tableName}, data in ${settings.dataDirectory})`,
    `  Demo client_id:  ${stack.demoClient.clientId}${stack.demoClient.created ? ' (registered now)' : ''}, private key in ${stack.demoClient.privateKeyPath}`,
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof JavaRequiredError
      ? `${error.message}\n`
      : error instanceof PortInUseError
        ? `The local stack could not start. ${error.message}\n`
        : `The local stack could not start: ${String(error)}\n`,
  );
  process.exit(1);
});

import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Argon2PasswordHasher } from '../adapters/argon2/argon2-password-hasher.ts';
import { createDocumentClient } from '../adapters/dynamodb/document-client.ts';
import { DynamoClientStore } from '../adapters/dynamodb/dynamo-client-store.ts';
import { DynamoPhotoIdCheckStore } from '../adapters/dynamodb/dynamo-photo-id-check-store.ts';
import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { createCommonPasswordList } from '../adapters/files/common-password-file.ts';
import { GpLinkageClient } from '../adapters/gp/gp-linkage-client.ts';
import { LocalMediaStore } from '../adapters/local/local-media-store.ts';
import { LocalSecretBox } from '../adapters/local/local-secret-box.ts';
import { LocalTokenSigner } from '../adapters/local/local-token-signer.ts';
import { LocalOutbox } from '../adapters/local/outbox.ts';
import { createOutboxPages } from '../adapters/local/outbox-pages.ts';
import { SandboxDocumentText } from '../adapters/local/sandbox-document-text.ts';
import { SandboxFaceComparison } from '../adapters/local/sandbox-face-comparison.ts';
import { PdsFhirClient } from '../adapters/pds/pds-fhir-client.ts';
import { consoleDefaultRoute, consoleRoutes } from '../console-routes.ts';
import { systemClock } from '../domain/clock.ts';
import { createLogger } from '../platform/logger.ts';
import { InMemoryMetrics } from '../platform/metrics.ts';
import { createPhotoIdWorkflowTasks } from '../wiring/photo-id-workflow-services.ts';
import { type DemoClient, seedDemoClient } from './demo-client.ts';
import { startDemoRelyingParty } from './demo-relying-party.ts';
import { createDevServer } from './dev-server.ts';
import { ensureTable, localClient, startDynamoDbLocal, useRunningDynamoDb } from './dynamodb-local.ts';
import { findFreePort, listenOn } from './free-port.ts';
import { createLocalConsoleHandler } from './local-console.ts';
import { createLocalHandlers } from './local-handlers.ts';
import { LocalPhotoIdWorkflow } from './local-photo-id-workflow.ts';
import type { LocalSettings } from './local-settings.ts';
import { createMetricsPage } from './metrics-page.ts';
import { GpSandbox } from './sandboxes/gp-sandbox.ts';
import { PdsSandbox } from './sandboxes/pds-sandbox.ts';
import { createPhotoIdReviewControl } from './sandboxes/photo-id-review-control.ts';
import { createTestPatientPages } from './sandboxes/test-patient-pages.ts';
import { loadTestPatients } from './sandboxes/test-patients.ts';

export interface RunningLocalStack {
  readonly issuer: string;
  readonly dynamoDbEndpoint: string;
  readonly demoClient: DemoClient;
  /** The demo relying party's start page. */
  readonly demoRelyingParty: string;
  /** The review console for ops staff, on its own port. */
  readonly reviewConsole: string;
  readonly outbox: LocalOutbox;
  stop(): Promise<void>;
}

type LocalRoutes = (request: IncomingMessage, response: ServerResponse) => boolean;

/** Local-only routes tried in turn: the first that answers a request takes it. */
const firstOf =
  (...routes: LocalRoutes[]): LocalRoutes =>
  (request, response) =>
    routes.some((route) => route(request, response));

/** The data folder's layout, in one place. */
export const dataPaths = (dataDirectory: string) => ({
  dynamoDb: join(dataDirectory, 'dynamodb'),
  signingKeys: join(dataDirectory, 'signing-keys.json'),
  outbox: join(dataDirectory, 'outbox'),
  demoClient: join(dataDirectory, 'demo-client'),
  /** The key the PDS client signs its token requests with (its own, never the ID-token key). */
  pdsKey: join(dataDirectory, 'pds-signing-key.json'),
  /** The local stand-in for the KMS key GP integration credentials are sealed with. */
  gpCredentialsKey: join(dataDirectory, 'gp-credentials-key'),
  /** Photo-ID media, uploaded to the dev server, and the key its upload forms are signed with. */
  media: join(dataDirectory, 'media'),
  /** The local stand-in for the KMS key staff authenticator secrets are sealed with. */
  staffSecretsKey: join(dataDirectory, 'staff-secrets-key'),
});

/**
 * Starts the whole service on this machine: DynamoDB Local on the data folder (or the DynamoDB
 * at `DYNAMODB_ENDPOINT`), the table if it is missing, the
 * signing key, the demo client, and the server that runs every handler of the route table.
 */
export const startLocalStack = async (settings: LocalSettings): Promise<RunningLocalStack> => {
  const paths = dataPaths(settings.dataDirectory);
  const dynamoDb = settings.dynamoDbEndpoint
    ? await useRunningDynamoDb(settings.dynamoDbEndpoint)
    : await startDynamoDbLocal({ port: settings.dynamoDbPort, dataDirectory: paths.dynamoDb });
  const stops: (() => Promise<void>)[] = [() => dynamoDb.stop()];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const admin = localClient(dynamoDb.endpoint);
    await ensureTable(admin, settings.tableName);
    admin.destroy();

    const table = new DynamoTable({
      client: createDocumentClient({ endpoint: dynamoDb.endpoint }),
      tableName: settings.tableName,
      clock: systemClock,
    });
    const signer = await LocalTokenSigner.loadOrCreate(paths.signingKeys);
    const demoRelyingParty = `http://localhost:${settings.demoRelyingPartyPort}`;
    const demoClient = await seedDemoClient({
      clients: new DynamoClientStore(table),
      directory: paths.demoClient,
      redirectUris: [`${demoRelyingParty}/callback`],
      now: systemClock,
    });

    // The issuer names the port, so a free port is chosen before the handlers are built.
    const port = settings.port === 0 ? await findFreePort() : settings.port;
    const issuer = `http://localhost:${port}`;
    const outbox = await LocalOutbox.open({ directory: paths.outbox });
    // PDS: the local sandbox with the test patients, served beside the pages, unless PDS_BASE_URL names another.
    const testPatients = loadTestPatients();
    const pdsSandbox = new PdsSandbox({ patients: testPatients, clock: systemClock });
    // GP online services: the local sandbox on the same test patients, unless GP_BASE_URL names a broker.
    const gpSandbox = new GpSandbox({ patients: () => pdsSandbox.patients() });
    const sandboxBase = `${issuer}${pdsSandbox.basePath}`;
    const pdsTokenUrl = settings.pds.baseUrl ? settings.pds.tokenUrl : `${sandboxBase}/oauth2/token`;
    const demographics = new PdsFhirClient({
      baseUrl: settings.pds.baseUrl ?? `${sandboxBase}/FHIR/R4`,
      ...(pdsTokenUrl
        ? {
            auth: {
              tokenUrl: pdsTokenUrl,
              apiKey: settings.pds.apiKey,
              signer: await LocalTokenSigner.loadOrCreate(paths.pdsKey),
            },
          }
        : {}),
      clock: systemClock,
    });
    const logger = createLogger(settings.logLevel);
    const metrics = new InMemoryMetrics();
    const secrets = await LocalSecretBox.loadOrCreate(paths.gpCredentialsKey);
    // Photo ID: the media on this server, and the workflow from its ASL file, on the same adapters.
    // The review console's port is chosen now: its pages show the media, so the store lets its origin read.
    const consolePort = settings.consolePort === 0 ? await findFreePort() : settings.consolePort;
    const media = await LocalMediaStore.open({
      directory: paths.media,
      baseUrl: issuer,
      clock: systemClock,
      readOrigins: [`http://localhost:${consolePort}`, `http://127.0.0.1:${consolePort}`],
    });
    const photoIdChecks = new DynamoPhotoIdCheckStore(table);
    const photoIdWorkflow = new LocalPhotoIdWorkflow({
      checks: photoIdChecks,
      tasks: createPhotoIdWorkflowTasks({
        table,
        clock: systemClock,
        media,
        demographics,
        email: outbox,
        // The automated checks' sandboxes: results from the images' sandbox markers (docs/sandpit.md).
        faceComparison: new SandboxFaceComparison(),
        documentText: new SandboxDocumentText(),
        logger,
        metrics,
        issuer,
        serviceName: settings.serviceName,
        contactLink: settings.contactUrl ?? `${issuer}/contact`,
        settings: settings.photoId,
      }),
    });
    stops.push(() => photoIdWorkflow.stop());
    const hasher = new Argon2PasswordHasher();
    const handlers = createLocalHandlers({
      issuer,
      signer,
      logger,
      metrics,
      table,
      clock: systemClock,
      limits: settings.limits,
      allowedPhoneCountries: settings.allowedPhoneCountries,
      email: outbox,
      sms: outbox,
      hasher,
      commonPasswords: createCommonPasswordList(),
      serviceName: settings.serviceName,
      contactUrl: settings.contactUrl,
      demographics,
      gp: new GpLinkageClient({
        baseUrl: settings.gp.baseUrl ?? `${issuer}${gpSandbox.basePath}`,
        apiKey: settings.gp.apiKey,
      }),
      secrets,
      media,
      workflow: photoIdWorkflow,
      photoId: settings.photoId,
    });
    // The outbox pages are served by the local stack only; no route of the table reaches them.
    const server = createDevServer({
      handlers,
      localRoutes: firstOf(
        createOutboxPages(outbox),
        createMetricsPage(metrics),
        (request, response) => pdsSandbox.handle(request, response),
        (request, response) => gpSandbox.handle(request, response),
        createTestPatientPages(pdsSandbox, testPatients),
        (request, response) => media.handle(request, response),
        createPhotoIdReviewControl({ checks: photoIdChecks, decisions: photoIdWorkflow, issuer }),
      ),
      allowedHosts: ['localhost', '127.0.0.1', '::1', settings.host],
    });
    await listenOn(server, { port, host: settings.host, setting: 'PORT', what: 'the patient pages' });
    // Checks still with the reviewers when the last run stopped wait again (the store is the source of truth).
    await photoIdWorkflow.resume();
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );

    // The review console: its own server on its own port (its own origin, so its own cookies).
    const consoleServer = createDevServer({
      handlers: {
        'review-console': createLocalConsoleHandler({
          table,
          clock: systemClock,
          limits: settings.limits,
          logger,
          metrics,
          hasher,
          secrets: await LocalSecretBox.loadOrCreate(paths.staffSecretsKey),
          media,
          mediaOrigin: new URL(issuer).origin,
          decisions: photoIdWorkflow,
          serviceName: settings.serviceName,
          secureCookies: false,
        }),
      },
      routeTable: consoleRoutes,
      defaultFunction: consoleDefaultRoute.function,
      allowedHosts: ['localhost', '127.0.0.1', '::1', settings.host],
    });
    await listenOn(consoleServer, {
      port: consolePort,
      host: settings.host,
      setting: 'CONSOLE_PORT',
      what: 'the review console',
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          consoleServer.close(() => resolve());
          consoleServer.closeAllConnections();
        }),
    );

    const demo = await startDemoRelyingParty({
      issuer,
      clientId: demoClient.clientId,
      privateKeyPath: demoClient.privateKeyPath,
      port: settings.demoRelyingPartyPort,
      host: settings.host,
    });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          demo.close(() => resolve());
          demo.closeAllConnections();
        }),
    );
    const demoRelyingPartyUrl = `http://localhost:${settings.demoRelyingPartyPort}/`;

    return {
      issuer,
      dynamoDbEndpoint: dynamoDb.endpoint,
      demoClient,
      demoRelyingParty: demoRelyingPartyUrl,
      reviewConsole: `http://localhost:${consolePort}/`,
      outbox,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};

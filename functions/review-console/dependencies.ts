import { WasmArgon2PasswordHasher } from '../../src/adapters/argon2/wasm-argon2-password-hasher.ts';
import { createDocumentClient } from '../../src/adapters/dynamodb/document-client.ts';
import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { KmsSecretBox } from '../../src/adapters/kms/kms-secret-box.ts';
import { S3MediaStore, s3MediaOrigin } from '../../src/adapters/s3/s3-media-store.ts';
import { SfnPhotoIdWorkflow } from '../../src/adapters/sfn/sfn-photo-id-workflow.ts';
import { consoleUrlFor } from '../../src/console-routes.ts';
import { systemClock } from '../../src/domain/clock.ts';
import { bundleLayout, inBundlePath } from '../../src/platform/bundle-files.ts';
import { loadConfig, settings } from '../../src/platform/config.ts';
import { createLambdaMetrics } from '../../src/platform/lambda-metrics.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createPageRenderer } from '../../src/web/page-renderer.ts';
import { bundledAssetRoots, loadAssetCatalogue } from '../../src/web/static-assets.ts';
import { createReviewConsoleServices } from '../../src/wiring/review-console-services.ts';
import type { ReviewConsoleDependencies } from './handler.ts';

/** The console's composition root: the table, the media bucket, the state machine's task tokens, the staff key. */
export const dependencies = (env: Record<string, string | undefined>): ReviewConsoleDependencies => {
  const config = loadConfig(env, {
    tableName: settings.tableName,
    logLevel: settings.logLevel,
    serviceName: settings.serviceName,
    limits: settings.limits,
    mediaBucket: settings.mediaBucket,
    photoIdStateMachineArn: settings.photoIdStateMachineArn,
    staffSecretsKeyId: settings.staffSecretsKeyId,
  });
  const clock = systemClock;
  const media = new S3MediaStore({ bucket: config.mediaBucket });
  const services = createReviewConsoleServices({
    table: new DynamoTable({ client: createDocumentClient(), tableName: config.tableName, clock }),
    clock,
    limits: config.limits,
    hasher: new WasmArgon2PasswordHasher(),
    secrets: new KmsSecretBox({ keyId: config.staffSecretsKeyId }),
    media,
    decisions: new SfnPhotoIdWorkflow({ stateMachineArn: config.photoIdStateMachineArn }),
  });
  return {
    ...services,
    logger: createLogger(config.logLevel),
    metrics: createLambdaMetrics(),
    clock,
    limits: config.limits,
    renderer: createPageRenderer(
      { views: inBundlePath(bundleLayout.views), nhsukFrontend: inBundlePath(bundleLayout.nhsukFrontend) },
      { serviceName: config.serviceName, extra: { consoleUrlFor } },
    ),
    secureCookies: true,
    // Nothing sits in front of the console's API to vouch for a viewer-address header: the connection's.
    clientAddressSource: 'connection',
    assets: loadAssetCatalogue(bundledAssetRoots()),
    mediaOrigin: s3MediaOrigin(config.mediaBucket, env.AWS_REGION ?? 'eu-west-2'),
  };
};

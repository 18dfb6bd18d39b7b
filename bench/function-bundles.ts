/**
 * Builds every function's bundle as the stack deploys it (the same esbuild options, the same files
 * beside it) and prints its size and the median time Node 24 takes to import it: the part of a
 * cold start that is ours. Each import runs in a fresh process, as a new Lambda container does.
 */
import { execFileSync, execSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { copyBundledFilesCommand } from '../lib/bundled-files.ts';
import { houseBundling } from '../lib/function-bundling.ts';
import { functionEntry } from '../lib/project-paths.ts';
import { consoleFunctionSpecs } from '../src/console-routes.ts';
import { type FunctionSpec, functionSpecs } from '../src/routes.ts';
import { median } from './support/statistics.ts';

const RUNS = 5;
const TARGET_MS = 60;

/** A deployed function's environment, with values of the right shape (nothing is called). */
const environment = {
  ...process.env,
  AWS_REGION: 'eu-west-2',
  STAGE: 'bench',
  ISSUER: 'https://login.example.org',
  TABLE_NAME: 'patient-login-bench',
  SIGNING_KEY_IDS: 'arn:aws:kms:eu-west-2:111122223333:key/bench',
  ACTIVE_SIGNING_KEY_ID: 'arn:aws:kms:eu-west-2:111122223333:key/bench',
  PDS_SIGNING_KEY_ID: 'arn:aws:kms:eu-west-2:111122223333:key/bench-pds',
  GP_CREDENTIALS_KEY_ID: 'arn:aws:kms:eu-west-2:111122223333:key/bench-gp',
  MEDIA_BUCKET: 'bench-media',
  STAFF_SECRETS_KEY_ID: 'arn:aws:kms:eu-west-2:111122223333:key/bench-staff',
  APP_SECRETS_KEY_ID: 'arn:aws:kms:eu-west-2:111122223333:key/bench-app',
  PHOTO_ID_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:111122223333:stateMachine:bench-photo-id-check',
  EMAIL_FROM_ADDRESS: 'no-reply@login.example.org',
  LOG_LEVEL: 'SILENT',
};

/** Bundles of one AWS SDK client and nothing else: what any function that calls AWS pays at import. */
const sdkFloors = {
  'a KMS client': "import { KMSClient } from '@aws-sdk/client-kms'; export const client = new KMSClient({});",
  'a DynamoDB document client':
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb'; import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'; export const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));",
};

const importMs = (bundle: string): number => {
  const script = `const t = performance.now(); await import(${JSON.stringify(bundle)}); process.stdout.write(String(performance.now() - t));`;
  return Number(
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: environment,
      encoding: 'utf8',
    }),
  );
};

const buildFolder = await mkdtemp(join(tmpdir(), 'patient-login-bundles-'));
try {
  console.log(
    `Function bundles (esbuild as deployed; import median of ${RUNS} fresh Node ${process.version} processes; target <= ${TARGET_MS} ms each)`,
  );
  const rows: string[] = [];
  const allSpecs: Record<string, FunctionSpec> = { ...functionSpecs, ...consoleFunctionSpecs };
  for (const [name, spec] of Object.entries(allSpecs)) {
    const outdir = join(buildFolder, name);
    await build({
      ...houseBundling,
      mainFields: [...houseBundling.mainFields],
      banner: { js: houseBundling.banner },
      entryPoints: [functionEntry(name)],
      bundle: true,
      outfile: join(outdir, 'index.mjs'),
      logLevel: 'error',
    });
    if (spec.bundledFiles?.length) execSync(copyBundledFilesCommand(spec.bundledFiles, outdir));
    const bytes = (await stat(join(outdir, 'index.mjs'))).size;
    const bundle = join(outdir, 'index.mjs');
    importMs(bundle); // the first run warms the file cache, as every later container has it
    const ms = median(Array.from({ length: RUNS }, () => importMs(bundle)));
    rows.push(
      `  ${name.padEnd(22)} ${(bytes / 1024).toFixed(0).padStart(6)} KB  import ${ms.toFixed(1).padStart(6)} ms  ${ms <= TARGET_MS ? 'met' : 'MISSED'}`,
    );
  }
  console.log(rows.join('\n'));
  // The floor the AWS SDK sets: a bundle of nothing but one client, measured the same way.
  const floors: string[] = [];
  for (const [label, contents] of Object.entries(sdkFloors)) {
    const outdir = join(buildFolder, label);
    await build({
      ...houseBundling,
      mainFields: [...houseBundling.mainFields],
      banner: { js: houseBundling.banner },
      stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
      bundle: true,
      outfile: join(outdir, 'index.mjs'),
      logLevel: 'error',
    });
    const bundle = join(outdir, 'index.mjs');
    importMs(bundle);
    const ms = median(Array.from({ length: RUNS }, () => importMs(bundle)));
    floors.push(`${label} ${((await stat(bundle)).size / 1024).toFixed(0)} KB, ${ms.toFixed(1)} ms`);
  }
  console.log(`  the AWS SDK alone, for comparison: ${floors.join('; ')}`);
} finally {
  await rm(buildFolder, { recursive: true, force: true });
}

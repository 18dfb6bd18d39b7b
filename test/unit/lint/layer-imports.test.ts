import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const biome = join(projectRoot, 'node_modules', '.bin', 'biome');

interface Diagnostic {
  readonly category: string;
  readonly location: { readonly path: string };
}

/**
 * `npm run lint` with the project's biome.json, over files laid out as in the project, in a
 * folder of their own (so the project never holds a layer-breaking file).
 */
describe('the layer rules of npm run lint', () => {
  let folder: string;
  let diagnostics: readonly Diagnostic[];

  const files: Record<string, string> = {
    'src/domain/accounts/imports-adapter.ts':
      "import { DynamoTable } from '../../adapters/dynamodb/dynamo-table.ts';",
    'src/domain/accounts/imports-platform.ts': "import { createLogger } from '../../platform/logger.ts';",
    'src/domain/accounts/imports-web.ts': "import { cookieName } from '../../web/cookies.ts';",
    'src/domain/accounts/imports-aws-sdk.ts': "import { KMSClient } from '@aws-sdk/client-kms';",
    'src/domain/accounts/imports-middy.ts': "import middy from '@middy/core';",
    'src/domain/accounts/imports-lambda-types.ts': "import type { Context } from 'aws-lambda';",
    'src/domain/accounts/imports-fs.ts': "import { readFileSync } from 'node:fs';",
    'src/domain/accounts/imports-fs-promises.ts': "import { readFile } from 'node:fs/promises';",
    'src/adapters/dynamodb/imports-platform.ts': "import { createLogger } from '../../platform/logger.ts';",
    'src/adapters/dynamodb/imports-web.ts': "import { cookieName } from '../../web/cookies.ts';",
    'src/platform/http/imports-web.ts': "import { cookieName } from '../../web/cookies.ts';",
    'src/platform/http/imports-adapter.ts':
      "import { DynamoTable } from '../../adapters/dynamodb/dynamo-table.ts';",
    'src/web/imports-adapter.ts': "import { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';",
    // What each layer may import.
    'src/domain/accounts/allowed.ts':
      "import { systemClock } from '../clock.ts';\nimport { randomUUID } from 'node:crypto';",
    'src/adapters/dynamodb/allowed.ts':
      "import type { Clock } from '../../domain/clock.ts';\nimport { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    'src/platform/http/allowed.ts':
      "import { InvalidRequestError } from '../../domain/errors.ts';\nimport middy from '@middy/core';",
    'functions/oidc-token/allowed.ts':
      "import { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';\nimport { createLogger } from '../../src/platform/logger.ts';",
  };

  beforeAll(async () => {
    // Prepare
    folder = await mkdtemp(join(tmpdir(), 'layer-imports-'));
    const config = JSON.parse(await readFile(join(projectRoot, 'biome.json'), 'utf8'));
    await writeFile(join(folder, 'biome.json'), JSON.stringify({ ...config, vcs: { enabled: false } }));
    for (const [path, source] of Object.entries(files)) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      // Each file uses what it imports, so only the import rules have something to say.
      await writeFile(join(folder, path), `${source}\nexport {};\n`);
    }

    // Act
    let output: string;
    try {
      output = execFileSync(biome, ['lint', '--reporter=json', '--only=style/noRestrictedImports', '.'], {
        cwd: folder,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    } catch (error) {
      output = (error as { stdout: string }).stdout;
    }
    diagnostics = (JSON.parse(output) as { diagnostics: Diagnostic[] }).diagnostics;
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  const refused = (path: string) =>
    diagnostics.some(
      (diagnostic) =>
        diagnostic.location.path === path && diagnostic.category === 'lint/style/noRestrictedImports',
    );

  it.each(Object.keys(files).filter((path) => !path.endsWith('allowed.ts')))('refuses %s', (path) => {
    // Assess
    expect(refused(path)).toBe(true);
  });

  it.each(Object.keys(files).filter((path) => path.endsWith('allowed.ts')))(
    'accepts what its layer may import in %s',
    (path) => {
      // Assess
      expect(refused(path)).toBe(false);
    },
  );
});

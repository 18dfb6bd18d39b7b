import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.ts';
import { LocalSecretBox } from '../../src/adapters/local/local-secret-box.ts';
import { generatePrivateJwk, LocalTokenSigner } from '../../src/adapters/local/local-token-signer.ts';
import { LocalOutbox } from '../../src/adapters/local/outbox.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { type LimitOverrides, resolveLimits } from '../../src/domain/limits/limits.ts';
import type { LocalDependencies } from '../../src/local/local-handlers.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { InMemoryMetrics } from '../../src/platform/metrics.ts';
import { createTestTable } from './test-table.ts';

/** Everything the local composition root needs, on a fresh table and outbox; for integration tests. */
export const createLocalDependencies = async (
  options: {
    issuer?: string;
    clock?: Clock;
    limits?: LimitOverrides;
    allowedPhoneCountries?: readonly string[];
  } = {},
): Promise<LocalDependencies & { outbox: LocalOutbox }> => {
  const clock = options.clock ?? (() => new Date());
  const outbox = await LocalOutbox.open({
    directory: join(await mkdtemp(join(tmpdir(), 'outbox-')), 'outbox'),
  });
  return {
    issuer: options.issuer ?? 'http://localhost',
    signer: await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]),
    logger: createLogger('SILENT'),
    metrics: new InMemoryMetrics(),
    table: await createTestTable(clock),
    clock,
    limits: resolveLimits(options.limits ?? {}),
    allowedPhoneCountries: options.allowedPhoneCountries ?? ['GB'],
    email: outbox,
    sms: outbox,
    outbox,
    hasher: new Argon2PasswordHasher(),
    commonPasswords: new Set(['password123', 'qwertyuiop']),
    serviceName: 'NHS login',
    secrets: new LocalSecretBox(randomBytes(32)),
  };
};

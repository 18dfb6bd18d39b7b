/**
 * Measures how long `npm start` takes to answer discovery on a fresh data folder (target: within
 * 15 seconds) and on a warm one, and the latency of discovery and JWKS requests once up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalStackProcess } from '../test/support/local-stack-process.ts';

const REQUESTS = 500;
const STARTUP_TARGET_MS = 15_000;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const timeStartup = async (dataDirectory: string) => {
  const startedAt = performance.now();
  const stack = await startLocalStackProcess(dataDirectory);
  const response = await fetch(`${stack.issuer}/.well-known/openid-configuration`);
  if (response.status !== 200) throw new Error(`discovery answered ${response.status}`);
  return { stack, ms: performance.now() - startedAt };
};

const timeRequests = async (url: string) => {
  const durations: number[] = [];
  for (let index = 0; index < REQUESTS; index += 1) {
    const startedAt = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    durations.push(performance.now() - startedAt);
  }
  durations.sort((a, b) => a - b);
  return {
    p50: percentile(durations, 0.5),
    p95: percentile(durations, 0.95),
    p99: percentile(durations, 0.99),
  };
};

const dataDirectory = await mkdtemp(join(tmpdir(), 'patient-login-bench-'));
try {
  const cold = await timeStartup(dataDirectory);
  await cold.stack.stop();
  const warm = await timeStartup(dataDirectory);
  const discovery = await timeRequests(`${warm.stack.issuer}/.well-known/openid-configuration`);
  const jwks = await timeRequests(`${warm.stack.issuer}/.well-known/jwks.json`);
  await warm.stack.stop();

  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `local stack start to first discovery answer, fresh data folder: ${ms(cold.ms)} (target ${STARTUP_TARGET_MS} ms)`,
  );
  console.log(`local stack start to first discovery answer, existing data:     ${ms(warm.ms)}`);
  console.log(
    `GET discovery x${REQUESTS}: p50 ${ms(discovery.p50)}, p95 ${ms(discovery.p95)}, p99 ${ms(discovery.p99)}`,
  );
  console.log(`GET jwks x${REQUESTS}:      p50 ${ms(jwks.p50)}, p95 ${ms(jwks.p95)}, p99 ${ms(jwks.p99)}`);
  if (cold.ms > STARTUP_TARGET_MS) {
    console.log('The fresh start missed its target.');
    process.exitCode = 1;
  }
} finally {
  await rm(dataDirectory, { recursive: true, force: true });
}

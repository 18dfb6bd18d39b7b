/**
 * Measures the argon2id hasher at the house parameters (m=19456 KiB, t=2, p=1): milliseconds per
 * hash and per verify one at a time (a Lambda container serves one request at a time), then many
 * at once (the local server under load), with the resident memory each adds; and the cost of the
 * first common-password look-up, which reads the list. Run: `npx node bench/password-hashing.ts`.
 */
import { performance } from 'node:perf_hooks';
import {
  Argon2PasswordHasher,
  defaultArgon2Parameters,
} from '../src/adapters/argon2/argon2-password-hasher.ts';
import { createCommonPasswordList } from '../src/adapters/files/common-password-file.ts';

const RUNS = 50;
const password = 'the heron stood by the canal lock';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? 0;

const summarise = (durations: number[]) => {
  const sorted = [...durations].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
  return `mean ${mean.toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
};

const time = async (operation: () => Promise<unknown>) => {
  const startedAt = performance.now();
  await operation();
  return performance.now() - startedAt;
};

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// The argon2 memory is allocated on libuv's threads, so RSS is sampled while the operations run.
const trackPeakRss = () => {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const sampler = setInterval(sample, 1);
  return {
    sample,
    stop: () => {
      clearInterval(sampler);
      sample();
      return { baseline, growth: peak - baseline };
    },
  };
};

const hasher = new Argon2PasswordHasher();
const startRss = process.memoryUsage().rss;
const oneAtATime = trackPeakRss();
const stored = await hasher.hash(password);
const hashes: number[] = [];
const verifies: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  hashes.push(await time(() => hasher.hash(password)));
  oneAtATime.sample();
  verifies.push(await time(() => hasher.verify(stored, password)));
  oneAtATime.sample();
}
const sequentialRss = oneAtATime.stop();

const allAtOnce = trackPeakRss();
const concurrentStartedAt = performance.now();
await Promise.all(Array.from({ length: RUNS }, () => hasher.hash(password)));
const concurrentMs = (performance.now() - concurrentStartedAt) / RUNS;
const concurrentRss = allAtOnce.stop();

const list = createCommonPasswordList();
const firstLookupMs = await time(async () => list.has('password'));
const laterLookupMs = await time(async () => list.has('marmalade on the night bus'));

const { memoryCost, timeCost, parallelism } = defaultArgon2Parameters;
console.log(`argon2id m=${memoryCost} KiB, t=${timeCost}, p=${parallelism}; Node ${process.version}`);
console.log(`hash   x${RUNS}, one at a time: ${summarise(hashes)}`);
console.log(`verify x${RUNS}, one at a time: ${summarise(verifies)}`);
console.log(`hash   x${RUNS}, all at once: ${concurrentMs.toFixed(1)} ms each, amortised`);
console.log(`RSS before hashing: ${mib(startRss)}`);
console.log(`peak RSS growth, one at a time: ${mib(sequentialRss.growth)}`);
console.log(`peak RSS growth, all at once:   ${mib(concurrentRss.growth)} more`);
console.log(
  `common-password list: first look-up (reads the file) ${firstLookupMs.toFixed(1)} ms, later ${laterLookupMs.toFixed(3)} ms`,
);

/**
 * Counts what a full login costs the store and the CPU, on the stack as `npm start` wires it:
 * authorize -> password -> (first login: add a phone, then its code) -> consent -> token ->
 * userinfo, for a new patient (registration not counted) and for a returning one whose device
 * is remembered and whose consent is on record. Every DynamoDB call is counted by a middleware on
 * the client (bench/support/counted-stack.ts), grouped by the HTTP request that made it; the
 * longest sequence is the most calls one request made one after another. CPU is the stack
 * process's own, next to one native argon2id verification measured in the same process.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { importPKCS8, SignJWT } from 'jose';
import type { OutboxMessage } from '../src/adapters/local/outbox.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../src/domain/oidc/client-authentication.ts';
import { PageClient, type PageResponse } from '../test/support/page-client.ts';
import type { StackQuestion, StackReady, StoreCall } from './support/counted-stack.ts';
import { median } from './support/statistics.ts';

const PATIENTS = 10;
const TARGETS = { newPatientCalls: 15, returningPatientCalls: 10, sequence: 4, cpuMs: 25 };

const child: ChildProcess = fork(new URL('./support/counted-stack.ts', import.meta.url), {
  execArgv: process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : [],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const [ready] = (await once(child, 'message')) as [StackReady];
let nextId = 0;
const ask = async <T>(question: StackQuestion): Promise<T> => {
  nextId += 1;
  const id = nextId;
  child.send({ ...question, id });
  for (;;) {
    const [message] = (await once(child, 'message')) as [{ id: number; value: T }];
    if (message.id === id) return message.value;
  }
};
/** The newest message of a kind (the journeys run one at a time, so it is the one just sent). */
const latestText = async (kind: string) =>
  (await ask<OutboxMessage | undefined>({ type: 'latest', filter: { kind } as never }))?.text ?? '';

/** Follows our own redirects as a browser does; stops at the relying party's. */
const follow = async (client: PageClient, response: PageResponse & { next?: PageResponse }) => {
  let current = response.next ?? response;
  while ([302, 303].includes(current.status) && current.location?.startsWith('/'))
    current = await client.get(current.location);
  return current;
};

const privateKey = await importPKCS8(ready.privateKeyPem, 'RS512');
const tokenEndpoint = `${ready.baseUrl}/token`;
const authorizePath = () =>
  `/authorize?${new URLSearchParams({
    client_id: ready.clientId,
    redirect_uri: ready.redirectUri,
    response_type: 'code',
    scope: 'openid email phone',
    state: randomUUID(),
    nonce: randomUUID(),
    vtr: '["P0.Cp.Cd"]',
  })}`;

/** The relying party's back channel: the code for tokens, then the claims. */
const redeem = async (redirect: string | null) => {
  const code = redirect ? new URL(redirect).searchParams.get('code') : null;
  if (!code) throw new Error(`No code in ${redirect}`);
  const assertion = await new SignJWT({ jti: randomUUID() })
    .setProtectedHeader({ alg: 'RS512', typ: 'JWT' })
    .setIssuer(ready.clientId)
    .setSubject(ready.clientId)
    .setAudience(tokenEndpoint)
    .setIssuedAt()
    .setExpirationTime('60s')
    .sign(privateKey);
  const tokens = await fetch(tokenEndpoint, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: ready.redirectUri,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: assertion,
    }),
  });
  const { access_token: accessToken } = (await tokens.json()) as { access_token?: string };
  if (!accessToken) throw new Error(`Token request failed (${tokens.status})`);
  const claims = await fetch(`${ready.baseUrl}/userinfo`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  if (claims.status !== 200) throw new Error(`UserInfo failed (${claims.status})`);
};

const register = async (client: PageClient, email: string, password: string) => {
  await client.get('/register');
  await client.post('/register', { email, password, terms: 'accepted' });
  const link = /https?:\/\/\S+\/register\/confirm\?token=[\w-]+/.exec(await latestText('confirm-email'))?.[0];
  if (!link) throw new Error('No confirmation link');
  const url = new URL(link);
  await client.openLink(url.pathname + url.search);
};

const firstLogin = async (client: PageClient, email: string, password: string, phoneNumber: string) => {
  const toLogin = await client.get(authorizePath());
  await follow(client, toLogin);
  await client.post('/login', { email, password });
  await client.post('/login/phone', { phoneNumber });
  const code = /\b(\d{6})\b/.exec(await latestText('security-code'))?.[1] ?? '';
  const atConsent = await follow(client, await client.post('/login/code', { code, remember: 'yes' }));
  if (atConsent.status !== 200) throw new Error(`Expected the consent page, got ${atConsent.status}`);
  const agreed = await client.post('/consent', { decision: 'agree' });
  await redeem(agreed.location);
};

const returningLogin = async (client: PageClient, email: string, password: string) => {
  await follow(client, await client.get(authorizePath()));
  const done = await follow(client, await client.post('/login', { email, password }));
  if (!done.location?.startsWith(ready.redirectUri))
    throw new Error(`Expected the relying party, got ${done.status}`);
  await redeem(done.location);
};

/** The most calls a request made one after another: the longest chain of calls that do not overlap. */
const longestSequence = (calls: readonly StoreCall[]): number => {
  let chain = 0;
  let freeAt = Number.NEGATIVE_INFINITY;
  for (const call of [...calls].sort((a, b) => a.end - b.end)) {
    if (call.start >= freeAt) {
      chain += 1;
      freeAt = call.end;
    }
  }
  return chain;
};

interface Cpu {
  readonly user: number;
  readonly system: number;
}
interface Measured {
  readonly calls: StoreCall[];
  /** CPU milliseconds in our code and libraries (user) and in the kernel (system: sockets, mostly). */
  readonly cpuMs: number;
  readonly userMs: number;
}
const measured = async (journey: () => Promise<void>): Promise<Measured> => {
  await ask({ type: 'calls' });
  const cpuBefore = await ask<Cpu>({ type: 'cpu' });
  await journey();
  const cpuAfter = await ask<Cpu>({ type: 'cpu' });
  return {
    calls: await ask<StoreCall[]>({ type: 'calls' }),
    cpuMs: cpuAfter.user + cpuAfter.system - cpuBefore.user - cpuBefore.system,
    userMs: cpuAfter.user - cpuBefore.user,
  };
};

const byRequest = (calls: readonly StoreCall[]) => Map.groupBy(calls, (call) => call.request);
const report = (name: string, runs: readonly Measured[], target: number) => {
  const totals = runs.map((run) => run.calls.length);
  const sequences = runs.map((run) => Math.max(...[...byRequest(run.calls).values()].map(longestSequence)));
  const total = median(totals);
  const sequence = Math.max(...sequences);
  console.log(
    `  ${name}: ${total} DynamoDB calls (median of ${runs.length}; range ${Math.min(...totals)}-${Math.max(...totals)}; target <= ${target}: ${total <= target ? 'met' : 'MISSED'}), longest sequence on one request ${sequence} (target <= ${TARGETS.sequence}: ${sequence <= TARGETS.sequence ? 'met' : 'MISSED'}), CPU ${median(runs.map((run) => run.cpuMs)).toFixed(1)} ms (${median(runs.map((run) => run.userMs)).toFixed(1)} ms of it user)`,
  );
  const sample = runs[0]?.calls ?? [];
  const commands = Object.entries(Object.groupBy(sample, (call) => call.command)).map(
    ([command, list]) => `${command} ${list?.length}`,
  );
  console.log(`    by command: ${commands.join(', ')}`);
  for (const [request, calls] of byRequest(sample)) {
    console.log(
      `    ${request.padEnd(28)} ${String(calls.length).padStart(3)} calls, ${longestSequence(calls)} in sequence`,
    );
    // BENCH_DETAIL=1 lists each call: what to cut next.
    if (process.env.BENCH_DETAIL)
      for (const call of calls)
        console.log(`      ${call.command.replace('Command', '').padEnd(18)} ${call.item}`);
  }
};

try {
  const firstRuns: Measured[] = [];
  const returningRuns: Measured[] = [];
  for (let patient = 0; patient < PATIENTS; patient += 1) {
    const client = new PageClient(ready.baseUrl);
    const email = `bench-${randomUUID()}@example.com`;
    const password = `bench password ${randomUUID()}`;
    const phone = `07700 900${String(100 + patient).padStart(3, '0')}`;
    await register(client, email, password);
    firstRuns.push(await measured(() => firstLogin(client, email, password, phone)));
    await client.post('/logout');
    returningRuns.push(await measured(() => returningLogin(client, email, password)));
  }
  const argon2Ms = await ask<number>({ type: 'argon2' });
  console.log(
    'A full login, counted on the stack (authorize -> password -> code -> consent -> token -> userinfo)',
  );
  report('new patient (first login: add a phone, consent)', firstRuns, TARGETS.newPatientCalls);
  report(
    'returning patient (remembered device, consent on record)',
    returningRuns,
    TARGETS.returningPatientCalls,
  );
  const cpu = median(returningRuns.map((run) => run.cpuMs));
  const user = median(returningRuns.map((run) => run.userMs));
  console.log(
    `  server CPU per returning login ${cpu.toFixed(1)} ms (user ${user.toFixed(1)} ms, kernel ${(cpu - user).toFixed(1)} ms); one native argon2id verification ${argon2Ms.toFixed(1)} ms; without it ${(cpu - argon2Ms).toFixed(1)} ms (target <= ${TARGETS.cpuMs} ms with the argon2id: ${cpu <= TARGETS.cpuMs ? 'met' : 'MISSED'})`,
  );
} finally {
  child.disconnect();
  await once(child, 'exit');
}

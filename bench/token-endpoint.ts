/**
 * Measures the OpenID Connect back channel of the local stack as a relying party's server sees
 * it: the token endpoint's code grant (private_key_jwt checked, ID and access tokens signed RS512,
 * the ID token recorded for single sign-on), its refresh grant (rotation), and /userinfo. Codes
 * are issued straight into the store, so only the back channel is timed, not the patient's pages.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importPKCS8, SignJWT } from 'jose';
import { epochSeconds } from '../src/domain/clock.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../src/domain/oidc/client-authentication.ts';
import { startLocalStackProcess } from '../test/support/local-stack-process.ts';
import { benchStore } from './support/bench-store.ts';

const ROUNDS = 200;
const CLIENT_ID = 'demo-service';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

const summary = (durations: number[]) => {
  const sorted = [...durations].sort((a, b) => a - b);
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return `p50 ${ms(percentile(sorted, 0.5))}, p95 ${ms(percentile(sorted, 0.95))}, p99 ${ms(percentile(sorted, 0.99))}`;
};

/** Times one request; anything but the expected status stops the bench. */
const timed = async (request: () => Promise<Response>, expected: number) => {
  const startedAt = performance.now();
  const response = await request();
  const text = await response.text();
  const ms = performance.now() - startedAt;
  if (response.status !== expected) throw new Error(`Expected ${expected}, got ${response.status}: ${text}`);
  return { ms, body: text === '' ? {} : (JSON.parse(text) as Record<string, string>) };
};

const dataDirectory = await mkdtemp(join(tmpdir(), 'patient-login-token-bench-'));
const stack = await startLocalStackProcess(dataDirectory);
try {
  const { account, codes } = await benchStore(stack.dynamoDbPort);
  const privateKey = await importPKCS8(
    await readFile(join(dataDirectory, 'demo-client', 'private-key.pem'), 'utf8'),
    'RS512',
  );
  const tokenEndpoint = `${stack.issuer}/token`;
  const redirectUri = `http://localhost:${stack.demoRelyingPartyPort}/callback`;
  const clientAssertion = () =>
    new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT' })
      .setIssuer(CLIENT_ID)
      .setSubject(CLIENT_ID)
      .setAudience(tokenEndpoint)
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(privateKey);
  const postToken = (form: Record<string, string>) => () =>
    fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });

  const codeGrants: number[] = [];
  const refreshGrants: number[] = [];
  const userinfo: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    // Prepared before the clock starts: the code, as /authorize issues it, and the client's assertions.
    const code = await codes.issue({
      grantId: randomUUID(),
      clientId: CLIENT_ID,
      redirectUri,
      accountId: account.accountId,
      scopes: ['openid', 'email', 'phone'],
      nonce: randomUUID(),
      vot: 'P0.Cp.Cd',
      authTime: epochSeconds(new Date()),
      sessionGeneration: 0,
    });
    const [forCode, forRefresh] = await Promise.all([clientAssertion(), clientAssertion()]);

    const tokens = await timed(
      postToken({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: forCode,
      }),
      200,
    );
    codeGrants.push(tokens.ms);
    const refreshed = await timed(
      postToken({
        grant_type: 'refresh_token',
        refresh_token: tokens.body.refresh_token ?? '',
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: forRefresh,
      }),
      200,
    );
    refreshGrants.push(refreshed.ms);
    const claims = await timed(
      () =>
        fetch(`${stack.issuer}/userinfo`, {
          headers: { authorization: `Bearer ${refreshed.body.access_token ?? ''}` },
        }),
      200,
    );
    userinfo.push(claims.ms);
  }

  console.log(`POST /token, authorization_code x${ROUNDS}: ${summary(codeGrants)}`);
  console.log(`POST /token, refresh_token x${ROUNDS}:      ${summary(refreshGrants)}`);
  console.log(`GET /userinfo x${ROUNDS}:                    ${summary(userinfo)}`);
} finally {
  await stack.stop();
  await rm(dataDirectory, { recursive: true, force: true });
}

import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalTokenSigner } from '../../src/adapters/local/local-token-signer.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

const acceptsConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('the local stack (npm start)', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'patient-login-e2e-'));
    stack = await startLocalStackProcess(dataDirectory);
  });

  afterAll(async () => {
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  it('prints its URLs and the demo client_id', () => {
    expect(stack.output()).toMatch(/Discovery: +http:\/\/localhost:\d+\/\.well-known\/openid-configuration/);
    expect(stack.output()).toMatch(/Demo client_id: +demo-service \(registered now\)/);
  });

  it('serves the discovery document for its issuer', async () => {
    // Act
    const response = await fetch(`${stack.issuer}/.well-known/openid-configuration`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      issuer: stack.issuer,
      jwks_uri: `${stack.issuer}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS512'],
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      response_types_supported: ['code'],
    });
  });

  it('lists the test patients, lets a test change one, and serves them through its PDS sandbox', async () => {
    // Act
    const page = await fetch(`${stack.issuer}/_dev/test-patients`);
    const list = (await (await fetch(`${stack.issuer}/_dev/test-patients.json`)).json()) as {
      patients: { nhsNumber: string; tests: string; gp?: { linkageKey: string; outcome: string } }[];
    };
    const formPost = await fetch(`${stack.issuer}/_dev/test-patients/9000000017`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'invalidated=true',
    });
    const badChange = await fetch(`${stack.issuer}/_dev/test-patients/9000000017`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nhsNumber: '9000000009' }),
    });
    const changed = await fetch(`${stack.issuer}/_dev/test-patients/9000000017`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ deceased: '2026-11-30' }),
    });
    const withoutToken = await fetch(`${stack.issuer}/_dev/pds/FHIR/R4/Patient/9000000009`, {
      headers: { 'x-request-id': crypto.randomUUID() },
    });
    const gpChange = await fetch(`${stack.issuer}/_dev/test-patients/9000000130`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        gp: { odsCode: 'W91001', accountId: '100000130', linkageKey: 'EVN3Z8X5C2V9B', outcome: 'down' },
      }),
    });
    const badGpChange = await fetch(`${stack.issuer}/_dev/test-patients/9000000130`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gp: { odsCode: 'W91001', outcome: 'sideways' } }),
    });
    const gpLinkage = await fetch(`${stack.issuer}/_dev/gp/linkages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': crypto.randomUUID() },
      body: JSON.stringify({
        linkageKey: 'JSM7T4Q2WX9KD',
        odsCode: 'Y12345',
        accountId: '100000009',
        surname: 'Smith',
        dateOfBirth: '1980-10-22',
      }),
    });

    // Assess
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('9000000009');
    expect(list.patients.map((patient) => patient.nhsNumber)).toContain('9000000009');
    expect(list.patients.every((patient) => patient.nhsNumber.startsWith('9') && patient.tests)).toBe(true);
    expect(formPost.status).toBe(415);
    expect(badChange.status).toBe(400);
    expect(await changed.json()).toMatchObject({ nhsNumber: '9000000017', deceased: '2026-11-30' });
    expect(withoutToken.status).toBe(401);
    // The GP sandbox beside it, on the same patients, listed with their GP details
    const outcomes = list.patients.flatMap((patient) => (patient.gp ? [patient.gp.outcome] : []));
    expect(new Set(outcomes)).toEqual(new Set(['linked', 'already-linked', 'refused', 'down']));
    expect(await (await fetch(`${stack.issuer}/_dev/test-patients`)).text()).toContain('JSM7T4Q2WX9KD');
    expect(await gpLinkage.json()).toMatchObject({ nhsNumber: '9000000009', gpUserId: '100000009' });
    expect(await gpChange.json()).toMatchObject({ gp: { outcome: 'down' } });
    expect(badGpChange.status).toBe(400);
  });

  it('serves public keys only', async () => {
    // Act
    const { keys } = (await (await fetch(`${stack.issuer}/.well-known/jwks.json`)).json()) as {
      keys: Record<string, string>[];
    };

    // Assess
    expect(keys).toHaveLength(1);
    expect(Object.keys(keys[0] ?? {}).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('signs tokens that verify against the served JWKS', async () => {
    // Prepare
    const signer = await LocalTokenSigner.loadOrCreate(join(dataDirectory, 'signing-keys.json'));
    const { jwks_uri: jwksUri } = (await (
      await fetch(`${stack.issuer}/.well-known/openid-configuration`)
    ).json()) as {
      jwks_uri: string;
    };
    const now = Math.floor(Date.now() / 1000);

    // Act
    const token = await signer.sign({
      iss: stack.issuer,
      sub: 'patient-1',
      aud: 'demo-service',
      iat: now,
      exp: now + 60,
    });
    const { payload, protectedHeader } = await jwtVerify(token, createRemoteJWKSet(new URL(jwksUri)), {
      issuer: stack.issuer,
      audience: 'demo-service',
      algorithms: ['RS512'],
    });

    // Assess
    expect(protectedHeader).toMatchObject({ alg: 'RS512', typ: 'JWT' });
    expect(payload.sub).toBe('patient-1');
  });

  it('stops DynamoDB Local with it, and keeps keys and clients across a restart', async () => {
    // Prepare
    const jwksBefore = await (await fetch(`${stack.issuer}/.well-known/jwks.json`)).json();
    await stack.stop();
    const dynamoDbStillUp = await acceptsConnections(stack.dynamoDbPort);

    // Act
    stack = await startLocalStackProcess(dataDirectory, { demoRelyingPartyPort: stack.demoRelyingPartyPort });
    const jwksAfter = await (await fetch(`${stack.issuer}/.well-known/jwks.json`)).json();

    // Assess
    expect(dynamoDbStillUp).toBe(false);
    expect(jwksAfter).toEqual(jwksBefore);
    expect(stack.output()).toMatch(/Demo client_id: +demo-service,/);
  });
});

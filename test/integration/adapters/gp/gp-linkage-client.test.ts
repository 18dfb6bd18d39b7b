import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GpLinkageClient } from '../../../../src/adapters/gp/gp-linkage-client.ts';
import {
  GpAlreadyLinkedError,
  GpDetailsNotMatchedError,
  GpLinkRefusedError,
  GpSystemUnavailableError,
} from '../../../../src/domain/identity/gp-online-services.ts';
import { GpSandbox } from '../../../../src/local/sandboxes/gp-sandbox.ts';
import { loadTestPatients } from '../../../../src/local/sandboxes/test-patients.ts';

const JANE = {
  linkageKey: 'JSM7T4Q2WX9KD',
  odsCode: 'Y12345',
  accountId: '100000009',
  surname: 'Smith',
  birthDate: '1980-10-22',
};

describe('the GP linkage client against the local GP sandbox, over HTTP', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** The sandbox (or a stand-in answering `answer`) on a port of its own; `seen` keeps each request. */
  const start = async (
    options: {
      apiKey?: string;
      timeoutMs?: number;
      delayMs?: number;
      answer?: { status: number; body: string; headers?: Record<string, string> };
    } = {},
  ) => {
    const sandbox = new GpSandbox({ patients: () => loadTestPatients().patients, apiKey: 'broker-key' });
    const seen: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
    server = createServer((request, response) => {
      setTimeout(() => {
        if (options.answer) {
          response.writeHead(options.answer.status, options.answer.headers ?? {}).end(options.answer.body);
          return;
        }
        if (!sandbox.handle(request, response)) response.writeHead(404).end();
      }, options.delayMs ?? 0);
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const client = new GpLinkageClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/_dev/gp`,
      apiKey: options.apiKey ?? 'broker-key',
      // What was sent, as the broker receives it.
      fetch: (url, init) => {
        seen.push({
          headers: Object.fromEntries(Object.entries((init?.headers ?? {}) as Record<string, string>)),
          body: String(init?.body ?? ''),
        });
        return fetch(url, init);
      },
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
    return { client, seen };
  };

  it('links matching details, answering the NHS number and the credentials, with the headers the broker asks for', async () => {
    // Prepare
    const { client, seen } = await start();

    // Act
    const linkage = await client.link({ ...JANE, surname: 'SMITH' }, 'correlation-1');

    // Assess
    expect(linkage).toEqual({
      nhsNumber: '9000000009',
      credentials: { gpUserId: '100000009', gpLinkageKey: 'JSM7T4Q2WX9KD', gpOdsCode: 'Y12345' },
    });
    const [request] = seen;
    expect(request?.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.headers['x-correlation-id']).toBe('correlation-1');
    expect(request?.headers['x-api-key']).toBe('broker-key');
    expect(JSON.parse(request?.body ?? '{}')).toEqual({
      ...JANE,
      surname: 'SMITH',
      dateOfBirth: JANE.birthDate,
      birthDate: undefined,
    });
  });

  it.each([
    ['a wrong linkage key', { ...JANE, linkageKey: 'WRONG1234ABCD' }, GpDetailsNotMatchedError],
    ['a wrong surname', { ...JANE, surname: 'Smyth' }, GpDetailsNotMatchedError],
    ['a wrong date of birth', { ...JANE, birthDate: '1980-10-23' }, GpDetailsNotMatchedError],
    [
      'details already linked to another NHS login',
      {
        linkageKey: 'OBR4K8L1MN2PQ',
        odsCode: 'P84001',
        accountId: '100000017',
        surname: "O'Brien",
        birthDate: '1975-03-14',
      },
      GpAlreadyLinkedError,
    ],
    [
      'a link the practice refuses',
      {
        linkageKey: 'EVN3Z8X5C2V9B',
        odsCode: 'W91001',
        accountId: '100000130',
        surname: 'Evans',
        birthDate: '1968-11-30',
      },
      GpLinkRefusedError,
    ],
    [
      'a practice system that is down',
      {
        linkageKey: 'PTL6D1F4G7H0J',
        odsCode: 'B86001',
        accountId: '100000122',
        surname: 'Patel',
        birthDate: '1992-09-19',
      },
      GpSystemUnavailableError,
    ],
  ])('answers %s with its own error', async (_case, details, expected) => {
    // Prepare
    const { client } = await start();

    // Act
    const linking = client.link(details);

    // Assess
    await expect(linking).rejects.toBeInstanceOf(expected);
  });

  it('counts a refused API key as unavailable, never as details that do not match', async () => {
    // Prepare
    const { client } = await start({ apiKey: 'not-the-key' });

    // Act
    const linking = client.link(JANE);

    // Assess
    await expect(linking).rejects.toBeInstanceOf(GpSystemUnavailableError);
  });

  it.each([
    ['a broker that does not answer in time', { timeoutMs: 100, delayMs: 500 }],
    [
      '429 too many requests',
      { answer: { status: 429, body: '{"error":"too_many_requests"}', headers: { 'retry-after': '2' } } },
    ],
    ['a body that is not JSON', { answer: { status: 200, body: '<html>gateway</html>' } }],
    [
      'a linkage without an NHS number',
      { answer: { status: 200, body: '{"gpUserId":"1","linkageKey":"K","odsCode":"Y1"}' } },
    ],
    ['a 404 that is not a no-match', { answer: { status: 404, body: '{"error":"not_found"}' } }],
  ])('counts %s as unavailable', async (_case, options) => {
    // Prepare
    const { client } = await start(options);

    // Act
    const linking = client.link(JANE);

    // Assess
    await expect(linking).rejects.toBeInstanceOf(GpSystemUnavailableError);
  });

  it('sees a change to a test patient made while it runs', async () => {
    // Prepare: the sandbox reads the patients each time, as it does behind npm start
    let patients = loadTestPatients().patients;
    const sandbox = new GpSandbox({ patients: () => patients });
    server = createServer((request, response) => {
      if (!sandbox.handle(request, response)) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const client = new GpLinkageClient({
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/_dev/gp`,
    });
    const before = await client.link(JANE);

    // Act
    patients = patients.map((patient) =>
      patient.nhsNumber === '9000000009' && patient.gp
        ? { ...patient, gp: { ...patient.gp, outcome: 'down' as const } }
        : patient,
    );
    const after = client.link(JANE);

    // Assess
    expect(before.nhsNumber).toBe('9000000009');
    await expect(after).rejects.toBeInstanceOf(GpSystemUnavailableError);
  });
});

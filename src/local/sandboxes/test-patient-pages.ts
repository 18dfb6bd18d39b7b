import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../../domain/messaging/escape-html.ts';
import { onJsonBody } from './json-body.ts';
import type { PdsSandbox } from './pds-sandbox.ts';
import { sandboxPassportPhoto } from './sandbox-passport.ts';
import type { TestPatient, TestPatients } from './test-patients.ts';

export const TEST_PATIENTS_PATH = '/_dev/test-patients';

/** What may be changed on a test patient through the local control, and how each is checked. */
const changeable: Record<string, (value: unknown) => boolean> = {
  given: (value) => Array.isArray(value) && value.every((name) => typeof name === 'string'),
  family: (value) => typeof value === 'string',
  birthDate: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  postcode: (value) => typeof value === 'string',
  mobile: (value) => typeof value === 'string',
  gpOdsCode: (value) => typeof value === 'string',
  deceased: (value) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value),
  restricted: (value) => typeof value === 'boolean',
  supersededBy: (value) => typeof value === 'string' && /^9\d{9}$/.test(value),
  invalidated: (value) => typeof value === 'boolean',
  verification: (value) => typeof value === 'string' && /^\d{2}$/.test(value),
  busy: (value) => typeof value === 'boolean',
  gp: (value) => {
    if (typeof value !== 'object' || value === null) return false;
    const gp = value as Record<string, unknown>;
    const text = (name: string) => gp[name] === undefined || typeof gp[name] === 'string';
    return (
      ['odsCode', 'accountId', 'linkageKey'].every((name) => typeof gp[name] === 'string') &&
      text('surname') &&
      text('nhsNumber') &&
      (gp.outcome === undefined ||
        ['linked', 'already-linked', 'refused', 'down'].includes(gp.outcome as string))
    );
  },
};

const listed = (patient: TestPatient) => ({
  nhsNumber: patient.nhsNumber,
  given: patient.given,
  family: patient.family,
  birthDate: patient.birthDate,
  postcode: patient.postcode,
  ...(patient.gpOdsCode ? { gpOdsCode: patient.gpOdsCode } : {}),
  ...(patient.gp
    ? {
        gp: {
          odsCode: patient.gp.odsCode,
          accountId: patient.gp.accountId,
          linkageKey: patient.gp.linkageKey,
          surname: patient.gp.surname ?? patient.family,
          outcome: patient.gp.outcome ?? 'linked',
        },
      }
    : {}),
  tests: patient.tests,
});

/** A patient's GP online-services details as the page lists them. */
const gpCell = (patient: TestPatient): string =>
  patient.gp
    ? `Linkage Key ${escapeHtml(patient.gp.linkageKey)}<br>ODS Code ${escapeHtml(patient.gp.odsCode)}<br>Account ID ${escapeHtml(patient.gp.accountId)}<br>Last name ${escapeHtml(patient.gp.surname ?? patient.family)}`
    : 'None';

const page = (
  sandbox: PdsSandbox,
  noMatch: TestPatients['noMatch'],
  gpDetailsWrong: TestPatients['gpDetailsWrong'],
): string => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test patients - Local sandboxes</title><link rel="stylesheet" href="/assets/nhsuk-frontend.min.css"></head>
<body><div class="nhsuk-width-container"><main class="nhsuk-main-wrapper" id="maincontent">
<h1>Test patients</h1>
<p>The local PDS and GP online-services sandboxes' patients: use their details to prove who you are in this copy of the service, with your details (P5) or with the GP online-services details (P9). Test NHS numbers only. As JSON: <a href="${TEST_PATIENTS_PATH}.json">${TEST_PATIENTS_PATH}.json</a>.</p>
<p>One NHS login per NHS number: a second account that proves a patient who has one is told so (CID1006), and at P9 can replace it.</p>
<table class="nhsuk-table"><caption class="nhsuk-table__caption">Patients, and what each tests</caption>
<thead class="nhsuk-table__head"><tr><th scope="col">NHS number</th><th scope="col">Name</th><th scope="col">Date of birth</th><th scope="col">Postcode</th><th scope="col">GP online services</th><th scope="col">Photo ID</th><th scope="col">What it tests</th></tr></thead>
<tbody class="nhsuk-table__body">
${sandbox
  .patients()
  .map(
    (patient) =>
      `<tr><td>${escapeHtml(patient.nhsNumber)}</td><td>${escapeHtml(`${patient.given.join(' ')} ${patient.family}`)}</td><td>${escapeHtml(patient.birthDate)}</td><td>${escapeHtml(patient.postcode)}</td><td>${gpCell(patient)}</td><td><a href="${TEST_PATIENTS_PATH}/${escapeHtml(patient.nhsNumber)}/passport.jpg" download>Sandbox passport</a></td><td>${escapeHtml(patient.tests)}</td></tr>`,
  )
  .join('\n')}
<tr><td>(none)</td><td>${escapeHtml(`${noMatch.given} ${noMatch.family}`)}</td><td>${escapeHtml(noMatch.birthDate)}</td><td>${escapeHtml(noMatch.postcode)}</td><td>None</td><td>None</td><td>${escapeHtml(noMatch.tests)}</td></tr>
<tr><td>9000000009</td><td>${escapeHtml(gpDetailsWrong.surname)}</td><td>${escapeHtml(gpDetailsWrong.birthDate)}</td><td></td><td>Linkage Key ${escapeHtml(gpDetailsWrong.linkageKey)}<br>ODS Code ${escapeHtml(gpDetailsWrong.odsCode)}<br>Account ID ${escapeHtml(gpDetailsWrong.accountId)}</td><td>None</td><td>${escapeHtml(gpDetailsWrong.tests)}</td></tr>
</tbody></table>
</main></div></body></html>
`;

/**
 * The local stack's test-patient pages: the list (`/_dev/test-patients`, and `.json`) and the
 * control a test uses to change a record between two logins (`POST /_dev/test-patients/{nhsNumber}`
 * with a JSON object of the fields to change; only JSON, so no form on another site can post it).
 */
export const createTestPatientPages =
  (sandbox: PdsSandbox, seed: TestPatients) =>
  (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const send = (status: number, type: string, body: string) => {
      response.writeHead(status, {
        'content-type': type,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      response.end(body);
    };
    const json = (status: number, body: unknown) =>
      send(status, 'application/json; charset=utf-8', JSON.stringify(body));
    if (request.method === 'GET' && path === TEST_PATIENTS_PATH) {
      send(200, 'text/html; charset=utf-8', page(sandbox, seed.noMatch, seed.gpDetailsWrong));
      return true;
    }
    if (request.method === 'GET' && path === `${TEST_PATIENTS_PATH}.json`) {
      json(200, {
        patients: sandbox.patients().map(listed),
        noMatch: seed.noMatch,
        gpDetailsWrong: seed.gpDetailsWrong,
      });
      return true;
    }
    // A test patient's sandbox passport: the automated checks' sandboxes read their details from it.
    const passportOf = new RegExp(`^${TEST_PATIENTS_PATH}/(\\d{10})/passport\\.jpg$`).exec(path)?.[1];
    if (request.method === 'GET' && passportOf) {
      request.resume();
      const patient = sandbox.patients().find((candidate) => candidate.nhsNumber === passportOf);
      if (!patient) {
        json(404, { error: 'No test patient has this NHS number' });
        return true;
      }
      response.writeHead(200, {
        'content-type': 'image/jpeg',
        'content-disposition': `attachment; filename="sandbox-passport-${patient.nhsNumber}.jpg"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      response.end(sandboxPassportPhoto(patient, new Date()));
      return true;
    }
    const nhsNumber = new RegExp(`^${TEST_PATIENTS_PATH}/(\\d{10})$`).exec(path)?.[1];
    if (request.method !== 'POST' || !nhsNumber) return false;
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      json(415, { error: 'Send the changes as application/json' });
      return true;
    }
    onJsonBody(
      request,
      (body) => {
        const changes = body as Record<string, unknown>;
        const refused = Object.entries(changes ?? {}).filter(([name, value]) => !changeable[name]?.(value));
        if (typeof changes !== 'object' || changes === null || refused.length > 0)
          return json(400, {
            error: `Cannot set: ${refused.map(([name]) => name).join(', ') || 'not an object'}`,
          });
        const updated = sandbox.update(nhsNumber, changes as Partial<TestPatient>);
        return updated ? json(200, updated) : json(404, { error: 'No test patient has this NHS number' });
      },
      () => json(400, { error: 'The body is not JSON' }),
    );
    return true;
  };

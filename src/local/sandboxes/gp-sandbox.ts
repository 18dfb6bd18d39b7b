import type { IncomingMessage, ServerResponse } from 'node:http';
import { normaliseName } from '../../domain/identity/details-match.ts';
import { gpDetailKey } from '../../domain/identity/gp-online-services.ts';
import { onJsonBody } from './json-body.ts';
import type { TestPatient } from './test-patients.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface GpSandboxOptions {
  /** The test patients as they now are (the PDS sandbox's, so a change through the control reaches both). */
  readonly patients: () => readonly TestPatient[];
  /** Where it is served: `<basePath>/linkages`. */
  readonly basePath?: string;
  /** The API key requests must carry as `x-api-key`, when set. */
  readonly apiKey?: string | undefined;
}

/**
 * A local stand-in for the GP linkage broker (docs/gp-online-services.md), with the test
 * patients' online-services details: `POST /linkages` checks the linkage key, ODS code and
 * account ID with the surname and date of birth, and answers as the practice system would, by
 * the patient's `gp.outcome`: linked (the NHS number and credentials), already linked to another
 * NHS login, refused, or the practice system down. Details no patient has are not matched.
 */
export class GpSandbox {
  readonly #patients: () => readonly TestPatient[];
  readonly #apiKey: string | undefined;
  readonly basePath: string;
  /** Requests answered, for tests that count calls. */
  requests = 0;

  constructor(options: GpSandboxOptions) {
    this.#patients = options.patients;
    this.#apiKey = options.apiKey;
    this.basePath = options.basePath ?? '/_dev/gp';
  }

  /** Answers a request under its base path; false for any other request. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const path = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
    if (!path.startsWith(`${this.basePath}/`)) return false;
    this.requests += 1;
    const send = (status: number, body: unknown) => {
      const requestId = request.headers['x-request-id'];
      response.writeHead(status, {
        'content-type': 'application/json',
        ...(typeof requestId === 'string' ? { 'x-request-id': requestId } : {}),
      });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || path !== `${this.basePath}/linkages`) {
      send(404, { error: 'not_found' });
      return true;
    }
    const requestId = request.headers['x-request-id'];
    if (typeof requestId !== 'string' || !UUID.test(requestId)) {
      send(400, { error: 'invalid_request', description: 'x-request-id must be a UUID' });
      return true;
    }
    if (this.#apiKey && request.headers['x-api-key'] !== this.#apiKey) {
      send(401, { error: 'unauthorized' });
      return true;
    }
    onJsonBody(
      request,
      (parsed) => {
        const body = parsed as Record<string, unknown>;
        const fields = ['linkageKey', 'odsCode', 'accountId', 'surname', 'dateOfBirth'] as const;
        const missing = fields.filter((field) => typeof body?.[field] !== 'string' || body[field] === '');
        if (missing.length > 0)
          return send(400, { error: 'invalid_request', description: `Missing: ${missing.join(', ')}` });
        const asked = body as Record<(typeof fields)[number], string>;
        const patient = this.#patients().find(
          (candidate) =>
            candidate.gp !== undefined &&
            gpDetailKey(candidate.gp.linkageKey) === gpDetailKey(asked.linkageKey) &&
            gpDetailKey(candidate.gp.odsCode) === gpDetailKey(asked.odsCode) &&
            gpDetailKey(candidate.gp.accountId) === gpDetailKey(asked.accountId) &&
            normaliseName(candidate.gp.surname ?? candidate.family) === normaliseName(asked.surname) &&
            candidate.birthDate === asked.dateOfBirth,
        );
        if (!patient?.gp) return send(404, { error: 'not_matched' });
        const outcome = patient.gp.outcome ?? 'linked';
        if (outcome === 'down') return send(503, { error: 'practice_system_unavailable' });
        if (outcome === 'refused') return send(403, { error: 'link_refused' });
        if (outcome === 'already-linked') return send(409, { error: 'already_linked' });
        return send(200, {
          nhsNumber: patient.gp.nhsNumber ?? patient.nhsNumber,
          gpUserId: patient.gp.accountId,
          linkageKey: patient.gp.linkageKey,
          odsCode: patient.gp.odsCode,
        });
      },
      () => send(400, { error: 'invalid_request', description: 'The body is not JSON' }),
    );
    return true;
  }
}

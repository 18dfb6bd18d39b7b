import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Clock } from '../../domain/clock.ts';
import { isValidNhsNumber } from '../../domain/identity/nhs-number.ts';
import type { TestPatient, TestPatients } from './test-patients.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FHIR_JSON = 'application/fhir+json';

const outcome = (code: string, display: string, diagnostics?: string) => ({
  resourceType: 'OperationOutcome',
  issue: [
    {
      severity: 'error',
      code: 'processing',
      details: {
        coding: [
          {
            system: 'https://fhir.nhs.uk/R4/CodeSystem/Spine-ErrorOrWarningCode',
            version: '1',
            code,
            display,
          },
        ],
      },
      ...(diagnostics ? { diagnostics } : {}),
    },
  ],
});

/** A Patient resource shaped as PDS sends it; a restricted record without its location fields. */
export const fhirPatientOf = (patient: TestPatient): Record<string, unknown> => ({
  resourceType: 'Patient',
  id: patient.nhsNumber,
  identifier: [
    {
      system: 'https://fhir.nhs.uk/Id/nhs-number',
      value: patient.nhsNumber,
      extension: [
        {
          url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
          valueCodeableConcept: {
            coding: [
              {
                system: 'https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatus',
                version: '1.0.0',
                code: patient.verification ?? '01',
              },
            ],
          },
        },
      ],
    },
  ],
  meta: {
    versionId: '1',
    security: [
      {
        system: 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality',
        code: patient.restricted ? 'R' : 'U',
        display: patient.restricted ? 'restricted' : 'unrestricted',
      },
    ],
  },
  name: [{ id: '1', use: 'usual', given: [...patient.given], family: patient.family }],
  gender: patient.gender,
  birthDate: patient.birthDate,
  ...(patient.deceased ? { deceasedDateTime: `${patient.deceased}T00:00:00+00:00` } : {}),
  ...(patient.restricted
    ? {}
    : {
        address: [{ id: '1', use: 'home', line: ['1 Test Street'], postalCode: patient.postcode }],
        ...(patient.mobile
          ? { telecom: [{ id: '1', system: 'phone', use: 'mobile', value: patient.mobile }] }
          : {}),
        ...(patient.gpOdsCode
          ? {
              generalPractitioner: [
                {
                  id: '1',
                  type: 'Organization',
                  identifier: {
                    system: 'https://fhir.nhs.uk/Id/ods-organization-code',
                    value: patient.gpOdsCode,
                  },
                },
              ],
            }
          : {}),
      }),
});

/** A value against a search term: case and spaces ignored, `*` at the end a wildcard. */
const termMatches = (term: string, value: string): boolean => {
  const normal = (text: string) => text.replace(/\s+/g, '').toLowerCase();
  const wanted = normal(term);
  return wanted.endsWith('*') ? normal(value).startsWith(wanted.slice(0, -1)) : normal(value) === wanted;
};

export interface PdsSandboxOptions {
  readonly patients: TestPatients;
  readonly clock: Clock;
  /** Where it is served: `<basePath>/FHIR/R4/...` and `<basePath>/oauth2/token`. */
  readonly basePath?: string;
}

/**
 * A local stand-in for PDS's FHIR R4 API with the test patients: the same request and response
 * shapes, headers and errors as NHS England's (a record by NHS number, a search that must find
 * exactly one record, OperationOutcome errors, a superseded number answering with its new record,
 * 429 for a busy record), behind the same signed-JWT token exchange (the assertion's form and
 * lifetime are checked; its signature is not, as the sandbox has no key of ours). Its records can
 * be changed while it runs (`update`), so a test can change a patient between two logins.
 */
export class PdsSandbox {
  readonly #patients = new Map<string, TestPatient>();
  readonly #tokens = new Map<string, number>();
  readonly #clock: Clock;
  readonly basePath: string;
  /** Requests answered, for tests that count calls. */
  requests = 0;

  constructor(options: PdsSandboxOptions) {
    for (const patient of options.patients.patients) this.#patients.set(patient.nhsNumber, patient);
    this.#clock = options.clock;
    this.basePath = options.basePath ?? '/_dev/pds';
  }

  /** The test patients as they now are. */
  patients(): TestPatient[] {
    return [...this.#patients.values()];
  }

  /** Changes a test patient's record; undefined for an NHS number the sandbox does not have. */
  update(nhsNumber: string, changes: Partial<Omit<TestPatient, 'nhsNumber'>>): TestPatient | undefined {
    const patient = this.#patients.get(nhsNumber);
    if (!patient) return undefined;
    const updated = { ...patient, ...changes, nhsNumber };
    this.#patients.set(nhsNumber, updated);
    return updated;
  }

  /** Answers a request under its base path; false for any other request. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    if (!url.pathname.startsWith(`${this.basePath}/`)) return false;
    const path = url.pathname.slice(this.basePath.length);
    this.requests += 1;
    if (request.method === 'POST' && path === '/oauth2/token') {
      // A client that gives up mid-request (its timeout) leaves nothing to answer.
      this.#token(request, response).catch(() => response.destroy());
      return true;
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const requestId = request.headers['x-request-id'];
      const correlationId = request.headers['x-correlation-id'];
      response.writeHead(status, {
        'content-type': FHIR_JSON,
        ...(typeof requestId === 'string' ? { 'x-request-id': requestId } : {}),
        ...(typeof correlationId === 'string' ? { 'x-correlation-id': correlationId } : {}),
        ...headers,
      });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET' || !path.startsWith('/FHIR/R4/Patient')) {
      send(404, outcome('RESOURCE_NOT_FOUND', 'Resource not found'));
      return true;
    }
    const requestId = request.headers['x-request-id'];
    if (typeof requestId !== 'string' || !UUID.test(requestId)) {
      send(400, outcome('MISSING_VALUE', 'Required value is missing', 'X-Request-ID must be a UUID'));
      return true;
    }
    if (!this.#authorised(request.headers.authorization)) {
      send(401, outcome('ACCESS_DENIED', 'Access denied', 'A valid access token is required'));
      return true;
    }
    const id = /^\/FHIR\/R4\/Patient\/([^/]+)$/.exec(path)?.[1];
    if (id !== undefined) this.#retrieve(decodeURIComponent(id), send);
    else if (path === '/FHIR/R4/Patient') this.#search(url.searchParams, send);
    else send(404, outcome('RESOURCE_NOT_FOUND', 'Resource not found'));
    return true;
  }

  #retrieve(id: string, send: (status: number, body: unknown, headers?: Record<string, string>) => void) {
    if (!isValidNhsNumber(id)) return send(400, outcome('INVALID_RESOURCE_ID', 'Resource Id is invalid'));
    const asked = this.#patients.get(id);
    if (!asked) return send(404, outcome('RESOURCE_NOT_FOUND', 'Resource not found'));
    if (asked.busy)
      return send(429, outcome('TOO_MANY_REQUESTS', 'Too many requests'), { 'retry-after': '1' });
    const current = asked.supersededBy ? this.#patients.get(asked.supersededBy) : asked;
    if (!current || (asked.invalidated && !asked.supersededBy))
      return send(
        404,
        outcome('INVALIDATED_RESOURCE', 'Resource that has been marked as invalid was requested'),
      );
    return send(200, fhirPatientOf(current));
  }

  #search(query: URLSearchParams, send: (status: number, body: unknown) => void) {
    const family = query.get('family');
    const birthdate = query.get('birthdate');
    if (!family || !birthdate?.startsWith('eq'))
      return send(
        400,
        outcome('INVALID_SEARCH_DATA', 'Search data is invalid', 'family and birthdate are required'),
      );
    const givens = query.getAll('given');
    const postcode = query.get('address-postalcode');
    const matches = this.patients().filter(
      (patient) =>
        !patient.invalidated &&
        !patient.supersededBy &&
        !(postcode && patient.restricted) &&
        termMatches(family, patient.family) &&
        patient.birthDate === birthdate.slice(2) &&
        givens.every((given) => patient.given.some((name) => termMatches(given, name))) &&
        (!postcode || termMatches(postcode, patient.postcode)),
    );
    const maximum = Number(query.get('_max-results') ?? 50);
    if (matches.length > maximum) return send(200, outcome('TOO_MANY_MATCHES', 'Too Many Matches'));
    return send(200, {
      resourceType: 'Bundle',
      type: 'searchset',
      timestamp: this.#clock().toISOString(),
      total: matches.length,
      entry: matches.map((patient) => ({
        fullUrl: `https://sandbox.invalid/Patient/${patient.nhsNumber}`,
        search: { score: 1 },
        resource: fhirPatientOf(patient),
      })),
    });
  }

  #authorised(header: string | string[] | undefined): boolean {
    const token = typeof header === 'string' ? /^Bearer (\S+)$/.exec(header)?.[1] : undefined;
    const until = token ? this.#tokens.get(token) : undefined;
    return until !== undefined && until > this.#clock().getTime();
  }

  /** The signed-JWT exchange: a client assertion of the right form and lifetime gets a 10-minute token. */
  async #token(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const refuse = (description: string) => {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: 'invalid_request', error_description: description }));
    };
    if (form.get('grant_type') !== 'client_credentials')
      return refuse('grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
      return refuse('client_assertion_type is missing or invalid');
    const assertion = form.get('client_assertion') ?? '';
    try {
      const header = decodeProtectedHeader(assertion);
      const claims = decodeJwt(assertion);
      const now = Math.floor(this.#clock().getTime() / 1000);
      if (header.alg !== 'RS512' || !header.kid) return refuse('the assertion must be RS512 with a kid');
      if (!claims.iss || claims.iss !== claims.sub) return refuse('iss and sub must both be the API key');
      if (!claims.jti) return refuse('jti is missing');
      if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 300)
        return refuse('exp must be in the next 5 minutes');
    } catch {
      return refuse('client_assertion is not a JWT');
    }
    const token = randomBytes(24).toString('base64url');
    this.#tokens.set(token, this.#clock().getTime() + 600_000);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ access_token: token, expires_in: '599', token_type: 'Bearer' }));
  }
}

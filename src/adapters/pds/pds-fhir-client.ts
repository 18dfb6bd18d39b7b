import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/clock.ts';
import {
  type Demographics,
  DemographicsInvalidatedError,
  DemographicsNotFoundError,
  type DemographicsRecord,
  type DemographicsSearch,
  DemographicsUnavailableError,
  InvalidNhsNumberError,
} from '../../domain/identity/demographics.ts';
import type { TokenSigner } from '../../domain/tokens/token-signer.ts';
import { patientsOfSearchset, recordFromFhirPatient, spineErrorCode } from './fhir-patient.ts';

export interface PdsFhirClientOptions {
  /** The FHIR base, ending `/FHIR/R4` (NHS England's, or the local sandbox's). */
  readonly baseUrl: string;
  /** Where a signed JWT is exchanged for an access token (application-restricted access); none: no token is sent. */
  readonly auth?: PdsAuthentication | undefined;
  readonly clock: Clock;
  /** How long one request may take before PDS counts as unavailable. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Application-restricted access: our API key, the token URL, and a signer with PDS's own key. */
export interface PdsAuthentication {
  readonly tokenUrl: string;
  readonly apiKey: string;
  /** Signs with the key registered with PDS, never the ID-token key. */
  readonly signer: Pick<TokenSigner, 'sign'>;
}

const FHIR_JSON = 'application/fhir+json';

/** Seconds from a Retry-After header (seconds only; a date is taken as unknown). */
const retryAfterOf = (response: Response): number | undefined => {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value > 0 ? value : undefined;
};

/**
 * The Personal Demographics Service over its FHIR R4 API, as NHS England publishes it: a record
 * by NHS number, or a search that must find exactly one record (`_max-results=1`, not fuzzy, with
 * history). Each request carries a new `X-Request-ID` and the caller's `X-Correlation-ID`; with
 * `auth`, a bearer token from the signed-JWT exchange, kept until a minute before it expires.
 * Errors are PDS's OperationOutcome codes as domain errors; anything PDS cannot answer now (429,
 * 408, 5xx, a timeout, an unreadable body) is DemographicsUnavailableError.
 */
export class PdsFhirClient implements Demographics {
  readonly #options: PdsFhirClientOptions;
  readonly #fetch: typeof fetch;
  #token: { value: string; until: number } | undefined;

  constructor(options: PdsFhirClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  async retrieve(nhsNumber: string, correlationId?: string): Promise<DemographicsRecord> {
    const response = await this.#get(`/Patient/${encodeURIComponent(nhsNumber)}`, correlationId);
    const body = await this.#json(response);
    if (response.ok) return this.#record(body);
    const code = spineErrorCode(body);
    if (code === 'INVALIDATED_RESOURCE')
      throw new DemographicsInvalidatedError('The record was invalidated.');
    if (response.status === 404) throw new DemographicsNotFoundError('No record has this NHS number.');
    if (code === 'INVALID_RESOURCE_ID') throw new InvalidNhsNumberError('PDS refused the NHS number.');
    throw this.#unavailable(response, code);
  }

  async search(details: DemographicsSearch, correlationId?: string): Promise<DemographicsRecord | undefined> {
    const query = new URLSearchParams({
      family: details.familyName,
      given: details.givenName,
      birthdate: `eq${details.birthDate}`,
      'address-postalcode': details.postcode,
      _history: 'true',
      '_max-results': '1',
    });
    const response = await this.#get(`/Patient?${query}`, correlationId);
    const body = await this.#json(response);
    // Several records match: in application-restricted mode that is no match, never a choice.
    if (spineErrorCode(body) === 'TOO_MANY_MATCHES') return undefined;
    if (response.ok) {
      const patients = this.#readable(() => patientsOfSearchset(body));
      return patients.length === 1 ? this.#record(patients[0]) : undefined;
    }
    throw this.#unavailable(response, spineErrorCode(body));
  }

  async #get(path: string, correlationId: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {
      accept: FHIR_JSON,
      'x-request-id': randomUUID(),
      'x-correlation-id': correlationId ?? randomUUID(),
    };
    const token = await this.#accessToken();
    if (token) headers.authorization = `Bearer ${token}`;
    return this.#send(`${this.#options.baseUrl.replace(/\/$/, '')}${path}`, { headers });
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, {
        ...init,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 3000),
      });
    } catch (error) {
      throw new DemographicsUnavailableError('PDS did not answer in time.', {
        logDetail: error instanceof Error ? error.name : 'fetch-failed',
        cause: error,
      });
    }
  }

  async #json(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch (error) {
      throw new DemographicsUnavailableError('PDS answered with a body that is not JSON.', {
        logDetail: `status ${response.status}`,
        cause: error,
      });
    }
  }

  #record(body: unknown): DemographicsRecord {
    return this.#readable(() =>
      recordFromFhirPatient(body, this.#options.clock().toISOString().slice(0, 10)),
    );
  }

  #readable<T>(read: () => T): T {
    try {
      return read();
    } catch (error) {
      throw new DemographicsUnavailableError('PDS answered with a body we cannot read.', { cause: error });
    }
  }

  #unavailable(response: Response, code: string | undefined): DemographicsUnavailableError {
    const retryAfterSeconds = retryAfterOf(response);
    return new DemographicsUnavailableError('PDS could not answer.', {
      logDetail: `status ${response.status}${code ? ` ${code}` : ''}`,
      ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
    });
  }

  /** A bearer token from the signed-JWT exchange, reused until a minute before it expires. */
  async #accessToken(): Promise<string | undefined> {
    const auth = this.#options.auth;
    if (!auth) return undefined;
    const now = this.#options.clock().getTime();
    if (this.#token && this.#token.until > now) return this.#token.value;
    const seconds = Math.floor(now / 1000);
    const assertion = await auth.signer.sign({
      iss: auth.apiKey,
      sub: auth.apiKey,
      aud: auth.tokenUrl,
      jti: randomUUID(),
      iat: seconds,
      exp: seconds + 300,
    });
    const response = await this.#send(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
      }).toString(),
    });
    const body = (await this.#json(response)) as { access_token?: unknown; expires_in?: unknown };
    if (!response.ok || typeof body.access_token !== 'string')
      throw new DemographicsUnavailableError('PDS refused our access token request.', {
        logDetail: `token status ${response.status}`,
      });
    const lifetime = Number(body.expires_in) > 0 ? Number(body.expires_in) : 300;
    this.#token = { value: body.access_token, until: now + Math.max(0, lifetime - 60) * 1000 };
    return this.#token.value;
  }
}

import { randomUUID } from 'node:crypto';
import {
  GpAlreadyLinkedError,
  GpDetailsNotMatchedError,
  type GpLinkage,
  GpLinkRefusedError,
  type GpOnlineServices,
  type GpRegistrationDetails,
  GpSystemUnavailableError,
} from '../../domain/identity/gp-online-services.ts';

export interface GpLinkageClientOptions {
  /** The broker's base URL (the local sandbox's, or the broker's in AWS). */
  readonly baseUrl: string;
  /** Sent as `x-api-key` when given. */
  readonly apiKey?: string | undefined;
  /** How long one request may take before the practice system counts as unavailable. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** What the broker answers for a linkage it made. */
interface LinkageBody {
  readonly nhsNumber?: unknown;
  readonly gpUserId?: unknown;
  readonly linkageKey?: unknown;
  readonly odsCode?: unknown;
  readonly error?: unknown;
}

/**
 * GP online services over the linkage broker's HTTP contract (docs/gp-online-services.md):
 * `POST /linkages` with the registration details and the surname and date of birth, answered
 * with the NHS number and the credentials, or an error code: `not_matched` (404),
 * `already_linked` (409), `link_refused` (403). Anything else the broker cannot answer now
 * (429, 5xx, a timeout, an unreadable body) is GpSystemUnavailableError, never "not matched".
 */
export class GpLinkageClient implements GpOnlineServices {
  readonly #options: GpLinkageClientOptions;
  readonly #fetch: typeof fetch;

  constructor(options: GpLinkageClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? fetch;
  }

  async link(details: GpRegistrationDetails, correlationId?: string): Promise<GpLinkage> {
    const response = await this.#post(
      {
        linkageKey: details.linkageKey,
        odsCode: details.odsCode,
        accountId: details.accountId,
        surname: details.surname,
        dateOfBirth: details.birthDate,
      },
      correlationId,
    );
    let body: LinkageBody;
    try {
      body = (await response.json()) as LinkageBody;
    } catch (error) {
      throw new GpSystemUnavailableError('The GP system answered with a body that is not JSON.', {
        logDetail: `status ${response.status}`,
        cause: error,
      });
    }
    if (response.ok) return this.#linkage(body);
    const code = typeof body?.error === 'string' ? body.error : undefined;
    if (response.status === 404 && code === 'not_matched')
      throw new GpDetailsNotMatchedError('The GP system has no patient with these details.');
    if (response.status === 409 && code === 'already_linked')
      throw new GpAlreadyLinkedError('These details are linked to another NHS login already.');
    if (response.status === 403 && code === 'link_refused')
      throw new GpLinkRefusedError('The GP system refused the link.');
    throw new GpSystemUnavailableError('The GP system could not answer.', {
      logDetail: `status ${response.status}${code ? ` ${code}` : ''}`,
    });
  }

  async #post(body: Record<string, string>, correlationId: string | undefined): Promise<Response> {
    const headers: Record<string, string> = {
      accept: 'application/json',
      'content-type': 'application/json',
      'x-request-id': randomUUID(),
      'x-correlation-id': correlationId ?? randomUUID(),
    };
    if (this.#options.apiKey) headers['x-api-key'] = this.#options.apiKey;
    try {
      return await this.#fetch(`${this.#options.baseUrl.replace(/\/$/, '')}/linkages`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 5000),
      });
    } catch (error) {
      throw new GpSystemUnavailableError('The GP system did not answer in time.', {
        logDetail: error instanceof Error ? error.name : 'fetch-failed',
        cause: error,
      });
    }
  }

  #linkage(body: LinkageBody): GpLinkage {
    const { nhsNumber, gpUserId, linkageKey, odsCode } = body ?? {};
    if (
      typeof nhsNumber !== 'string' ||
      !/^\d{10}$/.test(nhsNumber) ||
      typeof gpUserId !== 'string' ||
      typeof linkageKey !== 'string' ||
      typeof odsCode !== 'string'
    )
      throw new GpSystemUnavailableError('The GP system answered a linkage we cannot read.');
    return { nhsNumber, credentials: { gpUserId, gpLinkageKey: linkageKey, gpOdsCode: odsCode } };
  }
}

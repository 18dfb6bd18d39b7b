import { InvalidRequestError } from './errors.ts';

/**
 * The longest value each parameter may have, in characters: generous for relying parties (NHS
 * login tells them to route through `state`), far below what could reach a store key or item
 * limit. docs/limits.md lists them; a longer value is refused with the error its protocol names.
 */
export const inputLimits = {
  /** client_id and a client assertion's `iss`: UUIDs, or names a registrar chose. */
  clientId: 255,
  redirectUri: 2048,
  state: 2048,
  nonce: 2048,
  scope: 1024,
  vtr: 1024,
  /** response_type, response_mode, prompt, grant_type and the like. */
  keyword: 64,
  /** A PKCE challenge or verifier (RFC 7636: 43 to 128 characters). */
  pkce: 128,
  /** An authorization code or refresh token of ours (43 characters) with room to spare. */
  opaqueToken: 256,
  /** A signed JWT a client sends: a client assertion, an asserted_login_identity, an ID token hint. */
  jwt: 8192,
  /** Any other field of a hosted page's form or query, and any other parameter of an endpoint. */
  field: 8192,
} as const;

export type InputLimit = keyof typeof inputLimits;

/** A parameter was longer than its limit. Logged (at warn) with the parameter's name, never its value. */
export class ParameterTooLongError extends InvalidRequestError {
  readonly parameter: string;

  constructor(parameter: string, limit: number) {
    super(`${parameter} is too long: at most ${limit} characters.`, {
      logDetail: `${parameter} over ${limit}`,
    });
    this.parameter = parameter;
  }
}

/** Throws ParameterTooLongError for the first value longer than its limit (`field` for names not listed). */
export const checkLengths = (
  values: Readonly<Record<string, unknown>>,
  limits: Readonly<Record<string, number>> = {},
): void => {
  for (const [name, value] of Object.entries(values)) {
    const limit = Object.hasOwn(limits, name) ? (limits[name] as number) : inputLimits.field;
    if (typeof value === 'string' && value.length > limit) throw new ParameterTooLongError(name, limit);
  }
};

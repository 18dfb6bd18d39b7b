import { randomUUID } from 'node:crypto';
import type { Account } from '../accounts/account.ts';
import type { SessionAuthentication } from '../sessions/browser-session.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import { codeRedirect, errorRedirect } from './authorization-request.ts';
import { type ConsentStore, scopesNeedingConsent } from './consents.ts';
import type { AuthorizationCodes } from './grants/authorization-codes.ts';
import { achievedCredentials } from './second-factor-credentials.ts';
import { bestAchievedVector } from './vectors-of-trust.ts';

/** Every scope agreed to once the patient agrees to the request's, besides the `earlier` ones. */
export const agreedScopes = (
  earlier: readonly string[],
  request: AuthorizationRequest,
): readonly string[] => [...new Set([...earlier, ...request.scopes])];

/** What happens next for an authorization request, given who (if anyone) is logged in. */
export type AuthorizationStep =
  | { readonly kind: 'log-in' }
  | { readonly kind: 'consent'; readonly scopes: readonly string[] }
  | { readonly kind: 'prove-identity' }
  /** Back to the relying party: with a code, or with an error. */
  | { readonly kind: 'redirect'; readonly location: string };

/**
 * Decides the next step of an authorization request: log in, agree to share, prove who you are,
 * or return to the relying party with a code (or with the error `prompt=none` asks for).
 */
export class AuthorizationDecision {
  readonly #consents: ConsentStore;
  readonly #codes: AuthorizationCodes;
  readonly #issuer: string;

  /** `issuer` goes into every answer as `iss` (RFC 9207). */
  constructor(options: { consents: ConsentStore; codes: AuthorizationCodes; issuer: string }) {
    this.#consents = options.consents;
    this.#codes = options.codes;
    this.#issuer = options.issuer;
  }

  /**
   * `consented`: the scopes the patient has agreed to share with the client, when already known
   * (just recorded, or read with `consentedScopes` while the login was looked up).
   */
  async next(
    request: AuthorizationRequest,
    login: { authentication: SessionAuthentication; account: Account } | undefined,
    consented?: readonly string[],
  ): Promise<AuthorizationStep> {
    const silent = request.prompt === 'none';
    const refuse = (error: string, description: string): AuthorizationStep => ({
      kind: 'redirect',
      location: errorRedirect(request.redirectUri, {
        error,
        description,
        state: request.state,
        issuer: this.#issuer,
      }),
    });
    if (!login?.authentication.secondFactor) {
      return silent ? refuse('login_required', 'The patient is not logged in.') : { kind: 'log-in' };
    }
    const { authentication, account } = login;
    const match = bestAchievedVector(request.vtr, {
      proofingLevel: account.proofingLevel,
      credentials: achievedCredentials(authentication),
    });
    if (!match.met) {
      if (silent)
        return refuse('interaction_required', 'The patient must prove who they are or log in again.');
      if (match.reason === 'proofing-too-low') return { kind: 'prove-identity' };
      return refuse('access_denied', 'The login does not meet the requested vectors of trust.');
    }
    const needed = scopesNeedingConsent(
      request.scopes,
      consented ?? (await this.#consents.find(account.accountId, request.clientId)),
    );
    if (needed.length > 0) {
      return silent
        ? refuse('consent_required', 'The patient has not agreed to share this information.')
        : { kind: 'consent', scopes: needed };
    }
    const code = await this.#codes.issue({
      grantId: randomUUID(),
      clientId: request.clientId,
      redirectUri: request.redirectUri,
      accountId: account.accountId,
      scopes: request.scopes,
      nonce: request.nonce,
      vot: match.vot,
      authTime: authentication.passwordAt,
      sessionGeneration: authentication.generation,
      ...(request.codeChallenge ? { codeChallenge: request.codeChallenge } : {}),
    });
    return {
      kind: 'redirect',
      location: codeRedirect(request.redirectUri, { code, state: request.state, issuer: this.#issuer }),
    };
  }

  /** The scopes the patient has agreed to share with the client ([] when none): for `next` and `agree`. */
  async consentedScopes(accountId: string, clientId: string): Promise<readonly string[]> {
    return (await this.#consents.find(accountId, clientId)) ?? [];
  }

  /**
   * Records the patient's agreement to share the request's scopes with the client, besides the
   * `earlier` ones (`consentedScopes`); returns every scope now agreed to, as `agreedScopes` does.
   */
  async agree(
    accountId: string,
    request: AuthorizationRequest,
    earlier: readonly string[],
  ): Promise<readonly string[]> {
    const agreed = agreedScopes(earlier, request);
    await this.#consents.grant(accountId, request.clientId, agreed);
    return agreed;
  }

  /** The redirect for a patient who declines to share, as NHS login sends it. */
  declined(request: AuthorizationRequest): string {
    return errorRedirect(request.redirectUri, {
      error: 'access_denied',
      description: 'ConsentNotGiven',
      state: request.state,
      issuer: this.#issuer,
    });
  }

  /** The redirect for a patient who chose to go back rather than prove who they are. */
  notProven(request: AuthorizationRequest): string {
    return errorRedirect(request.redirectUri, {
      error: 'access_denied',
      description: 'The patient has not proved who they are to the level the service needs.',
      state: request.state,
      issuer: this.#issuer,
    });
  }
}

import { randomUUID } from 'node:crypto';
import type { Account } from '../accounts/account.ts';
import type { Clock } from '../clock.ts';
import type { SessionAuthentication } from '../sessions/browser-session.ts';
import type { AuthorizationRequest } from './authorization-request.ts';
import { codeRedirect, errorRedirect } from './authorization-request.ts';
import { type ConsentStore, scopesNeedingConsent } from './consents.ts';
import type { AuthorizationCodes } from './grants/authorization-codes.ts';
import { achievedCredentials } from './second-factor-credentials.ts';
import { bestAchievedVector } from './vectors-of-trust.ts';

/** Scopes whose claims come from proving who you are. */
const identityScopes: ReadonlySet<string> = new Set([
  'profile',
  'basic_demographics',
  'profile_extended',
  'gp_registration_details',
  'gp_integration_credentials',
  'nhs_app_credentials',
]);

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
  /** The account holds an identity whose NHS number is another account's: the duplicate-account page (CID1006). */
  | { readonly kind: 'existing-account' }
  /** The account's NHS number must be checked with PDS before a code with P5 or P9 claims is issued. */
  | { readonly kind: 'check-nhs-number' }
  /** The account cannot be used with services (CID2012 or CID2014). */
  | { readonly kind: 'account-disabled'; readonly reason: 'pds-record' | 'suspended' }
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

  readonly #clock: Clock;
  readonly #checkCacheSeconds: number;

  /**
   * `issuer` goes into every answer as `iss` (RFC 9207). `nhsNumberCheckCacheSeconds`: how long
   * PDS's last confirmation of an account's NHS number stands.
   */
  constructor(options: {
    consents: ConsentStore;
    codes: AuthorizationCodes;
    issuer: string;
    clock: Clock;
    nhsNumberCheckCacheSeconds: number;
  }) {
    this.#consents = options.consents;
    this.#codes = options.codes;
    this.#issuer = options.issuer;
    this.#clock = options.clock;
    this.#checkCacheSeconds = options.nhsNumberCheckCacheSeconds;
  }

  /**
   * Whether a code for this request would carry what proving who you are established (a P5 or P9
   * `vot`, or identity scopes of a proven account) while PDS's last confirmation of the NHS
   * number is older than the cache allows: then the number is checked first.
   */
  #needsNhsNumberCheck(account: Account, vot: string, scopes: readonly string[]): boolean {
    if (account.proofingLevel === 'P0' || !account.identity?.nhsNumber) return false;
    const carriesIdentity = !vot.startsWith('P0') || scopes.some((scope) => identityScopes.has(scope));
    if (!carriesIdentity) return false;
    const checkedAt = account.identity.checkedAt ? Date.parse(account.identity.checkedAt) : Number.NaN;
    return !(checkedAt + this.#checkCacheSeconds * 1000 > this.#clock().getTime());
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
    if (account.disabled) {
      return silent
        ? refuse('interaction_required', 'The patient cannot use this account with services.')
        : { kind: 'account-disabled', reason: account.disabled.reason };
    }
    if (!match.met) {
      if (silent)
        return refuse('interaction_required', 'The patient must prove who they are or log in again.');
      if (match.reason === 'proofing-too-low')
        return account.heldIdentity ? { kind: 'existing-account' } : { kind: 'prove-identity' };
      // A passkey login (Cm) where the request names only password credentials: the patient logs
      // in again with the password and a code, which the login page then asks for.
      if (authentication.secondFactor === 'passkey') return { kind: 'log-in' };
      return refuse('access_denied', 'The login does not meet the requested vectors of trust.');
    }
    if (this.#needsNhsNumberCheck(account, match.vot, request.scopes)) {
      return silent
        ? refuse('interaction_required', 'The patient’s NHS number must be checked before this request.')
        : { kind: 'check-nhs-number' };
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

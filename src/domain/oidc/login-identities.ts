import { type Account, type AccountStore, loginStands } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ClientStore, RelyingPartyClient } from '../clients/relying-party-client.ts';
import { type Clock, epochSeconds } from '../clock.ts';
import type { SessionAuthentication } from '../sessions/browser-session.ts';
import type { AssertionReplayStore } from './assertion-replay.ts';
import { ClientJwtRejected, decodeClientJwt, verifyClientSignedJwt } from './client-signed-jwt.ts';
import { type VectorOfTrust, vectorParts } from './vectors-of-trust.ts';

/** NHS login's ceiling on an `asserted_login_identity` JWT's life (reference 2.6 and 3.4). */
export const MAX_LOGIN_ASSERTION_LIFETIME_SECONDS = 60;

/**
 * Leeway for the signing client's clock: small, since it widens both ends of a 60-second window
 * (and the hand-off travels in a URL, where it can be seen).
 */
export const LOGIN_ASSERTION_CLOCK_SKEW_SECONDS = 5;

/**
 * An ID token we issued, as single sign-on needs it: the client that received it can later name
 * its `jti` in an `asserted_login_identity` to hand the patient to a partner service.
 */
export interface IssuedLoginIdentity {
  readonly clientId: string;
  readonly idTokenJti: string;
  readonly accountId: string;
  /** The vector of trust the login achieved. */
  readonly vot: VectorOfTrust;
  /** When the patient authenticated, in epoch seconds. */
  readonly authTime: number;
  /** The account's session generation at that login: a revocation since ends the hand-off too. */
  readonly sessionGeneration: number;
}

/** Where issued ID tokens are remembered, until they expire. */
export interface LoginIdentityStore {
  /** Remembers an issued ID token until `expiresAt` (epoch seconds). */
  record(identity: IssuedLoginIdentity, expiresAt: number): Promise<void>;
  /** The ID token a client received with that `jti`; undefined when unknown or expired. */
  find(clientId: string, idTokenJti: string): Promise<IssuedLoginIdentity | undefined>;
}

/** Why an `asserted_login_identity` was refused: a relying party can act on each. */
export type LoginAssertionProblem =
  | 'malformed'
  | 'unknown-client'
  | 'not-partner'
  | 'signature'
  | 'claims'
  | 'lifetime'
  | 'replayed'
  | 'unknown-login'
  | 'weak-login'
  | 'login-ended';

/** What `error_description` says for each problem: nothing of the token's content. */
export const loginAssertionProblemDescriptions: Record<LoginAssertionProblem, string> = {
  malformed: 'asserted_login_identity is not a signed JWT',
  'unknown-client': 'asserted_login_identity was not issued by a registered client',
  'not-partner':
    'the client that signed asserted_login_identity is not registered to hand patients to this one',
  signature: "asserted_login_identity does not verify with the signing client's registered keys",
  claims: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
  lifetime: `asserted_login_identity has expired or lives longer than ${MAX_LOGIN_ASSERTION_LIFETIME_SECONDS} seconds`,
  replayed: 'asserted_login_identity has been used already',
  'unknown-login':
    'the code in asserted_login_identity names no unexpired ID token issued to the signing client',
  'weak-login': 'the login the ID token came from did not use a second factor, so it cannot be handed over',
  'login-ended': "the patient's login has ended since the ID token was issued, or is older than 12 hours",
};

export class LoginAssertionRefusedError extends Error {
  readonly problem: LoginAssertionProblem;
  readonly logDetail: string;

  constructor(problem: LoginAssertionProblem, logDetail: string = problem) {
    super(loginAssertionProblemDescriptions[problem]);
    this.name = 'LoginAssertionRefusedError';
    this.problem = problem;
    this.logDetail = logDetail;
  }
}

/** The login a partner handed over: whose it is, and the session authentication it stands for. */
export interface AssertedLogin {
  readonly account: Account;
  /** The client that signed the assertion. */
  readonly assertedBy: string;
  readonly authentication: SessionAuthentication;
}

export interface LoginIdentityOptions {
  readonly store: LoginIdentityStore;
  readonly clients: Pick<ClientStore, 'find'>;
  readonly accounts: Pick<AccountStore, 'findById'>;
  readonly replayStore: AssertionReplayStore;
  /** Where a hand-off is recorded (`handOver`). */
  readonly audit: Pick<AuditLog, 'record'>;
  readonly clock: Clock;
  /** Our issuer: an assertion that names an audience must name it (or the authorize endpoint). */
  readonly issuer: string;
  readonly authorizeEndpoint: string;
  readonly idTokenLifetimeSeconds: number;
  /** How old the original login may be: the browser session's absolute limit. */
  readonly maxLoginAgeSeconds: number;
  readonly clockSkewSeconds?: number;
}

/**
 * Single sign-on between services (NHS login's `asserted_login_identity`, reference 3.4): the ID
 * tokens we issue are remembered, and a partner service can present a JWT, signed by the client
 * the ID token was issued to, whose `code` is that ID token's `jti`. It is accepted once, within
 * 60 seconds, and only between clients registered as partners (a client may always hand a
 * patient to itself, e.g. from its app to its website). Its jti shares the replay claims of
 * client assertions, and the token endpoint refuses a JWT with a `code`, so one JWT can never
 * serve as both.
 */
export class LoginIdentities {
  readonly #options: LoginIdentityOptions;

  constructor(options: LoginIdentityOptions) {
    this.#options = options;
  }

  /** Remembers an ID token issued at the token endpoint, for as long as it is valid. */
  async recordIssued(identity: IssuedLoginIdentity): Promise<void> {
    const now = epochSeconds(this.#options.clock());
    await this.#options.store.record(identity, now + this.#options.idTokenLifetimeSeconds);
  }

  /**
   * A partner service's hand-off of its patient's login: `accept`, and on success the
   * `login-handed-over` event on the account (detail: the client that signed the assertion).
   */
  async handOver(assertion: string, receivingClientId: string, sourceIp: string): Promise<AssertedLogin> {
    const login = await this.accept(assertion, receivingClientId);
    await this.#options.audit.record({
      accountId: login.account.accountId,
      type: 'login-handed-over',
      at: this.#options.clock().toISOString(),
      sourceIp,
      detail: login.assertedBy,
    });
    return login;
  }

  /**
   * Checks an `asserted_login_identity` sent with an authorize request of `receivingClientId`,
   * uses it up, and returns the login it hands over. Every failure is LoginAssertionRefusedError.
   * Its jti is claimed last, so an assertion refused for another reason is not used up.
   */
  async accept(assertion: string, receivingClientId: string): Promise<AssertedLogin> {
    const { header, claims } = this.#decode(assertion);
    const issuer = await this.#signingClient(claims.iss);
    // The signature first: nobody learns which clients are partners without a client's key.
    const payload = await this.#verify(assertion, header, issuer);
    const partner =
      issuer.clientId === receivingClientId ||
      (issuer.singleSignOnPartners ?? []).includes(receivingClientId);
    if (!partner) throw new LoginAssertionRefusedError('not-partner');
    const identity = await this.#options.store.find(issuer.clientId, payload.code);
    if (!identity) throw new LoginAssertionRefusedError('unknown-login');
    const now = epochSeconds(this.#options.clock());
    const account = await this.#options.accounts.findById(identity.accountId);
    if (!account || !loginStands(account, identity.sessionGeneration))
      throw new LoginAssertionRefusedError('login-ended');
    // Handing a login on and on must not make it outlive the 12 hours a session may last.
    if (now - identity.authTime > this.#options.maxLoginAgeSeconds)
      throw new LoginAssertionRefusedError('login-ended', 'login older than the session limit');
    if (vectorParts(identity.vot).credentials !== 'Cp.Cd') throw new LoginAssertionRefusedError('weak-login');
    // The same replay claims as client assertions at the token endpoint: one jti, one use, either way.
    const claimed = await this.#options.replayStore.claim(
      issuer.clientId,
      payload.jti,
      new Date((payload.exp + this.#skew()) * 1000),
    );
    if (!claimed) throw new LoginAssertionRefusedError('replayed');
    return {
      account,
      assertedBy: issuer.clientId,
      authentication: {
        accountId: account.accountId,
        generation: identity.sessionGeneration,
        passwordAt: identity.authTime,
        secondFactor: 'asserted-login',
        secondFactorAt: now,
      },
    };
  }

  #decode(assertion: string) {
    try {
      return decodeClientJwt(assertion);
    } catch (error) {
      if (error instanceof ClientJwtRejected) throw new LoginAssertionRefusedError('malformed');
      throw error;
    }
  }

  async #signingClient(iss: unknown): Promise<RelyingPartyClient> {
    const client = typeof iss === 'string' && iss !== '' ? await this.#options.clients.find(iss) : undefined;
    if (!client) throw new LoginAssertionRefusedError('unknown-client');
    return client;
  }

  async #verify(
    assertion: string,
    header: ReturnType<typeof decodeClientJwt>['header'],
    client: RelyingPartyClient,
  ): Promise<{ code: string; jti: string; exp: number }> {
    const skew = this.#skew();
    const now = epochSeconds(this.#options.clock());
    let payload: Awaited<ReturnType<typeof verifyClientSignedJwt>>;
    try {
      payload = await verifyClientSignedJwt(assertion, header, client, {
        issuer: client.clientId,
        requiredClaims: ['exp', 'iat', 'jti', 'code'],
        clockTolerance: skew,
        currentDate: this.#options.clock(),
      });
    } catch (error) {
      if (!(error instanceof ClientJwtRejected)) throw error;
      const expired = error.logDetail === 'exp is in the past';
      throw new LoginAssertionRefusedError(
        error.check === 'claims' ? (expired ? 'lifetime' : 'claims') : 'signature',
        error.logDetail,
      );
    }
    const { code, jti, exp, iat, aud } = payload;
    if (typeof code !== 'string' || code === '' || typeof jti !== 'string' || jti === '')
      throw new LoginAssertionRefusedError('claims', 'code or jti not a non-empty string');
    if (aud !== undefined) {
      const audiences = Array.isArray(aud) ? aud : [aud];
      const ours = [this.#options.issuer, this.#options.authorizeEndpoint];
      if (!audiences.some((value) => ours.includes(value)))
        throw new LoginAssertionRefusedError('claims', 'aud names another audience');
    }
    // jose has checked that exp and iat are numbers and exp not past (with the skew); the rest is ours.
    const issuedAt = iat as number;
    const expires = exp as number;
    if (expires - issuedAt > MAX_LOGIN_ASSERTION_LIFETIME_SECONDS)
      throw new LoginAssertionRefusedError('lifetime', 'lifetime over 60 seconds');
    if (expires > now + MAX_LOGIN_ASSERTION_LIFETIME_SECONDS + skew || issuedAt > now + skew)
      throw new LoginAssertionRefusedError('lifetime', 'iat or exp too far in the future');
    return { code, jti, exp: expires };
  }

  #skew(): number {
    return this.#options.clockSkewSeconds ?? LOGIN_ASSERTION_CLOCK_SKEW_SECONDS;
  }
}

import type { Scope } from '../oidc/scopes.ts';
import type { VectorOfTrust } from '../oidc/vectors-of-trust.ts';

/** A public key a client signs its private_key_jwt assertions with, with the algorithms it may use. */
export interface ClientPublicKey {
  readonly kid: string;
  readonly jwk: Readonly<Record<string, string>>;
  readonly algorithms: readonly string[];
}

/** A relying party registered with us (offline, as NHS login registers its partners). */
export interface RelyingPartyClient {
  readonly clientId: string;
  readonly name: string;
  /** Compared as exact strings with the authorize request's redirect_uri. */
  readonly redirectUris: readonly string[];
  /** Where the end-session endpoint may send the patient after logging out (exact strings). */
  readonly postLogoutRedirectUris?: readonly string[];
  readonly publicKeys: readonly ClientPublicKey[];
  /** The scopes the client may request; always includes `openid`. */
  readonly scopes: readonly Scope[];
  /** The vectors of trust the client may request. */
  readonly vectorsOfTrust: readonly VectorOfTrust[];
  /** Whether patients may create an account from this client's journeys (NHS login's default: yes). */
  readonly allowRegistration: boolean;
  /** Whether authorize requests must carry a PKCE S256 challenge. */
  readonly pkceRequired: boolean;
  /** Whether the token endpoint issues refresh tokens to this client (30 days, rotated on every use). */
  readonly refreshTokens: boolean;
  /**
   * The clients this one may hand its logged-in patients to with `asserted_login_identity`
   * (NHS login's SSO pairs, which partners choose). A client may always hand patients to itself.
   */
  readonly singleSignOnPartners?: readonly string[];
  readonly createdAt: string;
}

/** Where relying-party clients are kept. */
export interface ClientStore {
  /** Stores a new client; ClientAlreadyRegisteredError when the client_id is taken. */
  create(client: RelyingPartyClient): Promise<void>;
  find(clientId: string): Promise<RelyingPartyClient | undefined>;
  list(): Promise<RelyingPartyClient[]>;
  /** Removes a client; UnknownClientError when there is none. */
  remove(clientId: string): Promise<void>;
}

import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWK,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import type { ClientPublicKey, RelyingPartyClient } from '../clients/relying-party-client.ts';
import { clientAssertionAlgorithms } from './discovery.ts';

/**
 * A JWT a client signed failed a check. `logDetail` says which, in words that hold no token
 * content; callers turn it into the error their protocol names.
 */
export class ClientJwtRejected extends Error {
  readonly logDetail: string;
  /** Which kind of check failed: the signature and keys, or a claim (with jose's name for it). */
  readonly check: 'form' | 'signature' | 'claims';

  constructor(check: ClientJwtRejected['check'], logDetail: string) {
    super(logDetail);
    this.name = 'ClientJwtRejected';
    this.check = check;
    this.logDetail = logDetail;
  }
}

type ClientJwtAlgorithm = (typeof clientAssertionAlgorithms)[number];

/** A compact JWS's header and claims, unverified: enough to find the client that signed it. */
export const decodeClientJwt = (jwt: string): { header: ProtectedHeaderParameters; claims: JWTPayload } => {
  try {
    // decodeJwt accepts only the three parts of a compact JWS with a JSON object payload.
    return { claims: decodeJwt(jwt), header: decodeProtectedHeader(jwt) };
  } catch {
    throw new ClientJwtRejected('form', 'not a compact JWS JWT');
  }
};

/**
 * Verifies a JWT signed by a registered client: the header's `alg` must be one we publish for
 * clients (never `none` nor HS*), the key the `kid` names or else any of the client's keys that
 * allow that `alg`, then the claim checks asked for. Every failure is ClientJwtRejected.
 */
export const verifyClientSignedJwt = async (
  jwt: string,
  header: ProtectedHeaderParameters,
  client: RelyingPartyClient,
  checks: Omit<JWTVerifyOptions, 'algorithms'>,
): Promise<JWTPayload> => {
  const alg = acceptedAlgorithm(header);
  for (const key of candidateKeys(client, header, alg)) {
    try {
      const { payload } = await jwtVerify(jwt, await importJWK({ ...key.jwk } as JWK, alg), {
        ...checks,
        algorithms: [alg],
      });
      return payload;
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw verificationFailure(error);
    }
  }
  throw new ClientJwtRejected('signature', 'signature verifies with no key of the client');
};

const acceptedAlgorithm = (header: ProtectedHeaderParameters): ClientJwtAlgorithm => {
  const accepted: readonly string[] = clientAssertionAlgorithms;
  if (typeof header.alg !== 'string' || !accepted.includes(header.alg))
    throw new ClientJwtRejected('signature', 'header alg is not an accepted client assertion algorithm');
  return header.alg as ClientJwtAlgorithm;
};

/** The key the header's `kid` names, or else every key of the client that allows `alg`. */
const candidateKeys = (
  client: RelyingPartyClient,
  header: ProtectedHeaderParameters,
  alg: ClientJwtAlgorithm,
): readonly ClientPublicKey[] => {
  if (header.kid !== undefined) {
    const key = client.publicKeys.find((candidate) => candidate.kid === header.kid);
    if (!key) throw new ClientJwtRejected('signature', 'kid names no key of the client');
    if (!key.algorithms.includes(alg))
      throw new ClientJwtRejected('signature', 'the key named by kid does not allow the header alg');
    return [key];
  }
  const keys = client.publicKeys.filter((key) => key.algorithms.includes(alg));
  if (keys.length === 0)
    throw new ClientJwtRejected('signature', 'no key of the client allows the header alg');
  return keys;
};

/** The check jose reports as failed, in words that hold no token content (jose's errors carry the claims). */
const verificationFailure = (error: unknown): ClientJwtRejected => {
  if (error instanceof errors.JWTExpired)
    return new ClientJwtRejected('claims', `${error.claim} is in the past`);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reasons: Record<string, string> = {
      missing: 'missing',
      invalid: 'not valid',
      check_failed: 'wrong',
    };
    return new ClientJwtRejected('claims', `${error.claim} ${reasons[error.reason] ?? 'wrong'}`);
  }
  if (error instanceof errors.JOSEError)
    return new ClientJwtRejected('signature', `verification failed (${error.code})`);
  return new ClientJwtRejected(
    'signature',
    `verification failed (${error instanceof Error ? error.name : 'unknown error'})`,
  );
};

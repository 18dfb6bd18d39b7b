import { base64url, calculateJwkThumbprint, type JWK, type JWTPayload } from 'jose';
import { type PublicJwk, TOKEN_SIGNING_ALGORITHM } from './token-signer.ts';

/** Produces the signature over the JWS signing input, wherever the private key lives. */
export type SignBytes = (signingInput: Uint8Array) => Promise<Uint8Array>;

/** Assembles a compact JWS (RS512) around a signature made by `signBytes`. */
export const signCompactJws = async (
  payload: JWTPayload,
  header: { kid: string; typ: string },
  signBytes: SignBytes,
): Promise<string> => {
  const protectedHeader = { alg: TOKEN_SIGNING_ALGORITHM, typ: header.typ, kid: header.kid };
  const input = `${base64url.encode(JSON.stringify(protectedHeader))}.${base64url.encode(JSON.stringify(payload))}`;
  const signature = await signBytes(new TextEncoder().encode(input));
  return `${input}.${base64url.encode(signature)}`;
};

/** The public JWK served for a key: public members only, `kid` = its SHA-256 thumbprint. */
export const toPublicJwk = async (jwk: JWK): Promise<PublicJwk> => {
  if (jwk.kty !== 'RSA' || !jwk.n || !jwk.e) throw new Error('Signing keys must be RSA keys');
  const publicMembers = { kty: jwk.kty, n: jwk.n, e: jwk.e };
  const kid = await calculateJwkThumbprint(publicMembers, 'sha256');
  return { ...publicMembers, kid, alg: TOKEN_SIGNING_ALGORITHM, use: 'sig' };
};

import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { clientAssertionAlgorithms } from '../oidc/discovery.ts';
import type { ClientPublicKey } from './relying-party-client.ts';

const MINIMUM_RSA_BITS = 2048;
/** Of the algorithms the token endpoint accepts, those each key type can sign with. */
const rsaAlgorithms = clientAssertionAlgorithms.filter((alg) => alg.startsWith('RS') || alg.startsWith('PS'));
const ecAlgorithms = clientAssertionAlgorithms.filter((alg) => alg.startsWith('ES'));
const MAXIMUM_KEYS = 5;
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

type Parsed = { keys: ClientPublicKey[]; problems: string[] };

/**
 * Reads a client's public key(s) from a PEM (SPKI, PKCS#1 or certificate) or from a JWKS / JWK
 * in JSON. Private keys are refused. Problems never quote the key material.
 */
export const parseClientPublicKeys = async (text: string): Promise<Parsed> => {
  const trimmed = text.trim();
  if (trimmed === '') return { keys: [], problems: ['Give the public key: a PEM file or a JWKS.'] };
  if (trimmed.startsWith('-----BEGIN')) return parsePem(trimmed);
  if (trimmed.startsWith('{')) return parseJwks(trimmed);
  return {
    keys: [],
    problems: ['The public key is neither a PEM (-----BEGIN PUBLIC KEY-----) nor a JWKS in JSON.'],
  };
};

const parsePem = async (pem: string): Promise<Parsed> => {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
    return {
      keys: [],
      problems: [
        'This is a private key, which must stay with the relying party. Give the public key instead: openssl pkey -in private.pem -pubout -out public.pem',
      ],
    };
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return { keys: [], problems: ['The PEM could not be read as a public key; check it was copied whole.'] };
  }
  return describeKey(key, undefined, 'The public key');
};

const parseJwks = async (json: string): Promise<Parsed> => {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch {
    return { keys: [], problems: ['The JWKS is not valid JSON.'] };
  }
  const jwks =
    (document as { keys?: unknown }).keys !== undefined ? (document as { keys: unknown }).keys : [document];
  if (!Array.isArray(jwks) || jwks.length === 0) return { keys: [], problems: ['The JWKS has no keys.'] };
  if (jwks.length > MAXIMUM_KEYS)
    return { keys: [], problems: [`A client may have at most ${MAXIMUM_KEYS} keys.`] };
  const label = (index: number) => (jwks.length === 1 ? 'The key' : `Key ${index + 1} of the JWKS`);
  const results = await Promise.all(jwks.map((jwk, index) => parseJwk(jwk, label(index))));
  const keys = results.flatMap((result) => result.keys);
  const problems = results.flatMap((result) => result.problems);
  const kids = keys.map((key) => key.kid);
  if (new Set(kids).size !== kids.length) problems.push('Two keys of the JWKS have the same kid.');
  return { keys, problems };
};

const parseJwk = async (jwk: unknown, label: string): Promise<Parsed> => {
  if (typeof jwk !== 'object' || jwk === null)
    return { keys: [], problems: [`${label} is not a JSON object.`] };
  const members = jwk as Record<string, unknown>;
  if (PRIVATE_JWK_MEMBERS.some((member) => member in members)) {
    return { keys: [], problems: [`${label} contains private key material; publish only the public key.`] };
  }
  if (members.use !== undefined && members.use !== 'sig') {
    return { keys: [], problems: [`${label} is not for signatures (its "use" is not "sig").`] };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: members as JsonWebKey, format: 'jwk' });
  } catch {
    return { keys: [], problems: [`${label} could not be read as a public key.`] };
  }
  const declared = typeof members.alg === 'string' ? members.alg : undefined;
  return describeKey(key, typeof members.kid === 'string' ? members.kid : undefined, label, declared);
};

/** A key that declares its `alg` is used with that algorithm only. */
const describeKey = async (
  key: KeyObject,
  kid: string | undefined,
  label: string,
  declaredAlgorithm?: string,
): Promise<Parsed> => {
  const algorithms = allowedAlgorithms(key);
  if ('problem' in algorithms) return { keys: [], problems: [`${label} ${algorithms.problem}`] };
  if (declaredAlgorithm !== undefined) {
    if (!algorithms.list.includes(declaredAlgorithm)) {
      return {
        keys: [],
        problems: [
          `${label} declares "alg": "${declaredAlgorithm}", which this key cannot use (it can use ${algorithms.list.join(', ')}).`,
        ],
      };
    }
    algorithms.list = [declaredAlgorithm];
  }
  const exported = key.export({ format: 'jwk' }) as Record<string, string>;
  const jwk = Object.fromEntries(Object.entries(exported).filter(([, value]) => typeof value === 'string'));
  return {
    keys: [{ kid: kid ?? (await calculateJwkThumbprint(jwk, 'sha256')), jwk, algorithms: algorithms.list }],
    problems: [],
  };
};

/** RSA keys (2048 bits or more) may sign RS512, RS256 or PS256; P-256 keys ES256. */
const allowedAlgorithms = (key: KeyObject): { list: string[] } | { problem: string } => {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    return bits >= MINIMUM_RSA_BITS
      ? { list: rsaAlgorithms }
      : { problem: `is an RSA key of ${bits} bits; it must have at least ${MINIMUM_RSA_BITS}.` };
  }
  if (key.asymmetricKeyType === 'ec') {
    return details.namedCurve === 'prime256v1'
      ? { list: ecAlgorithms }
      : { problem: 'is an elliptic-curve key on a curve other than P-256.' };
  }
  const type =
    key.asymmetricKeyType === 'ed25519' ? 'Ed25519' : (key.asymmetricKeyType ?? 'unknown').toUpperCase();
  return { problem: `is an ${type} key; use RSA (2048 bits or more) or EC P-256.` };
};

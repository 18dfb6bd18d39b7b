import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Key pairs for registration tests, made with node:crypto so each test uses fresh key material. */
export const rsaKeyPair = (modulusLength = 2048) => generateKeyPairSync('rsa', { modulusLength });

export const ecKeyPair = (namedCurve: 'P-256' | 'P-384') => generateKeyPairSync('ec', { namedCurve });

export const spkiPem = (key: KeyObject): string => key.export({ type: 'spki', format: 'pem' }).toString();

export const jwkOf = (key: KeyObject): Record<string, unknown> => ({ ...key.export({ format: 'jwk' }) });

export const jwksText = (...keys: Record<string, unknown>[]): string => JSON.stringify({ keys });

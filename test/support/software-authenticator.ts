import { createHash, createSign, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { isoCBOR } from '@simplewebauthn/server/helpers';

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const b64url = (data: Uint8Array | string) => Buffer.from(data).toString('base64url');

/**
 * A WebAuthn authenticator in the test, for the ceremonies below the browser: an ES256 key, a
 * counter, and the registration and login responses a browser would hand over (attestation
 * `none`). The browser tests use Chromium's virtual authenticator instead.
 */
export const softwareAuthenticator = (options: {
  readonly rpId: string;
  readonly origin: string;
  /** The counter it reports; a cloned copy is one that reports the same counter again. */
  readonly counter?: number;
  readonly aaguid?: string;
}) => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(32);
  let counter = options.counter ?? 0;
  const jwk = publicKey.export({ format: 'jwk' }) as { x: string; y: string };
  const cosePublicKey = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x, 'base64url')],
      [-3, Buffer.from(jwk.y, 'base64url')],
    ]),
  );
  const flags = (extra: number) => Buffer.from([0x01 | 0x04 | 0x08 | 0x10 | extra]);
  const count = () => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(counter);
    return bytes;
  };
  const clientData = (type: string, challenge: string, origin: string) =>
    Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  const aaguid = Buffer.from(
    (options.aaguid ?? 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4').replace(/-/g, ''),
    'hex',
  );

  const sign = (key: KeyObject, data: Buffer) => createSign('SHA256').update(data).sign(key);

  return {
    credentialId: b64url(credentialId),
    /** What the browser hands over after `navigator.credentials.create` with these options. */
    register(challenge: string, origin = options.origin): RegistrationResponseJSON {
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credentialId.length);
      const authData = Buffer.concat([
        sha256(options.rpId),
        flags(0x40),
        count(),
        aaguid,
        idLength,
        credentialId,
        Buffer.from(cosePublicKey),
      ]);
      const attestationObject = isoCBOR.encode(
        new Map<string, Parameters<typeof isoCBOR.encode>[0]>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        clientExtensionResults: {},
        authenticatorAttachment: 'platform',
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', challenge, origin)),
          attestationObject: b64url(attestationObject),
          transports: ['internal', 'hybrid'],
        },
      };
    },
    /** What the browser hands over after `navigator.credentials.get`: the counter moves on first. */
    authenticate(challenge: string, userHandle: string, origin = options.origin): AuthenticationResponseJSON {
      counter += 1;
      const authData = Buffer.concat([sha256(options.rpId), flags(0), count()]);
      const clientDataJSON = clientData('webauthn.get', challenge, origin);
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: b64url(clientDataJSON),
          authenticatorData: b64url(authData),
          signature: b64url(sign(privateKey, Buffer.concat([authData, sha256(clientDataJSON)]))),
          userHandle: b64url(userHandle),
        },
      };
    },
    /** Sets the counter, as a cloned copy of the key would carry an old one. */
    setCounter(value: number) {
      counter = value;
    },
  };
};

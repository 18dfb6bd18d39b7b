import {
  createPrivateKey,
  sign as cryptoSign,
  type KeyObject,
  type JsonWebKey as NodeJsonWebKey,
} from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload } from 'jose';
import { signCompactJws, toPublicJwk } from '../../domain/tokens/compact-jws.ts';
import {
  type JsonWebKeySet,
  type PublicJwk,
  type SignOptions,
  TOKEN_SIGNING_ALGORITHM,
  type TokenSigner,
} from '../../domain/tokens/token-signer.ts';

interface LocalSigningKey {
  readonly privateKey: KeyObject;
  readonly publicJwk: PublicJwk;
}

/** The file holds a list of private JWKs: the first signs, all are published (rotation: prepend a new key). */
interface KeyFile {
  readonly keys: JWK[];
}

/** Signs tokens with RS512 keys kept in a file under `.data/`, for the local stack and tests. */
export class LocalTokenSigner implements TokenSigner {
  readonly #keys: readonly LocalSigningKey[];

  private constructor(keys: readonly LocalSigningKey[]) {
    this.#keys = keys;
  }

  /** Loads the key file, or creates it with one new RSA 2048 key at first start. */
  static async loadOrCreate(path: string): Promise<LocalTokenSigner> {
    const file = await readKeyFile(path);
    if (file) return LocalTokenSigner.fromPrivateJwks(file.keys);
    const jwk = await generatePrivateJwk();
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify({ keys: [jwk] } satisfies KeyFile, null, 2), { mode: 0o600 });
    return LocalTokenSigner.fromPrivateJwks([jwk]);
  }

  static async fromPrivateJwks(jwks: readonly JWK[]): Promise<LocalTokenSigner> {
    if (jwks.length === 0) throw new Error('A signing key file needs at least one key');
    const keys = await Promise.all(
      jwks.map(async (jwk) => ({
        privateKey: createPrivateKey({ key: jwk as NodeJsonWebKey, format: 'jwk' }),
        publicJwk: await toPublicJwk(jwk),
      })),
    );
    return new LocalTokenSigner(keys);
  }

  async sign(payload: JWTPayload, options: SignOptions = {}): Promise<string> {
    const [active] = this.#keys as [LocalSigningKey];
    return signCompactJws(payload, { kid: active.publicJwk.kid, typ: options.typ ?? 'JWT' }, async (input) =>
      cryptoSign('sha512', input, active.privateKey),
    );
  }

  async jwks(): Promise<JsonWebKeySet> {
    return { keys: this.#keys.map((key) => key.publicJwk) };
  }
}

export const generatePrivateJwk = async (): Promise<JWK> => {
  const { privateKey } = await generateKeyPair(TOKEN_SIGNING_ALGORITHM, {
    modulusLength: 2048,
    extractable: true,
  });
  return exportJWK(privateKey);
};

const readKeyFile = async (path: string): Promise<KeyFile | undefined> => {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as KeyFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
};

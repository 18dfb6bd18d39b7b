import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SecretBox } from '../../domain/identity/secret-box.ts';

/** The context as additional authenticated data: the same keys and values, in any order, give the same bytes. */
const aadOf = (context: Readonly<Record<string, string>>) =>
  Buffer.from(JSON.stringify(Object.entries(context).sort(([a], [b]) => a.localeCompare(b))), 'utf8');

/**
 * The local stand-in for the KMS secret box: AES-256-GCM with a key kept in the data folder
 * (made on first use, readable by its owner only), the context as additional authenticated data.
 */
export class LocalSecretBox implements SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('A local secret box needs a 32-byte key');
    this.#key = key;
  }

  static async loadOrCreate(path: string): Promise<LocalSecretBox> {
    try {
      return new LocalSecretBox(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const key = randomBytes(32);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, key.toString('base64url'), { mode: 0o600 });
    return new LocalSecretBox(key);
  }

  async seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv).setAAD(aadOf(context));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['local', iv, sealed, cipher.getAuthTag()]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  async open(sealed: string, context: Readonly<Record<string, string>>): Promise<string> {
    const [scheme, iv, body, tag] = sealed.split('.');
    if (scheme !== 'local' || !iv || body === undefined || !tag)
      throw new Error('The value was not sealed by a local secret box');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'))
      .setAAD(aadOf(context))
      .setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

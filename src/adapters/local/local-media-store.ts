import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { type Clock, epochSeconds } from '../../domain/clock.ts';
import {
  type DownloadOptions,
  MediaChangedError,
  type MediaStore,
  type MediaUpload,
  mediaLimits,
  reviewedKey,
  type StoredMedia,
  type UploadRequest,
} from '../../domain/identity/photo-id/media-store.ts';

/** The upload form's path on the dev server, and the download path beneath it. */
export const localMediaPath = '/_dev/media';
const downloadPath = `${localMediaPath}/object`;

/** The largest body the upload endpoint reads: the largest limit and room for the form's other fields. */
const largestUploadBytes =
  Math.max(...Object.values(mediaLimits).map((limits) => limits.maxBytes)) + 64 * 1024;

/** What a local upload form allows, signed like S3's policy: nothing in it can be changed by the browser. */
interface LocalPolicy {
  readonly uploadId: string;
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly expiresAt: number;
  readonly successRedirect?: string;
}

interface ObjectMeta {
  readonly contentType: string;
  readonly etag: string;
}

class UploadRefused extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** An answer in S3's own form (an XML `Error`), so the browser code sees what S3 would send. */
const s3Error = (response: ServerResponse, refused: UploadRefused): void => {
  response.writeHead(refused.status, { 'content-type': 'application/xml', 'cache-control': 'no-store' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refused.code}</Code><Message>${refused.message}</Message></Error>`,
  );
};

const readLimited = (request: IncomingMessage, limit: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () =>
      size > limit
        ? reject(
            new UploadRefused(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size'),
          )
        : resolve(Buffer.concat(chunks)),
    );
    request.on('error', reject);
  });

/**
 * The media store on `npm start`: files under the data folder, uploaded to the dev server's own
 * endpoint, which enforces what S3's POST policy states (the key, the content type, the size
 * range, the expiry; the form signed so none of it can be changed) and one thing S3 does not:
 * each form works once. Downloads are signed, expiring URLs on the same server.
 */
export class LocalMediaStore implements MediaStore {
  readonly #directory: string;
  readonly #key: Buffer;
  readonly #baseUrl: string;
  readonly #clock: Clock;
  readonly #readOrigins: readonly string[];

  constructor(options: {
    readonly directory: string;
    readonly key: Buffer;
    readonly baseUrl: string;
    readonly clock: Clock;
    /** Pages of other origins that show downloads (the review console's), as the bucket's CORS rule allows them. */
    readonly readOrigins?: readonly string[];
  }) {
    this.#directory = options.directory;
    this.#key = options.key;
    this.#baseUrl = options.baseUrl;
    this.#clock = options.clock;
    this.#readOrigins = options.readOrigins ?? [];
  }

  /** The store in `directory`, signing with the key kept there (made on first use, readable by its owner only). */
  static async open(options: {
    readonly directory: string;
    readonly baseUrl: string;
    readonly clock: Clock;
    readonly readOrigins?: readonly string[];
  }): Promise<LocalMediaStore> {
    const keyPath = join(options.directory, 'signing-key');
    await mkdir(join(options.directory, 'objects'), { recursive: true });
    await mkdir(join(options.directory, 'used-uploads'), { recursive: true });
    let key: Buffer;
    try {
      key = Buffer.from((await readFile(keyPath, 'utf8')).trim(), 'base64url');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      key = randomBytes(32);
      await writeFile(keyPath, key.toString('base64url'), { mode: 0o600 });
    }
    return new LocalMediaStore({ ...options, key });
  }

  async createUpload(request: UploadRequest): Promise<MediaUpload> {
    const expiresAt = epochSeconds(this.#clock()) + request.expiresInSeconds;
    const policy: LocalPolicy = {
      uploadId: randomUUID(),
      key: request.key,
      contentType: request.contentType,
      maxBytes: request.maxBytes,
      expiresAt,
      ...(request.successRedirect ? { successRedirect: request.successRedirect } : {}),
    };
    const encoded = Buffer.from(JSON.stringify(policy)).toString('base64url');
    return {
      url: `${this.#baseUrl}${localMediaPath}`,
      fields: {
        key: request.key,
        'Content-Type': request.contentType,
        ...(request.successRedirect ? { success_action_redirect: request.successRedirect } : {}),
        policy: encoded,
        signature: this.#sign(encoded),
      },
      key: request.key,
      contentType: request.contentType,
      maxBytes: request.maxBytes,
      expiresAt,
    };
  }

  async describe(key: string): Promise<StoredMedia | undefined> {
    const meta = await this.#meta(key);
    if (!meta) return undefined;
    const bytes = await readFile(this.#objectPath(key));
    return {
      size: bytes.length,
      contentType: meta.contentType,
      etag: meta.etag,
      leadingBytes: new Uint8Array(bytes.subarray(0, 16)),
    };
  }

  async read(key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    if (!(await this.#meta(key))) return undefined;
    const bytes = await readFile(this.#objectPath(key));
    return bytes.length > maxBytes ? undefined : new Uint8Array(bytes);
  }

  async downloadUrl(key: string, options: DownloadOptions): Promise<string> {
    const query = new URLSearchParams({
      key,
      type: options.contentType,
      expires: String(epochSeconds(this.#clock()) + options.expiresInSeconds),
    });
    query.set('signature', this.#sign(query.toString()));
    return `${this.#baseUrl}${downloadPath}?${query.toString()}`;
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      await rm(this.#objectPath(key), { force: true });
      await rm(`${this.#objectPath(key)}.json`, { force: true });
    }
  }

  async keep(key: string, etag: string): Promise<string> {
    const meta = await this.#meta(key);
    if (meta?.etag !== etag) throw new MediaChangedError('The upload changed since it was checked.');
    const target = reviewedKey(key);
    await copyFile(this.#objectPath(key), this.#objectPath(target));
    await writeFile(`${this.#objectPath(target)}.json`, JSON.stringify(meta), { mode: 0o600 });
    return target;
  }

  async deleteUnder(prefix: string): Promise<void> {
    const names = await readdir(join(this.#directory, 'objects'));
    const keys = names
      .filter((name) => !name.includes('.'))
      .map((name) => Buffer.from(name, 'base64url').toString('utf8'))
      .filter((key) => key.startsWith(prefix));
    await this.delete(keys);
  }

  /** Takes the upload and download requests of the dev server; false for any other request. */
  handle(request: IncomingMessage, response: ServerResponse): boolean {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname === localMediaPath && request.method === 'POST') {
      this.#upload(request)
        .then((redirect) => {
          if (redirect) {
            response.writeHead(303, { location: redirect, 'cache-control': 'no-store' });
            response.end();
          } else {
            response.writeHead(204, { 'cache-control': 'no-store' });
            response.end();
          }
        })
        .catch((error: unknown) => {
          if (error instanceof UploadRefused) return s3Error(response, error);
          s3Error(response, new UploadRefused(500, 'InternalError', 'We encountered an internal error.'));
        });
      return true;
    }
    if (url.pathname === downloadPath && request.method === 'GET') {
      request.resume();
      this.#download(url.searchParams, request, response).catch(() =>
        s3Error(response, new UploadRefused(500, 'InternalError', 'We encountered an internal error.')),
      );
      return true;
    }
    return false;
  }

  async #upload(request: IncomingMessage): Promise<string | undefined> {
    const contentType = request.headers['content-type'] ?? '';
    if (!contentType.startsWith('multipart/form-data')) {
      request.resume();
      throw new UploadRefused(
        412,
        'PreconditionFailed',
        'Bucket POST must be of the enclosure-type multipart/form-data',
      );
    }
    const body = await readLimited(request, largestUploadBytes);
    let form: FormData;
    try {
      form = await new Request('http://local/', {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      }).formData();
    } catch {
      throw new UploadRefused(
        400,
        'MalformedPOSTRequest',
        'The body of your POST request is not well-formed multipart/form-data.',
      );
    }
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === 'string' ? value : undefined;
    };
    const encoded = text('policy');
    const signature = text('signature');
    if (!encoded || !signature || !this.#verify(encoded, signature))
      throw new UploadRefused(
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy signature does not match',
      );
    const policy = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')) as LocalPolicy;
    if (epochSeconds(this.#clock()) >= policy.expiresAt)
      throw new UploadRefused(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
    if (text('key') !== policy.key)
      throw new UploadRefused(
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed: ["eq", "$key"]',
      );
    if (text('Content-Type') !== policy.contentType)
      throw new UploadRefused(
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed: ["eq", "$Content-Type"]',
      );
    if (text('success_action_redirect') !== policy.successRedirect)
      throw new UploadRefused(
        403,
        'AccessDenied',
        'Invalid according to Policy: Policy Condition failed: ["eq", "$success_action_redirect"]',
      );
    // As S3: every field must be one the policy covers, and exactly one file, the last part.
    const entries = [...form.entries()];
    const known = new Set(['key', 'Content-Type', 'success_action_redirect', 'policy', 'signature', 'file']);
    if (entries.some(([name]) => !known.has(name)))
      throw new UploadRefused(403, 'AccessDenied', 'Invalid according to Policy: Extra input fields');
    const files = entries.filter(([, value]) => value instanceof Blob);
    const file = form.get('file');
    if (files.length !== 1 || !(file instanceof Blob) || entries.at(-1)?.[0] !== 'file')
      throw new UploadRefused(400, 'InvalidArgument', 'POST requires exactly one file upload per request.');
    if (file.size > policy.maxBytes)
      throw new UploadRefused(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
    if (file.size < 1)
      throw new UploadRefused(
        400,
        'EntityTooSmall',
        'Your proposed upload is smaller than the minimum allowed size',
      );
    const bytes = Buffer.from(await file.arrayBuffer());
    const meta: ObjectMeta = {
      contentType: policy.contentType,
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
    };
    // The file is written aside first, so a failed write does not use up the form.
    const part = `${this.#objectPath(policy.key)}.${policy.uploadId}.part`;
    await writeFile(part, bytes, { mode: 0o600 });
    // Single use: the first upload of a form claims it; S3 would take a form until it expires.
    try {
      await writeFile(join(this.#directory, 'used-uploads', policy.uploadId), '', { flag: 'wx' });
    } catch (error) {
      await rm(part, { force: true });
      if ((error as NodeJS.ErrnoException).code === 'EEXIST')
        throw new UploadRefused(
          403,
          'AccessDenied',
          'Invalid according to Policy: the upload form was used already.',
        );
      throw error;
    }
    await writeFile(`${this.#objectPath(policy.key)}.json`, JSON.stringify(meta), { mode: 0o600 });
    await rename(part, this.#objectPath(policy.key));
    if (!policy.successRedirect) return undefined;
    const redirect = new URL(policy.successRedirect);
    redirect.searchParams.set('bucket', 'local');
    redirect.searchParams.set('key', policy.key);
    redirect.searchParams.set('etag', meta.etag);
    return redirect.toString();
  }

  async #download(query: URLSearchParams, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const signature = query.get('signature') ?? '';
    const signed = new URLSearchParams(query);
    signed.delete('signature');
    const key = query.get('key') ?? '';
    const expires = Number(query.get('expires'));
    if (!this.#verify(signed.toString(), signature) || !(epochSeconds(this.#clock()) < expires))
      return s3Error(
        response,
        new UploadRefused(403, 'AccessDenied', 'Request has expired or is not signed.'),
      );
    const meta = await this.#meta(key);
    if (!meta)
      return s3Error(response, new UploadRefused(404, 'NoSuchKey', 'The specified key does not exist.'));
    const bytes = await readFile(this.#objectPath(key));
    // S3 answers a CORS request from an origin its rule names; the console's pages load media in that mode.
    const origin = request.headers.origin;
    const cors =
      origin && this.#readOrigins.includes(origin)
        ? { 'access-control-allow-origin': origin, vary: 'Origin' }
        : { vary: 'Origin' };
    response.writeHead(200, {
      ...cors,
      'content-type': query.get('type') ?? 'application/octet-stream',
      'content-length': bytes.length,
      'content-disposition': 'inline',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      etag: meta.etag,
    });
    response.end(bytes);
  }

  async #meta(key: string): Promise<ObjectMeta | undefined> {
    try {
      return JSON.parse(await readFile(`${this.#objectPath(key)}.json`, 'utf8')) as ObjectMeta;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  #objectPath(key: string): string {
    return join(this.#directory, 'objects', Buffer.from(key).toString('base64url'));
  }

  #sign(value: string): string {
    return createHmac('sha256', this.#key).update(value).digest('base64url');
  }

  #verify(value: string, signature: string): boolean {
    const expected = Buffer.from(this.#sign(value));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

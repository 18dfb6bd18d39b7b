import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { LocalMediaStore } from '../../../../src/adapters/local/local-media-store.ts';
import { S3MediaStore } from '../../../../src/adapters/s3/s3-media-store.ts';
import {
  checkMediaPrefix,
  MediaChangedError,
  type MediaStore,
  type MediaUpload,
  mediaKey,
  mediaLimits,
} from '../../../../src/domain/identity/photo-id/media-store.ts';
import { type PostOutcome, type StoredObject, s3PostUpload } from '../../../support/s3-post-policy.ts';

/** A JPEG's first bytes, then filler: what the store keeps is checked byte for byte. */
const jpeg = (size: number) => {
  const bytes = Buffer.alloc(size, 0x41);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(bytes);
  return bytes;
};

interface Download {
  readonly status: number;
  readonly contentType?: string | null;
  readonly cacheControl?: string | null;
  readonly body?: Buffer;
}

/** One adapter, and how a browser would reach it: the same cases run against each. */
interface Harness {
  readonly store: MediaStore;
  /** Posts the form as a browser would: the upload's fields (with any changed), then the file. */
  post(upload: MediaUpload, file: Blob, changed?: Record<string, string>): Promise<PostOutcome>;
  download(url: string): Promise<Download>;
  /** Moves the clock the store and its endpoint see. */
  advance(seconds: number): void;
  close(): Promise<void>;
}

const formOf = (upload: MediaUpload, file: Blob, changed: Record<string, string> = {}) => {
  const form = new FormData();
  for (const [name, value] of Object.entries({ ...upload.fields, ...changed })) form.append(name, value);
  form.append('file', file);
  return form;
};

const localHarness = async (): Promise<Harness> => {
  const directory = await mkdtemp(join(tmpdir(), 'media-store-'));
  let offset = 0;
  const clock = () => new Date(Date.now() + offset * 1000);
  let store: LocalMediaStore | undefined;
  const server: Server = createServer((request, response) => {
    if (!store?.handle(request, response)) {
      response.writeHead(404);
      response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  store = await LocalMediaStore.open({ directory, baseUrl, clock });
  return {
    store,
    post: async (upload, file, changed) => {
      const response = await fetch(upload.url, {
        method: 'POST',
        body: formOf(upload, file, changed),
        redirect: 'manual',
      });
      const text = await response.text();
      return {
        status: response.status,
        code: /<Code>([^<]+)<\/Code>/.exec(text)?.[1],
        location: response.headers.get('location') ?? undefined,
      };
    },
    download: async (url) => {
      const response = await fetch(url);
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        cacheControl: response.headers.get('cache-control'),
        body: Buffer.from(await response.arrayBuffer()),
      };
    },
    advance: (seconds) => {
      offset += seconds;
    },
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
};

const BUCKET = 'patient-login-media';
const credentials = { accessKeyId: 'AKIDCONTRACTTEST', secretAccessKey: 'contract-test-secret' };

/**
 * The S3 adapter with S3's side played by `s3PostUpload` (the POST policy, as S3 checks it) and,
 * for the SDK calls, aws-sdk-client-mock answering from the same objects.
 */
const s3Harness = async (): Promise<Harness> => {
  const objects = new Map<string, StoredObject>();
  let offset = 0;
  const now = () => new Date(Date.now() + offset * 1000);
  const s3 = mockClient(S3Client);
  s3.on(HeadObjectCommand).callsFake(({ Key }) => {
    const object = objects.get(Key);
    if (!object) throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
    return { ContentLength: object.bytes.length, ContentType: object.contentType, ETag: object.etag };
  });
  s3.on(GetObjectCommand).callsFake(({ Key, Range }) => {
    const object = objects.get(Key);
    if (!object) throw new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } });
    const [, from, to] = /^bytes=(\d+)-(\d+)$/.exec(Range ?? '') ?? [];
    const bytes = Range ? object.bytes.subarray(Number(from), Number(to) + 1) : object.bytes;
    return { Body: { transformToByteArray: async () => new Uint8Array(bytes) } };
  });
  s3.on(CopyObjectCommand).callsFake(({ CopySource, CopySourceIfMatch, Key }) => {
    const source = decodeURIComponent(String(CopySource).replace(`${BUCKET}/`, ''));
    const object = objects.get(source);
    if (!object || object.etag !== CopySourceIfMatch)
      throw new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      });
    objects.set(Key, object);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(({ Prefix }) => ({
    Contents: [...objects.keys()].filter((key) => key.startsWith(Prefix ?? '')).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(DeleteObjectsCommand).callsFake(({ Delete }) => {
    for (const { Key } of Delete.Objects) objects.delete(Key);
    return { Errors: [] };
  });
  const client = new S3Client({ region: 'eu-west-2', credentials });
  return {
    store: new S3MediaStore({ bucket: BUCKET, client, clock: now }),
    post: (upload, file, changed) =>
      s3PostUpload({ bucket: BUCKET, credentials, now: now(), form: formOf(upload, file, changed), objects }),
    download: async (url) => {
      // What S3 checks of a presigned GET that matters here: its expiry; then it serves the bytes as asked.
      const parsed = new URL(url);
      const signedAt = parsed.searchParams.get('X-Amz-Date') ?? '';
      const signedMs = Date.parse(
        signedAt.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'),
      );
      const expires = Number(parsed.searchParams.get('X-Amz-Expires'));
      if (!parsed.searchParams.get('X-Amz-Signature') || now().getTime() > signedMs + expires * 1000)
        return { status: 403 };
      const object = objects.get(decodeURIComponent(parsed.pathname.replace(/^\//, '')));
      if (!object) return { status: 404 };
      return {
        status: 200,
        contentType: parsed.searchParams.get('response-content-type'),
        cacheControl: parsed.searchParams.get('response-cache-control'),
        body: object.bytes,
      };
    },
    advance: (seconds) => {
      offset += seconds;
    },
    close: async () => {
      s3.restore();
    },
  };
};

describe.each([
  { adapter: 'the local media store (the dev server’s upload endpoint)', harness: localHarness },
  { adapter: 'the S3 media store (S3’s POST policy check)', harness: s3Harness },
])('$adapter', ({ harness: makeHarness }) => {
  let harness: Harness;
  const open: Harness[] = [];
  beforeEach(async () => {
    harness = await makeHarness();
    open.push(harness);
  });
  afterAll(async () => {
    for (const each of open) await each.close();
  });

  const photoUpload = (overrides: { successRedirect?: string; key?: string } = {}) =>
    harness.store.createUpload({
      key: overrides.key ?? mediaKey('check-1', 1, 'photo'),
      contentType: 'image/jpeg',
      maxBytes: 1000,
      expiresInSeconds: 600,
      ...(overrides.successRedirect ? { successRedirect: overrides.successRedirect } : {}),
    });

  it('takes an upload within the limits and describes it: size, declared type, version, first bytes', async () => {
    // Prepare
    const upload = await photoUpload();

    // Act
    const outcome = await harness.post(upload, new Blob([jpeg(1000)], { type: 'image/jpeg' }));
    const stored = await harness.store.describe(upload.key);

    // Assess
    expect(outcome.status).toBe(204);
    expect(stored).toMatchObject({ size: 1000, contentType: 'image/jpeg' });
    expect(stored?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Buffer.from(stored?.leadingBytes ?? [])).toEqual(jpeg(1000).subarray(0, 16));
  });

  it('reads an object whole for the automated checks, and not one larger than asked for, nor one not there', async () => {
    // Prepare
    const upload = await photoUpload();
    await harness.post(upload, new Blob([jpeg(1000)], { type: 'image/jpeg' }));

    // Act
    const whole = await harness.store.read(upload.key, 1000);
    const tooLarge = await harness.store.read(upload.key, 999);
    const missing = await harness.store.read(mediaKey('check-1', 1, 'still'), 1000);

    // Assess
    expect(Buffer.from(whole ?? [])).toEqual(jpeg(1000));
    expect(tooLarge).toBeUndefined();
    expect(missing).toBeUndefined();
  });

  it('says nothing is stored under a key no upload used', async () => {
    // Act
    const stored = await harness.store.describe(mediaKey('check-1', 1, 'video'));

    // Assess
    expect(stored).toBeUndefined();
  });

  it('sends the browser back to the page named, with the key, after a form upload', async () => {
    // Prepare
    const upload = await photoUpload({
      successRedirect: 'https://patient-login.test/photo/uploaded?step=photo',
    });

    // Act
    const outcome = await harness.post(upload, new Blob([jpeg(10)]));

    // Assess
    expect(outcome.status).toBe(303);
    const location = new URL(outcome.location ?? '');
    expect(location.origin + location.pathname).toBe('https://patient-login.test/photo/uploaded');
    expect(location.searchParams.get('step')).toBe('photo');
    expect(location.searchParams.get('key')).toBe(upload.key);
  });

  it.each<{ refused: string; file: () => Buffer; changed: Record<string, string>; code: string }>([
    { refused: 'a file over the size limit', file: () => jpeg(1001), changed: {}, code: 'EntityTooLarge' },
    { refused: 'an empty file', file: () => Buffer.alloc(0), changed: {}, code: 'EntityTooSmall' },
    {
      refused: 'another content type than the form’s',
      file: () => jpeg(10),
      changed: { 'Content-Type': 'image/svg+xml' },
      code: 'AccessDenied',
    },
    {
      refused: 'another key than the form’s',
      file: () => jpeg(10),
      changed: { key: mediaKey('check-2', 1, 'photo') },
      code: 'AccessDenied',
    },
    {
      refused: 'another redirect than the form’s',
      file: () => jpeg(10),
      changed: { success_action_redirect: 'https://attacker.test/' },
      code: 'AccessDenied',
    },
  ])('refuses $refused and stores nothing', async ({ file, changed, code }) => {
    // Prepare
    const upload = await photoUpload();

    // Act
    const outcome = await harness.post(upload, new Blob([file()]), changed);

    // Assess
    expect(outcome.status).toBeGreaterThanOrEqual(400);
    expect(outcome.status).toBeLessThan(500);
    expect(outcome.code).toBe(code);
    expect(await harness.store.describe(upload.key)).toBeUndefined();
    expect(await harness.store.describe(mediaKey('check-2', 1, 'photo'))).toBeUndefined();
  });

  it('refuses a form used after it expired', async () => {
    // Prepare
    const upload = await photoUpload();
    harness.advance(601);

    // Act
    const outcome = await harness.post(upload, new Blob([jpeg(10)]));

    // Assess
    expect(outcome.status).toBe(403);
    expect(await harness.store.describe(upload.key)).toBeUndefined();
  });

  it('refuses a form whose signature does not match it', async () => {
    // Prepare
    const upload = await photoUpload();
    const signatureField = Object.keys(upload.fields).find((name) => /signature/i.test(name)) ?? 'signature';
    const signature = upload.fields[signatureField] ?? '';
    const forged = `${signature.slice(0, -2)}${signature.endsWith('aa') ? 'bb' : 'aa'}`;

    // Act
    const outcome = await harness.post(upload, new Blob([jpeg(10)]), { [signatureField]: forged });

    // Assess
    expect(outcome.status).toBe(403);
    expect(await harness.store.describe(upload.key)).toBeUndefined();
  });

  it('gives a short-lived download of the bytes, served as the type asked for and never cached', async () => {
    // Prepare
    const upload = await photoUpload();
    await harness.post(upload, new Blob([jpeg(100)]));

    // Act
    const url = await harness.store.downloadUrl(upload.key, {
      expiresInSeconds: 60,
      contentType: 'image/png',
    });
    const fresh = await harness.download(url);
    harness.advance(61);
    const late = await harness.download(url);

    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.contentType).toBe('image/png');
    expect(fresh.cacheControl).toBe('no-store');
    expect(fresh.body).toEqual(jpeg(100));
    expect(late.status).toBe(403);
  });

  it('deletes what it is given, and ignores keys with nothing stored', async () => {
    // Prepare
    const photo = await photoUpload();
    const other = await photoUpload({ key: mediaKey('check-1', 2, 'photo') });
    await harness.post(photo, new Blob([jpeg(10)]));
    await harness.post(other, new Blob([jpeg(10)]));

    // Act
    await harness.store.delete([photo.key, mediaKey('check-1', 1, 'video')]);

    // Assess
    expect(await harness.store.describe(photo.key)).toBeUndefined();
    expect(await harness.store.describe(other.key)).toMatchObject({ size: 10 });
  });

  it('keeps a copy of an upload at the version checked, which a later upload to the same key does not change', async () => {
    // Prepare
    const first = await photoUpload();
    await harness.post(first, new Blob([jpeg(10)]));
    const checked = await harness.store.describe(first.key);

    // Act
    const kept = await harness.store.keep(first.key, checked?.etag as string);
    const second = await photoUpload();
    await harness.post(second, new Blob([jpeg(20)]));
    const stale = await harness.store
      .keep(first.key, checked?.etag as string)
      .catch((error: unknown) => error);

    // Assess
    expect(kept).toBe(`${first.key}.reviewed`);
    expect(await harness.store.describe(kept)).toMatchObject({ size: 10, etag: checked?.etag });
    expect(await harness.store.describe(first.key)).toMatchObject({ size: 20 });
    expect(stale).toBeInstanceOf(MediaChangedError);
  });

  it('deletes everything under a check’s prefix, and nothing of another check', async () => {
    // Prepare
    const ours = await photoUpload();
    const theirs = await photoUpload({ key: mediaKey('check-2', 1, 'photo') });
    await harness.post(ours, new Blob([jpeg(10)]));
    await harness.post(theirs, new Blob([jpeg(10)]));
    await harness.store.keep(ours.key, (await harness.store.describe(ours.key))?.etag as string);

    // Act
    await harness.store.deleteUnder(checkMediaPrefix('check-1'));

    // Assess
    expect(await harness.store.describe(ours.key)).toBeUndefined();
    expect(await harness.store.describe(`${ours.key}.reviewed`)).toBeUndefined();
    expect(await harness.store.describe(theirs.key)).toMatchObject({ size: 10 });
  });

  it('states the limits it was asked for in the upload', async () => {
    // Act
    const upload = await harness.store.createUpload({
      key: mediaKey('check-1', 1, 'video'),
      contentType: mediaLimits.video.contentTypes[0],
      maxBytes: mediaLimits.video.maxBytes,
      expiresInSeconds: 900,
    });

    // Assess
    expect(upload).toMatchObject({
      key: 'checks/check-1/1/video',
      contentType: 'video/webm',
      maxBytes: mediaLimits.video.maxBytes,
    });
    expect(upload.fields['Content-Type']).toBe('video/webm');
    expect(upload.fields.key).toBe('checks/check-1/1/video');
    expect(upload.expiresAt - Math.floor(Date.now() / 1000)).toBeGreaterThan(890);
  });
});

describe('the local media store, beyond S3', () => {
  it('takes each upload form once: a second post of the same form is refused and the first file kept', async () => {
    // Prepare
    const harness = await localHarness();
    const upload = await harness.store.createUpload({
      key: mediaKey('check-1', 1, 'photo'),
      contentType: 'image/jpeg',
      maxBytes: 1000,
      expiresInSeconds: 600,
    });
    await harness.post(upload, new Blob([jpeg(10)]));

    // Act
    const second = await harness.post(upload, new Blob([jpeg(20)]));

    // Assess
    expect(second).toMatchObject({ status: 403, code: 'AccessDenied' });
    expect(await harness.store.describe(upload.key)).toMatchObject({ size: 10 });
    await harness.close();
  });

  it('refuses what S3 refuses: a field the policy does not cover, two files, a field after the file', async () => {
    // Prepare
    const harness = await localHarness();
    const upload = await harness.store.createUpload({
      key: mediaKey('check-1', 1, 'photo'),
      contentType: 'image/jpeg',
      maxBytes: 1000,
      expiresInSeconds: 600,
    });
    const post = (form: FormData) =>
      fetch(upload.url, { method: 'POST', body: form }).then(async (response) => ({
        status: response.status,
        code: /<Code>([^<]+)<\/Code>/.exec(await response.text())?.[1],
      }));
    const base = () => {
      const form = new FormData();
      for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
      return form;
    };

    // Act
    const extra = base();
    extra.append('x-amz-meta-note', 'uncovered');
    extra.append('file', new Blob([jpeg(10)]));
    const twoFiles = base();
    twoFiles.append('file', new Blob([jpeg(10)]));
    twoFiles.append('other', new Blob([jpeg(10)]));
    const fieldAfter = base();
    fieldAfter.append('file', new Blob([jpeg(10)]));
    fieldAfter.append('key', upload.key);
    const outcomes = [await post(extra), await post(twoFiles), await post(fieldAfter)];

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual([403, 403, 400]);
    expect(await harness.store.describe(upload.key)).toBeUndefined();
    // The form was not used up by the refusals
    expect(await harness.post(upload, new Blob([jpeg(10)]))).toMatchObject({ status: 204 });
    await harness.close();
  });
});

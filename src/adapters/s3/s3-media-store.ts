import {
  CopyObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type Clock, systemClock } from '../../domain/clock.ts';
import {
  type DownloadOptions,
  MediaChangedError,
  type MediaStore,
  MediaStoreUnavailableError,
  type MediaUpload,
  reviewedKey,
  type StoredMedia,
  type UploadRequest,
} from '../../domain/identity/photo-id/media-store.ts';

const leadingByteCount = 16;

const unavailable = (action: string, error: unknown) =>
  new MediaStoreUnavailableError('The media store could not be reached.', {
    logDetail: `${action}: ${(error as Error).name}`,
    cause: error,
  });

/** The origin the browser uploads to: the bucket's virtual-hosted address, as presigned POSTs name it. */
export const s3MediaOrigin = (bucket: string, region: string): string =>
  `https://${bucket}.s3.${region}.amazonaws.com`;

/**
 * The media store on a private S3 bucket (KMS-encrypted by the bucket's default, TLS only): the
 * browser uploads with a presigned POST whose policy states the key, the content type, the size
 * range and the expiry, so S3 itself refuses anything else; downloads are presigned GETs that
 * name the type to serve the bytes as, and are never cached.
 */
export class S3MediaStore implements MediaStore {
  readonly #client: S3Client;
  readonly #bucket: string;

  readonly #clock: Clock;

  constructor(options: { readonly bucket: string; readonly client?: S3Client; readonly clock?: Clock }) {
    this.#client = options.client ?? new S3Client({});
    this.#bucket = options.bucket;
    this.#clock = options.clock ?? systemClock;
  }

  async createUpload(request: UploadRequest): Promise<MediaUpload> {
    const redirect: Record<string, string> = request.successRedirect
      ? { success_action_redirect: request.successRedirect }
      : {};
    const fields: Record<string, string> = { 'Content-Type': request.contentType, ...redirect };
    try {
      const post = await createPresignedPost(this.#client, {
        Bucket: this.#bucket,
        Key: request.key,
        Fields: fields,
        Conditions: [
          { bucket: this.#bucket },
          ['eq', '$key', request.key],
          ['eq', '$Content-Type', request.contentType],
          ['content-length-range', 1, request.maxBytes],
          ...Object.entries(redirect).map(([name, value]): ['eq', string, string] => [
            'eq',
            `$${name}`,
            value,
          ]),
        ],
        Expires: request.expiresInSeconds,
      });
      return {
        url: post.url,
        fields: post.fields,
        key: request.key,
        contentType: request.contentType,
        maxBytes: request.maxBytes,
        expiresAt: Math.floor(this.#clock().getTime() / 1000) + request.expiresInSeconds,
      };
    } catch (error) {
      throw unavailable('createPresignedPost', error);
    }
  }

  async describe(key: string): Promise<StoredMedia | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      const etag = head.ETag ?? '';
      const object = await this.#client.send(
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          Range: `bytes=0-${leadingByteCount - 1}`,
          IfMatch: etag || undefined,
        }),
      );
      const leadingBytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
      return {
        size: head.ContentLength ?? 0,
        contentType: head.ContentType ?? '',
        etag,
        leadingBytes: leadingBytes.subarray(0, leadingByteCount),
      };
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw unavailable('describe', error);
    }
  }

  async read(key: string, maxBytes: number): Promise<Uint8Array | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      if ((head.ContentLength ?? 0) > maxBytes) return undefined;
      const object = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#bucket, Key: key, IfMatch: head.ETag || undefined }),
      );
      return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
      throw unavailable('read', error);
    }
  }

  async downloadUrl(key: string, options: DownloadOptions): Promise<string> {
    try {
      return await getSignedUrl(
        this.#client,
        new GetObjectCommand({
          Bucket: this.#bucket,
          Key: key,
          ResponseContentType: options.contentType,
          ResponseContentDisposition: 'inline',
          ResponseCacheControl: 'no-store',
        }),
        { expiresIn: options.expiresInSeconds },
      );
    } catch (error) {
      throw unavailable('downloadUrl', error);
    }
  }

  async keep(key: string, etag: string): Promise<string> {
    const target = reviewedKey(key);
    try {
      await this.#client.send(
        new CopyObjectCommand({
          Bucket: this.#bucket,
          Key: target,
          CopySource: `${this.#bucket}/${key.split('/').map(encodeURIComponent).join('/')}`,
          CopySourceIfMatch: etag,
          MetadataDirective: 'COPY',
        }),
      );
      return target;
    } catch (error) {
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 412)
        throw new MediaChangedError('The upload changed since it was checked.', {
          logDetail: 'keep',
          cause: error,
        });
      throw unavailable('keep', error);
    }
  }

  async deleteUnder(prefix: string): Promise<void> {
    let token: string | undefined;
    do {
      let page: { Contents?: { Key?: string }[]; NextContinuationToken?: string; IsTruncated?: boolean };
      try {
        page = await this.#client.send(
          new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ContinuationToken: token }),
        );
      } catch (error) {
        throw unavailable('deleteUnder', error);
      }
      const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
      if (keys.length > 0) await this.delete(keys);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async delete(keys: readonly string[]): Promise<void> {
    // DeleteObjects takes at most 1,000 keys; a check has a handful.
    for (let start = 0; start < keys.length; start += 1000) {
      const batch = keys.slice(start, start + 1000);
      try {
        const result = await this.#client.send(
          new DeleteObjectsCommand({
            Bucket: this.#bucket,
            Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
          }),
        );
        const failed = (result.Errors ?? []).filter((failure) => failure.Code !== 'NoSuchKey');
        if (failed.length > 0)
          throw new MediaStoreUnavailableError('Some media could not be deleted.', {
            logDetail: `delete: ${failed.length} failed (${failed[0]?.Code})`,
          });
      } catch (error) {
        if (error instanceof MediaStoreUnavailableError) throw error;
        throw unavailable('delete', error);
      }
    }
  }
}

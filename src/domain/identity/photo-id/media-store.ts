import { DomainError } from '../../errors.ts';

/**
 * What a photo-ID check is made of: the photo of the ID, the video of the patient, and a still of
 * the patient's face the page takes from the recording (for the face comparison: no frame can be
 * taken from a video on the server without a video decoder, which Lambda does not have).
 */
export type MediaKind = 'photo' | 'video' | 'still';

/** What an upload of one kind may be: the store's policy states these, and refuses anything else. */
export interface MediaLimits {
  /** The content types the browser may declare; the first is the one a form without JavaScript declares. */
  readonly contentTypes: readonly [string, ...string[]];
  readonly maxBytes: number;
}

const megabytes = (count: number) => count * 1024 * 1024;

/**
 * A phone camera's photo is 2 to 6 MB; a 15-second video from MediaRecorder 2 to 10 MB (docs/limits.md).
 * The types are what cameras and MediaRecorder produce; the workflow checks the bytes as well.
 */
export const mediaLimits: Readonly<Record<MediaKind, MediaLimits>> = {
  photo: { contentTypes: ['image/jpeg', 'image/png'], maxBytes: megabytes(15) },
  video: { contentTypes: ['video/webm', 'video/mp4'], maxBytes: megabytes(50) },
  // A JPEG of one frame at the camera's resolution: well under a megabyte.
  still: { contentTypes: ['image/jpeg'], maxBytes: megabytes(5) },
};

/** How long an upload form works: long enough to take a photo and send it on a slow connection. */
export const uploadLifetimeSeconds = 15 * 60;

export interface UploadRequest {
  /** The object's key: one per submission and kind (see `mediaKey`). */
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  readonly expiresInSeconds: number;
  /**
   * Where the store sends the browser after a form upload (a page of ours), with `key` (and the
   * store's own `bucket` and `etag`) added to its query. Without it, a successful upload is a 204.
   */
  readonly successRedirect?: string;
}

/** A form the browser posts straight to the store: the fields first, then the file as `file`. */
export interface MediaUpload {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly key: string;
  readonly contentType: string;
  readonly maxBytes: number;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

/** What the store holds under a key: enough to check an upload without reading it all. */
export interface StoredMedia {
  readonly size: number;
  readonly contentType: string;
  /**
   * Names this version of the object: the workflow records it when it checks an upload, so a file
   * replaced afterwards (an upload form works until it expires) is seen to differ.
   */
  readonly etag: string;
  /** The first bytes (up to 16), to tell the real type from the declared one. */
  readonly leadingBytes: Uint8Array;
}

export interface DownloadOptions {
  readonly expiresInSeconds: number;
  readonly contentType: string;
}

/**
 * Where the photos and videos of photo-ID checks are kept: uploaded by the browser straight to
 * the store, under limits the store itself enforces (S3's POST policy in AWS; the dev server's
 * upload endpoint locally), read by the workflow and the review console through short-lived
 * downloads, and deleted once a decision is made.
 */
export interface MediaStore {
  /** A signed form for one upload, within the limits asked for. */
  createUpload(request: UploadRequest): Promise<MediaUpload>;
  /** What is stored under the key, or undefined when nothing is. */
  describe(key: string): Promise<StoredMedia | undefined>;
  /**
   * The object's bytes, for the automated checks (which take images by value): undefined when
   * nothing is stored, or when it is larger than `maxBytes` (it is then not read at all).
   */
  read(key: string, maxBytes: number): Promise<Uint8Array | undefined>;
  /**
   * A URL that reads the object for a short while, served as `contentType` (the type its bytes
   * showed, never the declared one) and never cached.
   */
  downloadUrl(key: string, options: DownloadOptions): Promise<string>;
  /**
   * Copies the object, as it is at version `etag`, to its reviewed key (`reviewedKey`), which no
   * upload form can write: what the workflow checked is what the reviewer sees, even if the
   * patient's form (which works until it expires) replaces the upload later. MediaChangedError
   * when the object is no longer at that version (the step reads it again).
   */
  keep(key: string, etag: string): Promise<string>;
  /** Deletes the objects; keys with nothing stored are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** Deletes every object whose key starts with the prefix (a check's media, when its account is gone). */
  deleteUnder(prefix: string): Promise<void>;
}

/** The object changed since it was described: describe it again. */
export class MediaChangedError extends DomainError {
  readonly code = 'media_changed';
  readonly status = 409;
}

/** Where a checked upload is kept for review: beside it, under a key no upload form names. */
export const reviewedKey = (key: string): string => `${key}.reviewed`;

/** The store cannot be reached, or refused a call: safe to retry later. */
export class MediaStoreUnavailableError extends DomainError {
  readonly code = 'media_store_unavailable';
  readonly status = 503;
}

const SAFE_PART = /^[A-Za-z0-9-]{1,64}$/;

/** The prefix of every object of a check: its media, of every attempt. */
export const checkMediaPrefix = (checkId: string): string => {
  if (!SAFE_PART.test(checkId)) throw new Error('A check id is letters, digits and hyphens');
  return `checks/${checkId}/`;
};

/**
 * The key of one kind of media of one submission of a check: `checks/<checkId>/<attempt>/<kind>`,
 * so a resubmission never overwrites what a decision was made on, and a check's media share a
 * prefix. A video's key also names its challenge (`video-<challengeId>`): a video uploaded for
 * one set of numbers cannot be recorded against another.
 */
export const mediaKey = (checkId: string, attempt: number, kind: MediaKind, variant?: string): string => {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error('An attempt is a whole number from 1');
  if (variant !== undefined && !SAFE_PART.test(variant))
    throw new Error('A variant is letters, digits and hyphens');
  return `${checkMediaPrefix(checkId)}${attempt}/${kind}${variant === undefined ? '' : `-${variant}`}`;
};

/** The type the bytes show, for the types media may be; undefined for anything else. */
export const sniffMediaType = (bytes: Uint8Array): string | undefined => {
  const starts = (...values: number[]) => values.every((value, index) => bytes[index] === value);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  // Matroska/WebM: the EBML header.
  if (starts(0x1a, 0x45, 0xdf, 0xa3)) return 'video/webm';
  // ISO base media (MP4): a box whose type, at byte 4, is `ftyp`.
  if (bytes[4] === 0x66 && bytes[5] === 0x74 && bytes[6] === 0x79 && bytes[7] === 0x70) return 'video/mp4';
  return undefined;
};

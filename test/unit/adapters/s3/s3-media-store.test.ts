import { DeleteObjectsCommand, HeadObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3MediaStore } from '../../../../src/adapters/s3/s3-media-store.ts';
import { MediaStoreUnavailableError } from '../../../../src/domain/identity/photo-id/media-store.ts';

const client = () =>
  new S3Client({ region: 'eu-west-2', credentials: { accessKeyId: 'AKIDUNIT', secretAccessKey: 'secret' } });
const s3 = mockClient(S3Client);
afterEach(() => s3.reset());

const fixedNow = new Date('2026-12-02T10:00:00Z');

describe('the S3 media store', () => {
  it('signs a POST policy that states the bucket, the key, the type, the size range and the redirect', async () => {
    // Prepare
    const store = new S3MediaStore({ bucket: 'media-bucket', client: client(), clock: () => fixedNow });

    // Act
    const upload = await store.createUpload({
      key: 'checks/c1/1/photo',
      contentType: 'image/jpeg',
      maxBytes: 15_728_640,
      expiresInSeconds: 900,
      successRedirect: 'https://login.example/prove-who-you-are/photo-id/photo/uploaded',
    });

    // Assess
    expect(upload.url).toBe('https://media-bucket.s3.eu-west-2.amazonaws.com/');
    expect(upload.fields).toMatchObject({
      key: 'checks/c1/1/photo',
      'Content-Type': 'image/jpeg',
      success_action_redirect: 'https://login.example/prove-who-you-are/photo-id/photo/uploaded',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    });
    const policy = JSON.parse(Buffer.from(upload.fields.Policy ?? '', 'base64').toString('utf8'));
    expect(policy.conditions).toEqual(
      expect.arrayContaining([
        { bucket: 'media-bucket' },
        ['eq', '$key', 'checks/c1/1/photo'],
        ['eq', '$Content-Type', 'image/jpeg'],
        ['content-length-range', 1, 15_728_640],
        ['eq', '$success_action_redirect', 'https://login.example/prove-who-you-are/photo-id/photo/uploaded'],
      ]),
    );
    const expiresIn = Date.parse(policy.expiration) - Date.now();
    expect(expiresIn).toBeGreaterThan(890_000);
    expect(expiresIn).toBeLessThanOrEqual(900_000);
    expect(upload.expiresAt).toBe(Math.floor(fixedNow.getTime() / 1000) + 900);
  });

  it('presigns downloads that name the type to serve, inline and never cached, for the time asked', async () => {
    // Prepare
    const store = new S3MediaStore({ bucket: 'media-bucket', client: client() });

    // Act
    const url = new URL(
      await store.downloadUrl('checks/c1/1/photo', { expiresInSeconds: 120, contentType: 'image/png' }),
    );

    // Assess
    expect(url.host).toBe('media-bucket.s3.eu-west-2.amazonaws.com');
    expect(url.pathname).toBe('/checks/c1/1/photo');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('120');
    expect(url.searchParams.get('response-content-type')).toBe('image/png');
    expect(url.searchParams.get('response-cache-control')).toBe('no-store');
    expect(url.searchParams.get('response-content-disposition')).toBe('inline');
  });

  it('says the store is unavailable, never that nothing is stored, when S3 fails', async () => {
    // Prepare
    s3.on(HeadObjectCommand).rejects(
      new S3ServiceException({ name: 'SlowDown', $fault: 'server', $metadata: { httpStatusCode: 503 } }),
    );
    const store = new S3MediaStore({ bucket: 'media-bucket', client: client() });

    // Act
    const described = store.describe('checks/c1/1/photo');

    // Assess
    await expect(described).rejects.toBeInstanceOf(MediaStoreUnavailableError);
  });

  it('deletes in one request and fails when S3 could not delete a key', async () => {
    // Prepare
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'checks/c1/1/video', Code: 'AccessDenied' }] });
    const store = new S3MediaStore({ bucket: 'media-bucket', client: client() });

    // Act
    const deleted = store.delete(['checks/c1/1/photo', 'checks/c1/1/video']);

    // Assess
    await expect(deleted).rejects.toBeInstanceOf(MediaStoreUnavailableError);
    expect(s3.commandCalls(DeleteObjectsCommand)[0]?.args[0].input).toMatchObject({
      Bucket: 'media-bucket',
      Delete: { Objects: [{ Key: 'checks/c1/1/photo' }, { Key: 'checks/c1/1/video' }], Quiet: true },
    });
  });
});

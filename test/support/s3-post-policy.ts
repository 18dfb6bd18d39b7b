import { createHash, createHmac } from 'node:crypto';

/**
 * What S3 does with a browser's POST upload, for the media store's contract test (no local S3
 * server checks POST policies): the SigV4 signature of the policy, its expiry, every condition
 * (exact values, prefixes, the size range) and S3's rule that every form field has a condition.
 * It is written from the S3 documentation ("Creating a POST policy", "Calculating a signature
 * for POST policy"), not from the presigner's code, so it checks the policy the adapter asks for.
 */
export interface StoredObject {
  readonly bytes: Buffer;
  readonly contentType: string;
  readonly etag: string;
}

export interface PostOutcome {
  readonly status: number;
  readonly code?: string;
  readonly location?: string;
}

const hmac = (key: Buffer | string, value: string) => createHmac('sha256', key).update(value).digest();

const signingKey = (secret: string, date: string, region: string) =>
  hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), 's3'), 'aws4_request');

type Condition = Record<string, string> | readonly [string, string | number, string | number];

/** Form fields S3 does not require a condition for. */
const exempt = (name: string) =>
  ['policy', 'x-amz-signature', 'file'].includes(name) || name.startsWith('x-ignore-');

export const s3PostUpload = async (options: {
  readonly bucket: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly now: Date;
  readonly form: FormData;
  readonly objects: Map<string, StoredObject>;
}): Promise<PostOutcome> => {
  const fields = new Map<string, string>();
  let file: Blob | undefined;
  for (const [name, value] of options.form.entries()) {
    if (name === 'file' && value instanceof Blob) file = value;
    else if (typeof value === 'string') fields.set(name.toLowerCase(), value);
  }
  const refuse = (status: number, code: string): PostOutcome => ({ status, code });
  const encoded = fields.get('policy');
  const credential = fields.get('x-amz-credential')?.split('/') ?? [];
  const [accessKeyId, date, region, service, terminator] = credential;
  if (
    !encoded ||
    accessKeyId !== options.credentials.accessKeyId ||
    service !== 's3' ||
    terminator !== 'aws4_request'
  )
    return refuse(403, 'AccessDenied');
  const expected = createHmac(
    'sha256',
    signingKey(options.credentials.secretAccessKey, date ?? '', region ?? ''),
  )
    .update(encoded)
    .digest('hex');
  if (fields.get('x-amz-signature') !== expected) return refuse(403, 'SignatureDoesNotMatch');
  const policy = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as {
    expiration: string;
    conditions: Condition[];
  };
  if (options.now.getTime() >= Date.parse(policy.expiration)) return refuse(403, 'AccessDenied');
  if (!file) return refuse(400, 'InvalidArgument');
  const fieldValue = (name: string) => (name === 'bucket' ? options.bucket : fields.get(name));
  const covered = new Set<string>();
  for (const condition of policy.conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, value] of Object.entries(condition)) {
        covered.add(name.toLowerCase());
        if (fieldValue(name.toLowerCase()) !== value) return refuse(403, 'AccessDenied');
      }
      continue;
    }
    const [operator, first, second] = condition as readonly [string, string | number, string | number];
    if (operator === 'content-length-range') {
      if (file.size < Number(first)) return refuse(400, 'EntityTooSmall');
      if (file.size > Number(second)) return refuse(400, 'EntityTooLarge');
      continue;
    }
    const name = String(first).replace(/^\$/, '').toLowerCase();
    covered.add(name);
    const value = fieldValue(name) ?? '';
    if (operator === 'eq' && value !== second) return refuse(403, 'AccessDenied');
    if (operator === 'starts-with' && !value.startsWith(String(second))) return refuse(403, 'AccessDenied');
  }
  for (const name of fields.keys())
    if (!exempt(name) && !covered.has(name)) return refuse(403, 'AccessDenied');
  const bytes = Buffer.from(await file.arrayBuffer());
  const key = fields.get('key') ?? '';
  const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
  options.objects.set(key, { bytes, contentType: fields.get('content-type') ?? 'binary/octet-stream', etag });
  const redirect = fields.get('success_action_redirect');
  if (!redirect) return { status: 204 };
  const location = new URL(redirect);
  location.searchParams.set('bucket', options.bucket);
  location.searchParams.set('key', key);
  location.searchParams.set('etag', etag);
  return { status: 303, location: location.toString() };
};

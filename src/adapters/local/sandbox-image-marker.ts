/**
 * What the local sandboxes of the automated checks read from an image instead of looking at it:
 * a JSON marker in a JPEG comment (COM) or a PNG text chunk (tEXt) named `patient-login-sandbox`.
 * Test fixtures (and docs/sandpit.md's sandbox ID photos) carry one; an image without one has no
 * face and no text, as far as the sandboxes can tell. Deterministic from the fixtures, so tests
 * can assert every result.
 */
export interface SandboxMarker {
  /** Who the face is: two images with the same face compare as the same person. */
  readonly face?: string;
  /** 0 to 100; 99.9 unless given. */
  readonly faceConfidence?: number;
  /** The similarity a still reports against a photo of the same face; 98.6 unless given. */
  readonly similarity?: number;
  /** The lines of text on the ID, top to bottom (a passport's zone is its last two). */
  readonly text?: readonly string[];
  /** 0 to 100, for every line; 99.1 unless given. */
  readonly textConfidence?: number;
  /** The service is down for this image: the check says it could not run. */
  readonly unavailable?: boolean;
}

export const SANDBOX_MARKER_KEYWORD = 'patient-login-sandbox';

const parse = (text: string): SandboxMarker | undefined => {
  if (!text.startsWith(`${SANDBOX_MARKER_KEYWORD}:`)) return undefined;
  try {
    const value = JSON.parse(text.slice(SANDBOX_MARKER_KEYWORD.length + 1)) as unknown;
    return typeof value === 'object' && value !== null ? (value as SandboxMarker) : undefined;
  } catch {
    return undefined;
  }
};

/** The JPEG's comment segments, up to the start of the scan (the image data). */
const jpegComments = (bytes: Uint8Array): string[] => {
  const comments: string[] = [];
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const type = bytes[at + 1] as number;
    if (type === 0xda || type === 0xd9) break;
    const length = ((bytes[at + 2] as number) << 8) | (bytes[at + 3] as number);
    if (type === 0xfe) comments.push(Buffer.from(bytes.subarray(at + 4, at + 2 + length)).toString('utf8'));
    at += 2 + length;
  }
  return comments;
};

/** The PNG's tEXt chunks with our keyword. */
const pngTexts = (bytes: Uint8Array): string[] => {
  const texts: string[] = [];
  const view = Buffer.from(bytes);
  let at = 8;
  while (at + 12 <= view.length) {
    const length = view.readUInt32BE(at);
    const type = view.toString('latin1', at + 4, at + 8);
    if (type === 'tEXt') {
      const data = view.subarray(at + 8, at + 8 + length);
      const separator = data.indexOf(0);
      if (separator > 0)
        texts.push(`${data.toString('latin1', 0, separator)}:${data.toString('utf8', separator + 1)}`);
    }
    if (type === 'IEND') break;
    at += 12 + length;
  }
  return texts;
};

/** The marker in the image, if it has one. */
export const readSandboxMarker = (bytes: Uint8Array): SandboxMarker | undefined => {
  const isJpeg = bytes[0] === 0xff && bytes[1] === 0xd8;
  const isPng = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const texts = isJpeg ? jpegComments(bytes) : isPng ? pngTexts(bytes) : [];
  for (const text of texts) {
    const marker = parse(text);
    if (marker) return marker;
  }
  return undefined;
};

/** A JPEG with the marker put in as a comment right after its start (for fixtures and the sandpit). */
export const withSandboxMarker = (jpeg: Uint8Array, marker: SandboxMarker): Buffer => {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('Not a JPEG');
  const comment = Buffer.from(`${SANDBOX_MARKER_KEYWORD}:${JSON.stringify(marker)}`, 'utf8');
  if (comment.length > 65533) throw new Error('The marker is too long for a JPEG comment');
  const header = Buffer.from([0xff, 0xfe, (comment.length + 2) >> 8, (comment.length + 2) & 0xff]);
  return Buffer.concat([Buffer.from(jpeg.subarray(0, 2)), header, comment, Buffer.from(jpeg.subarray(2))]);
};

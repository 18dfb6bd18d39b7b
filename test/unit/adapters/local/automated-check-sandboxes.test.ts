import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SandboxDocumentText } from '../../../../src/adapters/local/sandbox-document-text.ts';
import { SandboxFaceComparison } from '../../../../src/adapters/local/sandbox-face-comparison.ts';
import { readSandboxMarker, withSandboxMarker } from '../../../../src/adapters/local/sandbox-image-marker.ts';
import { AutomatedCheckUnavailableError } from '../../../../src/domain/identity/photo-id/automated-checks.ts';
import { markedJpeg } from '../../../support/id-fixtures.ts';

/** A 1x1 PNG with a tEXt chunk, as an image editor would write the marker. */
const pngWithText = (keyword: string, text: string): Buffer => {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(1, 0);
  header.writeUInt32BE(1, 4);
  header[8] = 8;
  header[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk(
      'tEXt',
      Buffer.concat([Buffer.from(keyword, 'latin1'), Buffer.from([0]), Buffer.from(text, 'utf8')]),
    ),
    chunk('IDAT', deflateSync(Buffer.from([0, 0, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
};

describe('the automated checks’ sandboxes', () => {
  it('reads the marker from a JPEG comment and a PNG text chunk, and nothing from an image without one', () => {
    // Prepare
    const jpeg = markedJpeg({ face: 'jane-smith', text: ['SMITH'] });
    const png = pngWithText('patient-login-sandbox', JSON.stringify({ face: 'ann-jones' }));

    // Act
    const fromJpeg = readSandboxMarker(jpeg);
    const fromPng = readSandboxMarker(png);
    const plain = readSandboxMarker(
      Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xda]),
    );
    const otherComment = readSandboxMarker(
      withSandboxMarker(Buffer.from([0xff, 0xd8, 0xff, 0xd9]), {}).fill(0x41, 6, 27),
    );
    const notAnImage = readSandboxMarker(Buffer.from('patient-login-sandbox:{"face":"x"}'));

    // Assess
    expect(fromJpeg).toEqual({ face: 'jane-smith', text: ['SMITH'] });
    expect(fromPng).toEqual({ face: 'ann-jones' });
    expect(plain).toBeUndefined();
    expect(otherComment).toBeUndefined();
    expect(notAnImage).toBeUndefined();
  });

  it('compares faces by who the markers say they are, with their confidence', async () => {
    // Prepare
    const faces = new SandboxFaceComparison();
    const jane = markedJpeg({ face: 'jane-smith', faceConfidence: 99.7 });

    // Act
    const same = await faces.compare(
      jane,
      markedJpeg({ face: 'jane-smith', similarity: 97.1, faceConfidence: 96 }),
    );
    const different = await faces.compare(jane, markedJpeg({ face: 'ann-jones' }));
    const noFaceOnId = await faces.compare(markedJpeg({}), jane);
    const noFaceInStill = await faces.compare(jane, markedJpeg({}));
    const down = faces.compare(jane, markedJpeg({ face: 'jane-smith', unavailable: true }));

    // Assess
    expect(same).toEqual({
      kind: 'compared',
      similarity: 97.1,
      photoFaceConfidence: 99.7,
      stillFaceConfidence: 96,
    });
    expect(different).toMatchObject({ kind: 'compared', similarity: 2.4 });
    expect(noFaceOnId).toEqual({ kind: 'no-face', in: 'photo' });
    expect(noFaceInStill).toEqual({ kind: 'no-face', in: 'still' });
    await expect(down).rejects.toBeInstanceOf(AutomatedCheckUnavailableError);
  });

  it('reads the text the marker names, with its confidence, and none from an unmarked image', async () => {
    // Prepare
    const text = new SandboxDocumentText();

    // Act
    const lines = await text.detect(markedJpeg({ text: ['PASSPORT', 'SMITH'], textConfidence: 97.5 }));
    const none = await text.detect(Buffer.from([0xff, 0xd8, 0xff, 0xd9]));
    const down = text.detect(markedJpeg({ unavailable: true }));

    // Assess
    expect(lines).toEqual([
      { text: 'PASSPORT', confidence: 97.5 },
      { text: 'SMITH', confidence: 97.5 },
    ]);
    expect(none).toEqual([]);
    await expect(down).rejects.toBeInstanceOf(AutomatedCheckUnavailableError);
  });
});

import { describe, expect, it } from 'vitest';
import { mediaKey, sniffMediaType } from '../../../../../src/domain/identity/photo-id/media-store.ts';
import { readReviewDecision } from '../../../../../src/domain/identity/photo-id/photo-id-check.ts';

describe('the media a check is made of', () => {
  it.each([
    { kind: 'a JPEG', bytes: [0xff, 0xd8, 0xff, 0xe1, 0, 0, 0, 0], type: 'image/jpeg' },
    { kind: 'a PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], type: 'image/png' },
    { kind: 'a WebM', bytes: [0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81], type: 'video/webm' },
    { kind: 'an MP4', bytes: [0, 0, 0, 0x20, 0x66, 0x74, 0x79, 0x70], type: 'video/mp4' },
    { kind: 'an SVG', bytes: [...Buffer.from('<svg xml')], type: undefined },
    { kind: 'a PDF', bytes: [...Buffer.from('%PDF-1.7')], type: undefined },
    { kind: 'nothing', bytes: [], type: undefined },
  ])('tells $kind by its bytes', ({ bytes, type }) => {
    // Act
    const sniffed = sniffMediaType(new Uint8Array(bytes));

    // Assess
    expect(sniffed).toBe(type);
  });

  it('keys media by check, attempt and kind, and refuses a check id that could leave its prefix', () => {
    // Act
    const key = mediaKey('0b6f2a4e-1c1d-4d59-a1b6-4a4e3c2d1e0f', 2, 'video');

    // Assess
    expect(key).toBe('checks/0b6f2a4e-1c1d-4d59-a1b6-4a4e3c2d1e0f/2/video');
    expect(() => mediaKey('../other', 1, 'photo')).toThrow();
    expect(() => mediaKey('check', 0, 'photo')).toThrow();
  });
});

describe('a reviewer’s decision', () => {
  it.each([
    { decision: { outcome: 'approved' }, read: { outcome: 'approved' } },
    {
      decision: { outcome: 'rejected', reason: 'id-expired', extra: 'ignored' },
      read: { outcome: 'rejected', reason: 'id-expired' },
    },
    {
      decision: { outcome: 'more-needed', needed: 'photo' },
      read: { outcome: 'more-needed', needed: 'photo' },
    },
  ])('is read as one of the fixed outcomes: $decision.outcome', ({ decision, read }) => {
    // Act
    const result = readReviewDecision(decision);

    // Assess
    expect(result).toEqual(read);
  });

  it.each([
    { refused: 'no decision', decision: undefined },
    { refused: 'an unknown outcome', decision: { outcome: 'maybe' } },
    { refused: 'a rejection without a reason', decision: { outcome: 'rejected' } },
    { refused: 'a reason not on the list', decision: { outcome: 'rejected', reason: 'toString' } },
    { refused: 'more needed of something else', decision: { outcome: 'more-needed', needed: 'details' } },
  ])('refuses $refused', ({ decision }) => {
    // Act
    const result = readReviewDecision(decision);

    // Assess
    expect(result).toBeUndefined();
  });
});

import {
  AutomatedCheckUnavailableError,
  type FaceComparison,
  type FaceComparisonResult,
} from '../../domain/identity/photo-id/automated-checks.ts';
import { readSandboxMarker } from './sandbox-image-marker.ts';

/** How alike the sandbox says two different people are. */
const DIFFERENT_PEOPLE = 2.4;

/**
 * The face comparison on `npm start` and in tests: by the images' sandbox markers (who the face
 * is, and how sure), never by looking at them. Same face: the still's `similarity` (98.6 unless
 * given); different faces: 2.4; an image without a face: no face found in it.
 */
export class SandboxFaceComparison implements FaceComparison {
  async compare(idPhoto: Uint8Array, still: Uint8Array): Promise<FaceComparisonResult> {
    const photo = readSandboxMarker(idPhoto);
    const frame = readSandboxMarker(still);
    if (photo?.unavailable || frame?.unavailable)
      throw new AutomatedCheckUnavailableError('The face comparison sandbox was told to be down.');
    if (!photo?.face) return { kind: 'no-face', in: 'photo' };
    if (!frame?.face) return { kind: 'no-face', in: 'still' };
    return {
      kind: 'compared',
      similarity: photo.face === frame.face ? (frame.similarity ?? 98.6) : DIFFERENT_PEOPLE,
      photoFaceConfidence: photo.faceConfidence ?? 99.9,
      stillFaceConfidence: frame.faceConfidence ?? 99.9,
    };
  }
}

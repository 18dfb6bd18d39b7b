import {
  CompareFacesCommand,
  InvalidParameterException,
  RekognitionClient,
} from '@aws-sdk/client-rekognition';
import {
  AutomatedCheckUnavailableError,
  type FaceComparison,
  type FaceComparisonResult,
} from '../../domain/identity/photo-id/automated-checks.ts';

/**
 * The face comparison on Amazon Rekognition (CompareFaces), the images passed by value (the
 * function reads them from the bucket itself, so Rekognition needs no access to it). Every face in
 * the still is compared (no similarity threshold): the best match is the result. Rekognition's
 * "no face in the image" for the ID photo is a result, not a failure; anything else it refuses,
 * or a call that does not get through, leaves the check "not run".
 */
export class RekognitionFaceComparison implements FaceComparison {
  readonly #client: RekognitionClient;

  constructor(options: { readonly client?: RekognitionClient } = {}) {
    this.#client = options.client ?? new RekognitionClient({});
  }

  async compare(idPhoto: Uint8Array, still: Uint8Array): Promise<FaceComparisonResult> {
    try {
      const result = await this.#client.send(
        new CompareFacesCommand({
          SourceImage: { Bytes: idPhoto },
          TargetImage: { Bytes: still },
          SimilarityThreshold: 0,
        }),
      );
      const [best] = [...(result.FaceMatches ?? [])].sort(
        (a, b) => (b.Similarity ?? 0) - (a.Similarity ?? 0),
      );
      if (!best) return { kind: 'no-face', in: 'still' };
      return {
        kind: 'compared',
        similarity: round(best.Similarity),
        photoFaceConfidence: round(result.SourceImageFace?.Confidence),
        stillFaceConfidence: round(best.Face?.Confidence),
      };
    } catch (error) {
      // Rekognition says so when the source (the ID photo) has no face it can find.
      if (error instanceof InvalidParameterException && /face/i.test(error.message))
        return { kind: 'no-face', in: 'photo' };
      throw new AutomatedCheckUnavailableError('The face comparison could not run.', {
        logDetail: `CompareFaces: ${(error as Error).name}`,
        cause: error,
      });
    }
  }
}

const round = (value: number | undefined) => Math.round((value ?? 0) * 10) / 10;

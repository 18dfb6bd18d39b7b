import {
  CompareFacesCommand,
  InvalidParameterException,
  RekognitionClient,
  ThrottlingException,
} from '@aws-sdk/client-rekognition';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RekognitionFaceComparison } from '../../../../src/adapters/rekognition/rekognition-face-comparison.ts';
import { AutomatedCheckUnavailableError } from '../../../../src/domain/identity/photo-id/automated-checks.ts';

const rekognition = mockClient(RekognitionClient);
const photo = new Uint8Array([0xff, 0xd8, 1]);
const still = new Uint8Array([0xff, 0xd8, 2]);

describe('the face comparison on Rekognition', () => {
  beforeEach(() => rekognition.reset());
  const faces = () =>
    new RekognitionFaceComparison({ client: new RekognitionClient({ region: 'eu-west-2' }) });

  it('sends both images by value, every face compared, and gives the best match with the confidences', async () => {
    // Prepare
    rekognition.on(CompareFacesCommand).resolves({
      SourceImageFace: { Confidence: 99.94 },
      FaceMatches: [
        { Similarity: 12.34, Face: { Confidence: 98.1 } },
        { Similarity: 97.66, Face: { Confidence: 99.52 } },
      ],
    });

    // Act
    const result = await faces().compare(photo, still);

    // Assess
    expect(result).toEqual({
      kind: 'compared',
      similarity: 97.7,
      photoFaceConfidence: 99.9,
      stillFaceConfidence: 99.5,
    });
    expect(rekognition.commandCalls(CompareFacesCommand)[0]?.args[0].input).toEqual({
      SourceImage: { Bytes: photo },
      TargetImage: { Bytes: still },
      SimilarityThreshold: 0,
    });
  });

  it('says there is no face in the still when nothing matched, and none on the ID when Rekognition says so', async () => {
    // Prepare
    rekognition
      .on(CompareFacesCommand)
      .resolvesOnce({ SourceImageFace: { Confidence: 99 }, FaceMatches: [], UnmatchedFaces: [] })
      .rejectsOnce(
        new InvalidParameterException({
          message: 'There are no faces in the image. Should be at least 1.',
          $metadata: {},
        }),
      );

    // Act
    const noStillFace = await faces().compare(photo, still);
    const noPhotoFace = await faces().compare(photo, still);

    // Assess
    expect(noStillFace).toEqual({ kind: 'no-face', in: 'still' });
    expect(noPhotoFace).toEqual({ kind: 'no-face', in: 'photo' });
  });

  it('wraps a throttle or any other refusal as the check being unavailable, saying nothing of the image', async () => {
    // Prepare
    rekognition
      .on(CompareFacesCommand)
      .rejects(new ThrottlingException({ message: 'Slow down', $metadata: {} }));

    // Act
    const comparing = faces().compare(photo, still);

    // Assess
    await expect(comparing).rejects.toBeInstanceOf(AutomatedCheckUnavailableError);
    await expect(comparing).rejects.toMatchObject({ logDetail: 'CompareFaces: ThrottlingException' });
  });
});

import { RekognitionFaceComparison } from '../../src/adapters/rekognition/rekognition-face-comparison.ts';
import { S3MediaStore } from '../../src/adapters/s3/s3-media-store.ts';
import { TextractDocumentText } from '../../src/adapters/textract/textract-document-text.ts';
import { photoIdTaskDependencies } from '../../src/wiring/photo-id-task-function.ts';

/** The automated checks: the reviewed media (read only), Rekognition and Textract. */
export const dependencies = (env: Record<string, string | undefined>) =>
  photoIdTaskDependencies(env, {
    media: (bucket) => new S3MediaStore({ bucket }),
    faceComparison: () => new RekognitionFaceComparison(),
    documentText: () => new TextractDocumentText(),
  });

import {
  AutomatedCheckUnavailableError,
  type DocumentText,
  type TextLine,
} from '../../domain/identity/photo-id/automated-checks.ts';
import { readSandboxMarker } from './sandbox-image-marker.ts';

/** The document text reader on `npm start` and in tests: the lines the image's sandbox marker names. */
export class SandboxDocumentText implements DocumentText {
  async detect(idPhoto: Uint8Array): Promise<readonly TextLine[]> {
    const marker = readSandboxMarker(idPhoto);
    if (marker?.unavailable)
      throw new AutomatedCheckUnavailableError('The text sandbox was told to be down.');
    return (marker?.text ?? []).map((text) => ({ text, confidence: marker?.textConfidence ?? 99.1 }));
  }
}

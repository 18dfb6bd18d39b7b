import { DetectDocumentTextCommand, TextractClient } from '@aws-sdk/client-textract';
import {
  AutomatedCheckUnavailableError,
  type DocumentText,
  type TextLine,
} from '../../domain/identity/photo-id/automated-checks.ts';

/**
 * The ID's text on Amazon Textract (DetectDocumentText: AnalyzeID reads only US documents), the
 * image passed by value: its lines, top to bottom, with their confidence. A refusal or a call that
 * does not get through leaves the check "not run".
 */
export class TextractDocumentText implements DocumentText {
  readonly #client: TextractClient;

  constructor(options: { readonly client?: TextractClient } = {}) {
    this.#client = options.client ?? new TextractClient({});
  }

  async detect(idPhoto: Uint8Array): Promise<readonly TextLine[]> {
    try {
      const result = await this.#client.send(new DetectDocumentTextCommand({ Document: { Bytes: idPhoto } }));
      return (result.Blocks ?? [])
        .filter((block) => block.BlockType === 'LINE' && typeof block.Text === 'string')
        .map((block) => ({
          text: block.Text as string,
          confidence: Math.round((block.Confidence ?? 0) * 10) / 10,
        }));
    } catch (error) {
      throw new AutomatedCheckUnavailableError('The document text could not be read.', {
        logDetail: `DetectDocumentText: ${(error as Error).name}`,
        cause: error,
      });
    }
  }
}

import {
  DetectDocumentTextCommand,
  ProvisionedThroughputExceededException,
  TextractClient,
} from '@aws-sdk/client-textract';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TextractDocumentText } from '../../../../src/adapters/textract/textract-document-text.ts';
import { AutomatedCheckUnavailableError } from '../../../../src/domain/identity/photo-id/automated-checks.ts';

const textract = mockClient(TextractClient);
const photo = new Uint8Array([0xff, 0xd8, 1]);

describe('the document text on Textract', () => {
  beforeEach(() => textract.reset());
  const reader = () => new TextractDocumentText({ client: new TextractClient({ region: 'eu-west-2' }) });

  it('sends the image by value and gives its lines in order, with their confidence, leaving out words and pages', async () => {
    // Prepare
    textract.on(DetectDocumentTextCommand).resolves({
      Blocks: [
        { BlockType: 'PAGE' },
        { BlockType: 'LINE', Text: 'PASSPORT', Confidence: 99.456 },
        { BlockType: 'WORD', Text: 'PASSPORT', Confidence: 99.4 },
        { BlockType: 'LINE', Text: 'SMITH', Confidence: 97.01 },
      ],
    });

    // Act
    const lines = await reader().detect(photo);

    // Assess
    expect(lines).toEqual([
      { text: 'PASSPORT', confidence: 99.5 },
      { text: 'SMITH', confidence: 97 },
    ]);
    expect(textract.commandCalls(DetectDocumentTextCommand)[0]?.args[0].input).toEqual({
      Document: { Bytes: photo },
    });
  });

  it('wraps a refusal as the check being unavailable', async () => {
    // Prepare
    textract
      .on(DetectDocumentTextCommand)
      .rejects(new ProvisionedThroughputExceededException({ message: 'busy', $metadata: {} }));

    // Act
    const reading = reader().detect(photo);

    // Assess
    await expect(reading).rejects.toBeInstanceOf(AutomatedCheckUnavailableError);
    await expect(reading).rejects.toMatchObject({
      logDetail: 'DetectDocumentText: ProvisionedThroughputExceededException',
    });
  });
});

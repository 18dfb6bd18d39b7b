import type { SandboxMarker } from '../../src/adapters/local/sandbox-image-marker.ts';
import { withSandboxMarker } from '../../src/adapters/local/sandbox-image-marker.ts';

/** ICAO 9303's check digit: weights 7, 3, 1 over digits, letters (A=10) and fillers (0). */
const checkDigit = (value: string): string =>
  String(
    [...value].reduce((sum, character, index) => {
      const code =
        character === '<' ? 0 : /\d/.test(character) ? Number(character) : character.charCodeAt(0) - 55;
      return sum + code * ([7, 3, 1][index % 3] as number);
    }, 0) % 10,
  );

const pad = (value: string, length: number) => value.padEnd(length, '<').slice(0, length);

/** A passport's two zone lines (TD3) with every check digit right, for fixtures. */
export const passportZone = (person: {
  readonly surname: string;
  readonly givenNames: string;
  /** YYMMDD. */
  readonly birthDate: string;
  readonly expiryDate: string;
  readonly documentNumber?: string;
  readonly nationality?: string;
  readonly sex?: 'M' | 'F';
}): [string, string] => {
  const nationality = person.nationality ?? 'GBR';
  const name = `${person.surname}<<${person.givenNames.replace(/ /g, '<')}`;
  const line1 = pad(`P<${nationality}${name}`, 44);
  const documentNumber = pad(person.documentNumber ?? '123456789', 9);
  const personal = pad('', 14);
  const parts = [
    `${documentNumber}${checkDigit(documentNumber)}`,
    `${person.birthDate}${checkDigit(person.birthDate)}`,
    `${person.expiryDate}${checkDigit(person.expiryDate)}`,
    `${personal}${checkDigit(personal)}`,
  ];
  const composite = checkDigit(`${parts[0]}${parts[1]}${parts[2]}${parts[3]}`);
  const line2 = `${parts[0]}${nationality}${parts[1]}${person.sex ?? 'F'}${parts[2]}${parts[3]}${composite}`;
  return [line1, line2];
};

/** Jane Smith of the test patients (9000000009, born 22 October 1980): her passport's zone. */
export const janeSmithZone = () =>
  passportZone({ surname: 'SMITH', givenNames: 'JANE', birthDate: '801022', expiryDate: '310501' });

/** A JPEG's first bytes and filler, with a sandbox marker: what the sandboxes read instead of looking. */
export const markedJpeg = (
  marker: SandboxMarker,
  base: Uint8Array = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
    Buffer.alloc(2000, 1),
  ]),
) => withSandboxMarker(base, marker);

/** Jane Smith's passport photo for the sandboxes: her face, and the printed text with the zone. */
export const janeSmithPassport = (base?: Uint8Array) =>
  markedJpeg(
    {
      face: 'jane-smith',
      faceConfidence: 99.7,
      text: ['PASSPORT', 'SMITH', 'JANE', '22 OCT 1980', ...janeSmithZone()],
      textConfidence: 98.4,
    },
    base,
  );

import type { SandboxMarker } from '../../src/adapters/local/sandbox-image-marker.ts';
import { passportZone } from '../../src/local/sandboxes/sandbox-passport.ts';

export { passportZone };

import { withSandboxMarker } from '../../src/adapters/local/sandbox-image-marker.ts';

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

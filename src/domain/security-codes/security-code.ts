import { randomBytes } from 'node:crypto';

/** `size` bytes from a CSPRNG; injected so tests can fix them. */
export type RandomBytes = (size: number) => Uint8Array;

export const systemRandomBytes: RandomBytes = (size) => randomBytes(size);

const codeCount = 1_000_000;
/** The largest multiple of a million a 32-bit draw can reach: draws at or above it are rejected. */
const acceptBelow = Math.floor(2 ** 32 / codeCount) * codeCount;

/**
 * A 6-digit security code (leading zeros kept), every one of the million equally likely. A draw
 * modulo a million alone would favour the lowest codes, so draws past the last whole multiple
 * of a million are thrown away and drawn again (about once in 4,300 draws).
 */
export const generateSecurityCode = (random: RandomBytes = systemRandomBytes): string => {
  for (;;) {
    const bytes = random(4);
    const draw = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
    if (draw < acceptBelow) return String(draw % codeCount).padStart(6, '0');
  }
};

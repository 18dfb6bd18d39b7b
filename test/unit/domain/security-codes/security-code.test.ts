import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  generateSecurityCode,
  type RandomBytes,
} from '../../../../src/domain/security-codes/security-code.ts';

/** Hands out the given 4-byte draws in order and records how many bytes were asked for each time. */
const scriptedRandom = (...draws: number[]) => {
  const sizes: number[] = [];
  const random: RandomBytes = (size) => {
    sizes.push(size);
    const draw = draws.shift();
    if (draw === undefined) throw new Error('no more draws scripted');
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, draw);
    return bytes;
  };
  return { random, sizes };
};

/** A deterministic stand-in for a CSPRNG (SHA-256 of a counter), so the uniformity test cannot flake. */
const deterministicRandom = (): RandomBytes => {
  let counter = 0;
  return (size) => {
    counter += 1;
    return createHash('sha256').update(String(counter)).digest().subarray(0, size);
  };
};

const acceptBelow = 4_294_000_000;

describe('generateSecurityCode', () => {
  it('keeps leading zeros', () => {
    // Prepare
    const { random } = scriptedRandom(7);

    // Act
    const code = generateSecurityCode(random);

    // Assess
    expect(code).toBe('000007');
  });

  it('takes the draw modulo a million', () => {
    // Prepare
    const { random } = scriptedRandom(1_234_567_890);

    // Act
    const code = generateSecurityCode(random);

    // Assess
    expect(code).toBe('567890');
  });

  it('accepts the last draw of the last whole million', () => {
    // Prepare
    const { random } = scriptedRandom(acceptBelow - 1);

    // Act
    const code = generateSecurityCode(random);

    // Assess
    expect(code).toBe('999999');
  });

  it('draws again, 4 bytes at a time, when a draw falls past the last whole million', () => {
    // Prepare: both rejected draws would otherwise give the low codes 000000 and 967295.
    const { random, sizes } = scriptedRandom(acceptBelow, 2 ** 32 - 1, 42);

    // Act
    const code = generateSecurityCode(random);

    // Assess
    expect(code).toBe('000042');
    expect(sizes).toEqual([4, 4, 4]);
  });

  it('reads the draw from the bytes given, wherever they sit in their buffer', () => {
    // Prepare
    const backing = new Uint8Array([0xff, 0xff, 0, 0, 0, 9, 0xff]);
    const random: RandomBytes = () => backing.subarray(2, 6);

    // Act
    const code = generateSecurityCode(random);

    // Assess
    expect(code).toBe('000009');
  });

  it('always gives six digits, each digit about equally often in every position', () => {
    // Prepare
    const random = deterministicRandom();
    const samples = 100_000;
    const counts = Array.from({ length: 6 }, () => new Array<number>(10).fill(0));

    // Act
    const codes = Array.from({ length: samples }, () => generateSecurityCode(random));

    // Assess
    expect(codes.filter((code) => !/^\d{6}$/.test(code))).toEqual([]);
    for (const code of codes) {
      for (const [position, digit] of [...code].entries()) {
        const row = counts[position] as number[];
        row[Number(digit)] = (row[Number(digit)] ?? 0) + 1;
      }
    }
    // Each count is about 10,000 with a standard deviation of about 95: allow 5 deviations.
    for (const row of counts)
      for (const count of row) expect(Math.abs(count - samples / 10)).toBeLessThan(475);
    expect(new Set(codes).size).toBeGreaterThan(95_000);
  });

  it('uses the system CSPRNG by default', () => {
    // Act
    const codes = Array.from({ length: 50 }, () => generateSecurityCode());

    // Assess
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(45);
  });
});

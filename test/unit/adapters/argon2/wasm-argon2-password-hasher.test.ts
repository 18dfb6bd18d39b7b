import { type Algorithm, hash as nativeHash, verify as nativeVerify, type Version } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from '../../../../src/adapters/argon2/argon2-password-hasher.ts';
import { parseArgon2PhcString } from '../../../../src/adapters/argon2/argon2-phc-string.ts';
import { WasmArgon2PasswordHasher } from '../../../../src/adapters/argon2/wasm-argon2-password-hasher.ts';

// The package's Algorithm and Version are const enums, absent at run time under type stripping.
const argon2i = 1 as Algorithm.Argon2i;
const argon2id = 2 as Algorithm.Argon2id;
const version16 = 0 as Version.V0x10;

const password = 'the heron stood by the canal lock';

describe('WasmArgon2PasswordHasher', () => {
  const hasher = new WasmArgon2PasswordHasher();

  it('verifies the password it hashed', async () => {
    // Prepare
    const stored = await hasher.hash(password);

    // Act
    const verified = await hasher.verify(stored, password);

    // Assess
    expect(verified).toBe(true);
  });

  it('does not verify a wrong password, even one differing only in case or a trailing space', async () => {
    // Prepare
    const stored = await hasher.hash(password);

    // Act
    const results = [];
    for (const attempt of ['the heron stood by the canal loch', password.toUpperCase(), `${password} `]) {
      results.push(await hasher.verify(stored, attempt));
    }

    // Assess
    expect(results).toEqual([false, false, false]);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not a hash'],
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    ['a truncated argon2id hash', '$argon2id$v=19$m=19456,t=2,p=1$hrJOoQXjPHji8kwf8da7Xg'],
    ['an argon2id hash with a corrupt salt', '$argon2id$v=19$m=19456,t=2,p=1$!!!$oI0yAFRZoct91wEl+ILIg2xC'],
    [
      'an argon2id hash with a salt too short',
      '$argon2id$v=19$m=19456,t=2,p=1$AAAA$oI0yAFRZoct91wEl+ILIg2xC',
    ],
    [
      'an argon2id hash with no passes',
      '$argon2id$v=19$m=19456,t=0,p=1$hrJOoQXjPHji8kwf8da7Xg$oI0yAFRZoct91wEl',
    ],
    ['an unknown variant', '$argon2x$v=19$m=19456,t=2,p=1$hrJOoQXjPHji8kwf8da7Xg$oI0yAFRZoct91wEl+ILIg2xC'],
  ])('returns false without throwing for %s', async (_, malformed) => {
    // Act
    const verified = await hasher.verify(malformed, password);

    // Assess
    expect(verified).toBe(false);
  });

  it('returns false without throwing for an empty password, which hash-wasm refuses to hash', async () => {
    // Prepare
    const stored = await hasher.hash(password);

    // Act
    const verified = await hasher.verify(stored, '');

    // Assess
    expect(verified).toBe(false);
  });

  it('writes an argon2id PHC string with m=19456, t=2, p=1, a 16-byte salt, a 32-byte hash, fresh each time', async () => {
    // Act
    const first = await hasher.hash(password);
    const second = await hasher.hash(password);

    // Assess
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(parseArgon2PhcString(first)).toMatchObject({ salt: { length: 16 }, hash: { length: 32 } });
    expect(second).not.toBe(first);
  });

  it('does not need a rehash for a hash made with the current parameters', async () => {
    // Prepare
    const stored = await hasher.hash(password);

    // Act
    const needsRehash = hasher.needsRehash(stored);

    // Assess
    expect(needsRehash).toBe(false);
  });

  it.each([
    ['t=1', { timeCost: 1 }],
    ['m=4096', { memoryCost: 4096 }],
    ['p=2', { parallelism: 2 }],
  ])('needs a rehash for a hash made with %s, which it still verifies', async (_, parameters) => {
    // Prepare
    const stored = await new WasmArgon2PasswordHasher(parameters).hash(password);

    // Act
    const needsRehash = hasher.needsRehash(stored);

    // Assess
    expect(needsRehash).toBe(true);
    expect(await hasher.verify(stored, password)).toBe(true);
  });

  it('needs a rehash for, and still verifies, an argon2i hash with the current costs', async () => {
    // Prepare
    const stored = await nativeHash(password, {
      algorithm: argon2i,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });

    // Act
    const needsRehash = hasher.needsRehash(stored);

    // Assess
    expect(needsRehash).toBe(true);
    expect(await hasher.verify(stored, password)).toBe(true);
  });

  it('needs a rehash for, and does not verify, an argon2 version 16 hash, which hash-wasm cannot compute', async () => {
    // Prepare
    const stored = await nativeHash(password, {
      algorithm: argon2id,
      version: version16,
      memoryCost: 19_456,
      timeCost: 2,
      parallelism: 1,
    });

    // Act
    const [needsRehash, verified] = [hasher.needsRehash(stored), await hasher.verify(stored, password)];

    // Assess
    expect(stored).toMatch(/^\$argon2id\$v=16\$/);
    expect([needsRehash, verified]).toEqual([true, false]);
  });

  it('needs a rehash for a stored value it cannot parse', () => {
    // Act
    const needsRehash = hasher.needsRehash('not a hash');

    // Assess
    expect(needsRehash).toBe(true);
  });

  it('verifies a password typed with a decomposed é against one set with a composed é, and back', async () => {
    // Prepare
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const decomposed = 'cafe\u0301 au lait, s\u2019il vous plai\u0302t';
    const storedComposed = await hasher.hash(composed);
    const storedDecomposed = await hasher.hash(decomposed);

    // Act
    const verified = [
      await hasher.verify(storedComposed, decomposed),
      await hasher.verify(storedDecomposed, composed),
    ];

    // Assess
    expect(decomposed).not.toBe(composed);
    expect(verified).toEqual([true, true]);
  });

  it('hashes the NFKC form, so the stored hash verifies the normalised bytes directly', async () => {
    // Prepare
    const stored = await hasher.hash('ＦＵＬＬ ｗｉｄｔｈ');

    // Act
    const verified = [
      await nativeVerify(stored, 'FULL width'),
      await nativeVerify(stored, 'ＦＵＬＬ ｗｉｄｔｈ'),
    ];

    // Assess
    expect(verified).toEqual([true, false]);
  });
});

describe('the WASM and native argon2 hashers together', () => {
  const wasm = new WasmArgon2PasswordHasher();
  const native = new Argon2PasswordHasher();

  it('verifies with the WASM hasher a hash the native hasher made, and refuses a wrong password', async () => {
    // Prepare
    const stored = await native.hash(password);

    // Act
    const verified = [await wasm.verify(stored, password), await wasm.verify(stored, `${password}!`)];

    // Assess
    expect(verified).toEqual([true, false]);
  });

  it('verifies with the native hasher a hash the WASM hasher made, and refuses a wrong password', async () => {
    // Prepare
    const stored = await wasm.hash(password);

    // Act
    const verified = [await native.verify(stored, password), await native.verify(stored, `${password}!`)];

    // Assess
    expect(verified).toEqual([true, false]);
  });

  it("agrees on the NFKC normalisation: each verifies the other's hash of a decomposed password", async () => {
    // Prepare
    const composed = 'caf\u00e9 cr\u00e8me br\u00fbl\u00e9e';
    const decomposed = composed.normalize('NFD');
    const fromNative = await native.hash(composed);
    const fromWasm = await wasm.hash(composed);

    // Act
    const verified = [await wasm.verify(fromNative, decomposed), await native.verify(fromWasm, decomposed)];

    // Assess
    expect(verified).toEqual([true, true]);
  });

  it("has the same parameters: neither asks to rehash the other's hash", async () => {
    // Prepare
    const fromNative = await native.hash(password);
    const fromWasm = await wasm.hash(password);

    // Act
    const verdicts = [wasm.needsRehash(fromNative), native.needsRehash(fromWasm)];

    // Assess
    expect(verdicts).toEqual([false, false]);
  });
});

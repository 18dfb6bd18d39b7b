import { type Algorithm, hash, type Version, verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from '../../../../src/adapters/argon2/argon2-password-hasher.ts';

// The package's Algorithm and Version are const enums, absent at run time under type stripping.
const argon2i = 1 as Algorithm.Argon2i;
const argon2id = 2 as Algorithm.Argon2id;
const version16 = 0 as Version.V0x10;

const password = 'the heron stood by the canal lock';

describe('Argon2PasswordHasher', () => {
  const hasher = new Argon2PasswordHasher();

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
    const results = await Promise.all(
      ['the heron stood by the canal loch', password.toUpperCase(), `${password} `].map((attempt) =>
        hasher.verify(stored, attempt),
      ),
    );

    // Assess
    expect(results).toEqual([false, false, false]);
  });

  it.each([
    ['an empty string', ''],
    ['plain text', 'not a hash'],
    ['a bcrypt hash', '$2b$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy'],
    ['a truncated argon2id hash', '$argon2id$v=19$m=19456,t=2,p=1$hrJOoQXjPHji8kwf8da7Xg'],
    ['an argon2id hash with a corrupt salt', '$argon2id$v=19$m=19456,t=2,p=1$!!!$oI0yAFRZoct91wEl+ILIg2xC'],
  ])('returns false without throwing for %s', async (_, malformed) => {
    // Act
    const verified = await hasher.verify(malformed, password);

    // Assess
    expect(verified).toBe(false);
  });

  it('writes an argon2id PHC string with m=19456, t=2, p=1 and a fresh salt each time', async () => {
    // Act
    const [first, second] = await Promise.all([hasher.hash(password), hasher.hash(password)]);

    // Assess
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
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
  ])('needs a rehash for a hash made with %s', async (_, parameters) => {
    // Prepare
    const stored = await new Argon2PasswordHasher(parameters).hash(password);

    // Act
    const needsRehash = hasher.needsRehash(stored);

    // Assess
    expect(needsRehash).toBe(true);
  });

  it.each([
    ['argon2i', { algorithm: argon2i }],
    ['argon2 version 16', { algorithm: argon2id, version: version16 }],
  ])('needs a rehash for a hash made with %s and the current costs', async (_, options) => {
    // Prepare
    const stored = await hash(password, { memoryCost: 19_456, timeCost: 2, parallelism: 1, ...options });

    // Act
    const needsRehash = hasher.needsRehash(stored);

    // Assess
    expect(needsRehash).toBe(true);
    expect(await hasher.verify(stored, password)).toBe(true);
  });

  it('needs a rehash for a stored value it cannot parse', () => {
    // Act
    const needsRehash = hasher.needsRehash('not a hash');

    // Assess
    expect(needsRehash).toBe(true);
  });

  it('judges rehashing against parameters given to the constructor', async () => {
    // Prepare
    const stronger = new Argon2PasswordHasher({ memoryCost: 47_104, timeCost: 1 });
    const current = await hasher.hash(password);
    const strongerHash = await stronger.hash(password);

    // Act
    const verdicts = [stronger.needsRehash(current), stronger.needsRehash(strongerHash)];

    // Assess
    expect(strongerHash).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
    expect(verdicts).toEqual([true, false]);
  });

  it('verifies a password typed with a decomposed é against one set with a composed é, and back', async () => {
    // Prepare
    const composed = 'caf\u00e9 au lait, s\u2019il vous pla\u00eet';
    const decomposed = 'cafe\u0301 au lait, s\u2019il vous plai\u0302t';
    const [storedComposed, storedDecomposed] = await Promise.all([
      hasher.hash(composed),
      hasher.hash(decomposed),
    ]);

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
    const verified = [await verify(stored, 'FULL width'), await verify(stored, 'ＦＵＬＬ ｗｉｄｔｈ')];

    // Assess
    expect(verified).toEqual([true, false]);
  });
});

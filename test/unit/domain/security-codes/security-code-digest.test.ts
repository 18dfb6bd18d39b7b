import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RandomBytes } from '../../../../src/domain/security-codes/security-code.ts';
import {
  digestSecurityCode,
  matchesSecurityCode,
} from '../../../../src/domain/security-codes/security-code-digest.ts';

const fixedSalt: RandomBytes = (size) => new Uint8Array(size).fill(1);

describe('digestSecurityCode and matchesSecurityCode', () => {
  it('matches the code that was digested', () => {
    // Prepare
    const digest = digestSecurityCode('042317');

    // Act
    const matches = matchesSecurityCode('042317', digest);

    // Assess
    expect(matches).toBe(true);
  });

  it.each(['042318', '42317', '0423170', '', ' 042317', '042317\n'])('does not match %j', (entered) => {
    // Prepare
    const digest = digestSecurityCode('042317');

    // Act
    const matches = matchesSecurityCode(entered, digest);

    // Assess
    expect(matches).toBe(false);
  });

  it('keeps the code out of the digest and salts each code afresh', () => {
    // Act
    const first = digestSecurityCode('123456');
    const second = digestSecurityCode('123456');

    // Assess
    expect(JSON.stringify(first)).not.toContain('123456');
    expect(first.salt).not.toBe(second.salt);
    expect(first.hash).not.toBe(second.hash);
    expect(Buffer.from(first.salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(first.hash, 'base64url')).toHaveLength(32);
  });

  it('takes the salt from the injected random source, as a keyed HMAC-SHA256', () => {
    // Act
    const digest = digestSecurityCode('000000', fixedSalt);

    // Assess
    expect(digest).toEqual({
      salt: Buffer.alloc(16, 1).toString('base64url'),
      hash: createHmac('sha256', Buffer.alloc(16, 1)).update('000000').digest('base64url'),
    });
  });

  it.each([
    ['a truncated hash', (hash: string) => hash.slice(0, 20)],
    ['an empty hash', () => ''],
    ['a hash of another code', () => digestSecurityCode('999999', fixedSalt).hash],
  ])('refuses %s without throwing', (_, tamper) => {
    // Prepare
    const digest = digestSecurityCode('123456', fixedSalt);

    // Act
    const matches = matchesSecurityCode('123456', { ...digest, hash: tamper(digest.hash) });

    // Assess
    expect(matches).toBe(false);
  });
});

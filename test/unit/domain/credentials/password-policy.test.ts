import { describe, expect, it } from 'vitest';
import { createCommonPasswordList } from '../../../../src/adapters/files/common-password-file.ts';
import {
  checkNewPassword,
  type NewPasswordContext,
} from '../../../../src/domain/credentials/password-policy.ts';

const email = 'jane.smith@example.com';
const context: NewPasswordContext = { email, commonPasswords: new Set(['password1', 'qwertyuiop']) };

const codes = (password: string, overrides: Partial<NewPasswordContext> = {}) =>
  checkNewPassword(password, { ...context, ...overrides }).map((problem) => problem.code);

describe('checkNewPassword: length', () => {
  it('asks for a password when none was entered', () => {
    // Act
    const problems = checkNewPassword('', context);

    // Assess
    expect(problems).toEqual([{ code: 'password_missing', message: 'Enter a password' }]);
  });

  it('refuses 7 characters and says 8 or more are needed', () => {
    // Act
    const problems = checkNewPassword('vq7!mz2', context);

    // Assess
    expect(problems).toEqual([
      { code: 'password_too_short', message: 'Enter a password that is 8 characters or more' },
    ]);
  });

  it('accepts exactly 8 characters with no composition rules', () => {
    // Act
    const problems = checkNewPassword('vqtmzkpr', context);

    // Assess
    expect(problems).toEqual([]);
  });

  it('accepts a 64-character passphrase of lowercase words and spaces', () => {
    // Prepare
    const passphrase = 'the heron stood by the canal lock while narrowboats slid past us';

    // Act
    const problems = checkNewPassword(passphrase, context);

    // Assess
    expect([...passphrase]).toHaveLength(64);
    expect(problems).toEqual([]);
  });

  it('accepts exactly 128 characters', () => {
    // Act
    const problems = checkNewPassword('ab3d'.repeat(32), context);

    // Assess
    expect(problems).toEqual([]);
  });

  it('refuses 129 characters and says 128 or fewer are allowed', () => {
    // Act
    const problems = checkNewPassword(`${'ab3d'.repeat(32)}x`, context);

    // Assess
    expect(problems).toEqual([
      { code: 'password_too_long', message: 'Enter a password that is 128 characters or fewer' },
    ]);
  });

  it('refuses a password of spaces only, and does not count spaces around a password', () => {
    // Act
    const onlySpaces = checkNewPassword(' '.repeat(8), context);
    const padded = codes(`  ${'k7#mQ2'}  `);
    const spacedInside = codes('k7 #mQ 2x');

    // Assess
    expect(onlySpaces).toEqual([
      { code: 'password_only_spaces', message: 'Enter a password that is not only spaces' },
    ]);
    expect(padded).toEqual(['password_too_short']);
    expect(spacedInside).toEqual([]);
  });

  it('counts an emoji as one character, not as its two UTF-16 units', () => {
    // Prepare
    const sevenEmoji = '🐢🦔🐝🦉🐙🦊🐸';

    // Act
    const sevenProblems = codes(sevenEmoji);
    const eightProblems = codes(`${sevenEmoji}🦋`);

    // Assess
    expect(sevenEmoji).toHaveLength(14);
    expect(sevenProblems).toEqual(['password_too_short']);
    expect(eightProblems).toEqual([]);
  });

  it('counts a letter and combining accent that NFKC composes as one character', () => {
    // Prepare: "e" + U+0301 composes to "é"; 14 code points as typed, 7 once normalised
    const decomposed = 'e\u0301'.repeat(7);

    // Act
    const problems = codes(decomposed);

    // Assess
    expect([...decomposed]).toHaveLength(14);
    expect(problems).toEqual(['password_too_short']);
  });

  it('counts a combining accent that has no composed form as a character of its own', () => {
    // Prepare: "x" + U+0301 has no precomposed form, so 4 pairs stay 8 code points
    const combining = 'x\u0301'.repeat(4);

    // Act
    const problems = codes(combining);

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('checkNewPassword: common passwords', () => {
  it('refuses a common password and says to choose one harder to guess', () => {
    // Act
    const problems = checkNewPassword('password1', context);

    // Assess
    expect(problems).toEqual([
      {
        code: 'password_too_common',
        message: 'Enter a password that is harder to guess. This password is too common',
      },
    ]);
  });

  it.each(['PASSWORD1', 'Password1', 'pAsSwOrD1'])('refuses the common password typed as %s', (password) => {
    // Act
    const problems = codes(password);

    // Assess
    expect(problems).toEqual(['password_too_common']);
  });

  it('refuses a common password typed in full-width characters, which NFKC folds to ASCII', () => {
    // Act
    const problems = codes('ＱＷＥＲＴＹＵＩＯＰ');

    // Assess
    expect(problems).toEqual(['password_too_common']);
  });

  it('accepts a password that is not in the list even when it contains a common one', () => {
    // Act
    const problems = codes('password1 of the lighthouse keeper');

    // Assess
    expect(problems).toEqual([]);
  });

  it('refuses common passwords from the shipped list', () => {
    // Prepare
    const commonPasswords = createCommonPasswordList();

    // Act
    const problems = ['Password123', 'QWERTYUIOP', 'Passw0rd', 'Football1'].map((password) =>
      codes(password, { commonPasswords }),
    );

    // Assess
    expect(problems).toEqual([
      ['password_too_common'],
      ['password_too_common'],
      ['password_too_common'],
      ['password_too_common'],
    ]);
  });

  it('accepts an uncommon passphrase against the shipped list', () => {
    // Act
    const problems = codes('marmalade on the night bus', { commonPasswords: createCommonPasswordList() });

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('checkNewPassword: email address', () => {
  it('refuses the email address itself, whatever its case, and says so once', () => {
    // Act
    const problems = checkNewPassword('Jane.Smith@Example.COM', context);

    // Assess
    expect(problems).toEqual([
      { code: 'password_is_email', message: 'Your password must not be your email address' },
    ]);
  });

  it('refuses an email address whose local part is too short for the local-part rule', () => {
    // Act
    const problems = codes('jo@nhs.net', { email: 'jo@nhs.net' });

    // Assess
    expect(problems).toEqual(['password_is_email']);
  });

  it('refuses a password containing the local part, whatever its case', () => {
    // Act
    const problems = checkNewPassword('my JANE.SMITH garden 2024', context);

    // Assess
    expect(problems).toEqual([
      {
        code: 'password_includes_email',
        message: 'Your password must not include the part of your email address before the @',
      },
    ]);
  });

  it('refuses a password containing a 3-character local part', () => {
    // Act
    const problems = codes('AmyLovesTea', { email: 'amy@example.com' });

    // Assess
    expect(problems).toEqual(['password_includes_email']);
  });

  it('accepts a password containing a 2-character local part', () => {
    // Act
    const problems = codes('jo walks the dog', { email: 'jo@example.com' });

    // Assess
    expect(problems).toEqual([]);
  });

  it('accepts a password that shares only part of the local part', () => {
    // Act
    const problems = codes('jane goes smithing', context);

    // Assess
    expect(problems).toEqual([]);
  });

  it('accepts a password containing the email domain but not the local part', () => {
    // Act
    const problems = codes('example.com is mine');

    // Assess
    expect(problems).toEqual([]);
  });

  it('reports every problem, most important first', () => {
    // Act
    const problems = codes('Amy!', { email: 'amy@example.com' });

    // Assess
    expect(problems).toEqual(['password_too_short', 'password_includes_email']);
  });
});

import { readFileSync } from 'node:fs';
import type { CommonPasswordList } from '../../domain/credentials/common-passwords.ts';

/** The list shipped with the project: lowercase, one a line, 8 characters or more (docs/passwords.md). */
export const commonPasswordsFile = new URL('./common-passwords.txt', import.meta.url);

/**
 * A common-password list read from `file` on the first look-up, not before, so a cold start that
 * never checks a new password does not pay for reading it. The composition root makes one.
 */
export const createCommonPasswordList = (file: URL = commonPasswordsFile): CommonPasswordList => {
  let passwords: ReadonlySet<string> | undefined;
  return {
    has: (lowercasePassword) => {
      passwords ??= readList(file);
      return passwords.has(lowercasePassword);
    },
  };
};

const readList = (file: URL): ReadonlySet<string> =>
  new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.length > 0),
  );

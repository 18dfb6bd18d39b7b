import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  commonPasswordsFile,
  createCommonPasswordList,
} from '../../../../src/adapters/files/common-password-file.ts';
import { passwordLength } from '../../../../src/domain/credentials/password-policy.ts';

describe('the shipped common-password list', () => {
  it('holds more than 10,000 lowercase, distinct, NFKC-normal entries that could pass the length rule', async () => {
    // Act
    const lines = (await readFile(commonPasswordsFile, 'utf8')).split('\n');

    // Assess
    expect(lines.at(-1)).toBe('');
    const entries = lines.slice(0, -1);
    expect(entries.length).toBeGreaterThan(10_000);
    expect(new Set(entries).size).toBe(entries.length);
    expect(entries.filter((entry) => entry !== entry.normalize('NFKC').toLowerCase())).toEqual([]);
    expect(entries.filter((entry) => [...entry].length < passwordLength.min)).toEqual([]);
    expect(entries.filter((entry) => entry.trim() !== entry || entry.includes('\r'))).toEqual([]);
  });
});

describe('createCommonPasswordList', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'common-passwords-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('does not read the file until the first look-up', () => {
    // Prepare
    const missing = pathToFileURL(join(directory, 'missing.txt'));

    // Act
    const list = createCommonPasswordList(missing);

    // Assess
    expect(() => list.has('password')).toThrow(/ENOENT/);
  });

  it('reads the file once and answers later look-ups from memory', async () => {
    // Prepare
    const file = join(directory, 'list.txt');
    await writeFile(file, 'letmein123\nsunshine1\n');
    const list = createCommonPasswordList(pathToFileURL(file));

    // Act
    const first = list.has('sunshine1');
    await rm(file);
    const second = [list.has('letmein123'), list.has('sunshine1'), list.has('hunter22')];

    // Assess
    expect(first).toBe(true);
    expect(second).toEqual([true, true, false]);
  });

  it('finds entries of the shipped list and not an empty string', () => {
    // Prepare
    const list = createCommonPasswordList();

    // Act
    const found = [list.has('password'), list.has('iloveyou1'), list.has(''), list.has('PASSWORD')];

    // Assess
    expect(found).toEqual([true, true, false, false]);
  });
});

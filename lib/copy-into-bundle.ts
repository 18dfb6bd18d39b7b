/**
 * Copies files into a Lambda bundle; the house function's `afterBundling` hook runs it:
 * `node lib/copy-into-bundle.ts <bundle folder> '<JSON FileCopy[]>'`. Node's own fs only, so it
 * needs no network and no shell tools. Fails, and so fails synthesis, when a copy matches nothing.
 */
import { copyFileSync, globSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FileCopy } from './bundled-files.ts';

const [outputDir, plan] = process.argv.slice(2);
if (!outputDir || !plan) throw new Error('Usage: copy-into-bundle.ts <bundle folder> <JSON FileCopy[]>');

for (const copy of JSON.parse(plan) as FileCopy[]) {
  const files = new Set(
    copy.include
      .flatMap((pattern) => globSync(pattern, { cwd: copy.from }))
      .filter((file) => statSync(join(copy.from, file)).isFile()),
  );
  if (files.size === 0) throw new Error(`Nothing in ${copy.from} matches ${copy.include.join(', ')}`);
  for (const file of files) {
    const target = join(outputDir, copy.to, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(copy.from, file), target);
  }
}

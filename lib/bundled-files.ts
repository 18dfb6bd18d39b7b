import { join } from 'node:path';
import { bundleLayout } from '../src/platform/bundle-files.ts';
import type { BundledFiles } from '../src/routes.ts';
import { projectRoot } from './project-paths.ts';

/** Files to copy into a bundle: those under `from` matching any `include` glob, to the same relative paths under `to`. */
export interface FileCopy {
  /** Absolute. */
  readonly from: string;
  /** Relative to the bundle's folder (where `index.mjs` is). */
  readonly to: string;
  readonly include: readonly string[];
}

const nhsukFrontendDist = join(projectRoot, 'node_modules', 'nhsuk-frontend', 'dist', 'nhsuk');
const nhsukFrontendInBundle = `${bundleLayout.nhsukFrontend}/nhsuk`;

/**
 * What each kind of `bundledFiles` puts in a bundle, laid out as `bundleLayout` says. Only what
 * is read at run time is copied (templates, the files the asset catalogue serves), not the
 * 19 MiB of nhsuk-frontend's sources and source maps.
 */
export const bundledFileCopies: Readonly<Record<BundledFiles, readonly FileCopy[]>> = {
  views: [
    { from: join(projectRoot, 'src', 'web', 'views'), to: bundleLayout.views, include: ['**/*.njk'] },
    { from: nhsukFrontendDist, to: nhsukFrontendInBundle, include: ['**/*.njk'] },
  ],
  assets: [
    { from: join(projectRoot, 'src', 'web', 'assets'), to: bundleLayout.ownAssets, include: ['*'] },
    {
      from: join(projectRoot, 'node_modules', '@simplewebauthn', 'browser', 'dist', 'bundle'),
      to: bundleLayout.simpleWebAuthnBrowser,
      include: ['index.umd.min.js'],
    },
    {
      from: nhsukFrontendDist,
      to: nhsukFrontendInBundle,
      include: ['nhsuk-frontend.min.css', 'nhsuk-frontend.min.js', 'assets/**'],
    },
  ],
  'common-passwords': [
    {
      from: join(projectRoot, 'src', 'adapters', 'files'),
      to: '.',
      include: [bundleLayout.commonPasswords],
    },
  ],
};

/** The script the bundling hook runs, with Node: `copy-into-bundle.ts <bundle folder> <JSON FileCopy[]>`. */
export const copyIntoBundleScript = join(projectRoot, 'lib', 'copy-into-bundle.ts');

/** A POSIX shell word: the bundling hook's commands run in `bash -c`. */
const shellWord = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/**
 * The command that copies a function's bundled files into its bundle, run after esbuild with the
 * Node that runs the CDK app. It only reads files from this working copy, so synthesis stays offline.
 */
export const copyBundledFilesCommand = (kinds: readonly BundledFiles[], outputDir: string): string =>
  [
    process.execPath,
    copyIntoBundleScript,
    outputDir,
    JSON.stringify(kinds.flatMap((kind) => bundledFileCopies[kind])),
  ]
    .map(shellWord)
    .join(' ');

import { fileURLToPath } from 'node:url';

/**
 * Where the files a function reads at run time sit in its bundle, relative to `index.mjs`: the
 * stack copies them there (for the functions whose spec lists them in `bundledFiles`) and the
 * Lambda composition root reads them from there.
 */
export const bundleLayout = {
  /** Our Nunjucks views (`src/web/views`). */
  views: 'views',
  /** The folder holding nhsuk-frontend's `nhsuk/` (a copy of its `dist/nhsuk`): the templates' second root. */
  nhsukFrontend: 'nhsuk-frontend',
  /** Our own client files (`src/web/assets`). */
  ownAssets: 'assets',
  /** @simplewebauthn/browser's browser bundle (its `dist/bundle`). */
  simpleWebAuthnBrowser: 'simplewebauthn-browser',
  /** The common-password list (`src/adapters/files/common-passwords.txt`). */
  commonPasswords: 'common-passwords.txt',
} as const;

/**
 * A file beside the running bundle: bundled into `index.mjs`, every module's URL is the bundle's,
 * so a path relative to it is a path inside the bundle folder.
 */
export const inBundle = (path: string): URL => new URL(`./${path}`, import.meta.url);
export const inBundlePath = (path: string): string => fileURLToPath(inBundle(path));

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotFoundError } from '../domain/errors.ts';
import { bundleLayout, inBundlePath } from '../platform/bundle-files.ts';
import { defineRoute, type RouteDefinition } from '../platform/http/http-handler.ts';

export interface StaticAsset {
  /** Absolute path of the file to serve. */
  readonly file: string;
  readonly contentType: string;
  /** Binary files travel base64-encoded through API Gateway. */
  readonly binary: boolean;
}

/**
 * Where the files come from: nhsuk-frontend's `dist/nhsuk` folder, our own `src/web/assets`, and
 * the folder of @simplewebauthn/browser's browser bundle (`dist/bundle`), for the passkey pages.
 */
export interface AssetRoots {
  readonly nhsukFrontend: string;
  readonly ownAssets: string;
  readonly simpleWebAuthnBrowser: string;
}

const types: Record<string, { contentType: string; binary: boolean }> = {
  css: { contentType: 'text/css; charset=utf-8', binary: false },
  js: { contentType: 'text/javascript; charset=utf-8', binary: false },
  json: { contentType: 'application/manifest+json; charset=utf-8', binary: false },
  svg: { contentType: 'image/svg+xml', binary: false },
  png: { contentType: 'image/png', binary: true },
  ico: { contentType: 'image/x-icon', binary: true },
};

/** The roots in a Lambda bundle, where the stack copied the files (`bundledFiles: ['assets']`). */
export const bundledAssetRoots = (): AssetRoots => ({
  nhsukFrontend: inBundlePath(`${bundleLayout.nhsukFrontend}/nhsuk`),
  ownAssets: inBundlePath(bundleLayout.ownAssets),
  simpleWebAuthnBrowser: inBundlePath(bundleLayout.simpleWebAuthnBrowser),
});

const asset = (file: string): StaticAsset | undefined => {
  const type = types[file.split('.').pop() ?? ''];
  return type && { file, ...type };
};

/**
 * Every file the pages may ask for under /assets/, by its path there. Only files listed here are
 * ever served, so no request path can reach anything else on disk.
 */
export const loadAssetCatalogue = (roots: AssetRoots): ReadonlyMap<string, StaticAsset> => {
  const entries: [string, string][] = [
    ['nhsuk-frontend.min.css', join(roots.nhsukFrontend, 'nhsuk-frontend.min.css')],
    ['nhsuk-frontend.min.js', join(roots.nhsukFrontend, 'nhsuk-frontend.min.js')],
    ['manifest.json', join(roots.nhsukFrontend, 'assets', 'manifest.json')],
    ['simplewebauthn-browser.js', join(roots.simpleWebAuthnBrowser, 'index.umd.min.js')],
    ...readdirSync(join(roots.nhsukFrontend, 'assets', 'images')).map((name): [string, string] => [
      `images/${name}`,
      join(roots.nhsukFrontend, 'assets', 'images', name),
    ]),
    ...readdirSync(roots.ownAssets).map((name): [string, string] => [name, join(roots.ownAssets, name)]),
  ];
  return new Map(
    entries.flatMap(([path, file]) => {
      const found = asset(file);
      return found ? [[path, found] as const] : [];
    }),
  );
};

/**
 * The route that serves the catalogue's files by their `{path+}`: each read once per container
 * and then kept in memory (the patients' assets function, and the review console's own).
 */
export const staticAssetRoute = (assets: ReadonlyMap<string, StaticAsset>): RouteDefinition => {
  const bodies = new Map<string, Promise<string>>();
  const bodyOf = (asset: StaticAsset): Promise<string> => {
    let body = bodies.get(asset.file);
    if (!body) {
      body = readFile(asset.file).then((content) => content.toString(asset.binary ? 'base64' : 'utf8'));
      bodies.set(asset.file, body);
    }
    return body;
  };
  return defineRoute({
    handle: async ({ event }) => {
      const asset = assets.get(event.pathParameters?.path ?? '');
      if (!asset) throw new NotFoundError('No such file.');
      return {
        statusCode: 200,
        headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' },
        body: await bodyOf(asset),
        isBase64Encoded: asset.binary,
      };
    },
  });
};

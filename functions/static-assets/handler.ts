import { readFile } from 'node:fs/promises';
import { NotFoundError } from '../../src/domain/errors.ts';
import { createHttpHandler, defineRoute } from '../../src/platform/http/http-handler.ts';
import type { HttpHandler } from '../../src/platform/http/http-types.ts';
import type { Logger } from '../../src/platform/logger.ts';
import type { StaticAsset } from '../../src/web/static-assets.ts';

export interface StaticAssetsDependencies {
  readonly assets: ReadonlyMap<string, StaticAsset>;
  readonly logger: Logger;
}

/** Serves the design system's files; each is read once per container and then kept in memory. */
export const createHandler = (deps: StaticAssetsDependencies): HttpHandler => {
  const bodies = new Map<string, Promise<string>>();
  const bodyOf = (asset: StaticAsset): Promise<string> => {
    let body = bodies.get(asset.file);
    if (!body) {
      body = readFile(asset.file).then((content) => content.toString(asset.binary ? 'base64' : 'utf8'));
      bodies.set(asset.file, body);
    }
    return body;
  };

  return createHttpHandler({
    functionName: 'static-assets',
    logger: deps.logger,
    routes: {
      'static-asset': defineRoute({
        handle: async ({ event }) => {
          const asset = deps.assets.get(event.pathParameters?.path ?? '');
          if (!asset) throw new NotFoundError('No such file.');
          return {
            statusCode: 200,
            headers: { 'content-type': asset.contentType, 'cache-control': 'public, max-age=86400' },
            body: await bodyOf(asset),
            isBase64Encoded: asset.binary,
          };
        },
      }),
    },
  });
};

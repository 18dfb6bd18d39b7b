import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLocalHandlers } from '../../src/local/local-handlers.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { functionSpecs, routeKey, routes } from '../../src/routes.ts';

describe('the route table', () => {
  it('has unique route ids and unique method-path pairs', () => {
    expect(new Set(routes.map((route) => route.id)).size).toBe(routes.length);
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
  });

  it('gives every function at least one route and every route a known function', () => {
    const routed = new Set(routes.map((route) => route.function));
    expect([...routed].sort()).toEqual(Object.keys(functionSpecs).sort());
  });

  it('routes every function folder, and every function has a folder', () => {
    const folders = readdirSync(new URL('../../functions', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(Object.keys(functionSpecs).sort());
  });

  it('is fully served by the local composition root', () => {
    const handlers = createLocalHandlers({
      issuer: 'http://localhost:3000',
      signer: { sign: async () => '', jwks: async () => ({ keys: [] }) },
      logger: createLogger('SILENT'),
    });
    expect(Object.keys(handlers).sort()).toEqual(Object.keys(functionSpecs).sort());
  });
});

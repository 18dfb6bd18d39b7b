import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type RouteId, routes, urlFor } from '../../src/routes.ts';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
const filesUnder = (pattern: string) =>
  globSync(pattern, { cwd: projectRoot }).map((path) => ({
    path,
    text: readFileSync(join(projectRoot, path), 'utf8'),
  }));

const routeIds = new Set<string>(routes.map((route) => route.id));
const pagePaths = new Set<string>(routes.map((route) => route.path));

describe('links to our pages', () => {
  it('builds a page URL from its route id, with a query of the values given', () => {
    // Act
    const url = urlFor('settings-reauthenticate', { for: 'phone', left: undefined });

    // Assess
    expect(url).toBe('/settings/confirm-it-is-you?for=phone');
    expect(urlFor('login')).toBe('/login');
  });

  it('refuses a route whose path has parameters to fill', () => {
    // Act
    const build = () => urlFor('static-asset');

    // Assess
    expect(build).toThrow('The route static-asset has path parameters');
  });

  it('are named by route ids of the route table in every view', () => {
    // Prepare
    const views = filesUnder('src/web/views/**/*.njk');

    // Act
    const named = views.flatMap(({ path, text }) =>
      [...text.matchAll(/urlFor\('([^']+)'/g)].map((match) => ({ path, id: match[1] ?? '' })),
    );

    // Assess
    expect(named.length).toBeGreaterThan(25);
    expect(named.filter(({ id }) => !routeIds.has(id))).toEqual([]);
  });

  it('are never typed as paths in a view, only named (the styles and scripts are files, not pages)', () => {
    // Act
    const typed = filesUnder('src/web/views/**/*.njk').flatMap(({ path, text }) =>
      [...text.matchAll(/(?:href|action|src)\s*[=:]\s*["'](\/[^"'{]*)["']/g)]
        .map((match) => match[1] ?? '')
        .filter((url) => !url.startsWith('/assets/'))
        .map((url) => `${path}: ${url}`),
    );

    // Assess
    expect(typed).toEqual([]);
  });

  it('are never typed as paths in the code of the pages, the services or the domain', () => {
    // Prepare: a quoted string that is exactly one of our pages' paths, with or without a query
    const sources = filesUnder('{functions,src/domain,src/web,src/wiring}/**/*.ts');

    // Act
    const typed = sources.flatMap(({ path, text }) =>
      [...text.matchAll(/['`](\/[a-z][a-z/_-]*)(?:[?'`])/g)]
        .map((match) => match[1] ?? '')
        .filter((url) => pagePaths.has(url))
        .map((url) => `${path}: ${url}`),
    );

    // Assess
    expect(sources.length).toBeGreaterThan(50);
    expect(typed).toEqual([]);
  });

  it('in emails are built from route ids by the services (the domain names the page, never its path)', () => {
    // Act
    const named = filesUnder('src/domain/**/*.ts').flatMap(({ text }) =>
      [...text.matchAll(/pageUrl\('([^']+)'/g)].map((match) => match[1] as RouteId),
    );

    // Assess
    expect(new Set(named)).toEqual(
      new Set([
        'register',
        'register-confirm',
        'password-forgotten',
        'password-reset',
        'unlock-confirm',
        'settings-email-confirm',
        'settings-email-report',
        'settings-phone-cancel',
      ]),
    );
    expect(named.filter((id) => !routeIds.has(id))).toEqual([]);
  });
});

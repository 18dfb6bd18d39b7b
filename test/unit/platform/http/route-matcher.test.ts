import { describe, expect, it } from 'vitest';
import { explainUnmatched, matchRoute } from '../../../../src/platform/http/route-matcher.ts';
import type { RouteSpec } from '../../../../src/routes.ts';

const table: RouteSpec[] = [
  { id: 'jwks', method: 'GET', path: '/.well-known/jwks.json', function: 'openid-metadata' },
  { id: 'item', method: 'GET', path: '/items/{itemId}', function: 'openid-metadata' },
  { id: 'files', method: 'GET', path: '/files/{path+}', function: 'openid-metadata' },
];

describe('matchRoute', () => {
  it('matches an exact path and method', () => {
    expect(matchRoute(table, 'GET', '/.well-known/jwks.json')).toMatchObject({
      kind: 'matched',
      routeKey: 'GET /.well-known/jwks.json',
    });
  });

  it('does not match another method on the same path', () => {
    expect(matchRoute(table, 'POST', '/.well-known/jwks.json')).toEqual({ kind: 'not-found' });
  });

  it('captures a path parameter, decoded', () => {
    expect(matchRoute(table, 'GET', '/items/a%20b')).toMatchObject({ pathParameters: { itemId: 'a b' } });
  });

  it('captures the rest of the path with a greedy parameter', () => {
    expect(matchRoute(table, 'GET', '/files/a/b/c')).toMatchObject({ pathParameters: { path: 'a/b/c' } });
  });

  it('does not match a longer or shorter path', () => {
    expect(matchRoute(table, 'GET', '/items/1/extra')).toEqual({ kind: 'not-found' });
    expect(matchRoute(table, 'GET', '/items')).toEqual({ kind: 'not-found' });
  });

  it.each([
    ['an encoded slash', '/items/a%2Fb'],
    ['a parent segment', '/items/..'],
    ['an encoded parent segment', '/items/%2E%2E'],
    ['a backslash', '/items/a%5Cb'],
    ['a NUL byte', '/items/a%00'],
  ])('refuses a path parameter with %s', (_label, path) => {
    expect(matchRoute(table, 'GET', path)).toEqual({ kind: 'not-found' });
  });

  it('refuses a greedy parameter that climbs out of its folder', () => {
    expect(matchRoute(table, 'GET', '/files/images/../../secret')).toEqual({ kind: 'not-found' });
  });
});

describe('explainUnmatched', () => {
  const pages: RouteSpec[] = [
    { id: 'login', method: 'GET', path: '/login', function: 'login-pages' },
    { id: 'login-submit', method: 'POST', path: '/login', function: 'login-pages' },
    { id: 'start', method: 'GET', path: '/', function: 'registration-pages' },
    { id: 'files', method: 'GET', path: '/files/{path+}', function: 'static-assets' },
  ];

  it('redirects a trailing slash or capitals to the route the canonical form takes', () => {
    expect(explainUnmatched(pages, 'GET', '/login/')).toEqual({ kind: 'redirect', path: '/login' });
    expect(explainUnmatched(pages, 'POST', '/LOGIN')).toEqual({ kind: 'redirect', path: '/login' });
  });

  it('lists the methods a path takes when the method is not one of them', () => {
    expect(explainUnmatched(pages, 'PUT', '/login')).toMatchObject({
      kind: 'method-not-allowed',
      allow: ['GET', 'POST'],
    });
    expect(explainUnmatched(pages, 'DELETE', '/files/a/b')).toMatchObject({ allow: ['GET'] });
  });

  it('finds nothing for a path no route takes in any form', () => {
    expect(explainUnmatched(pages, 'GET', '/logins')).toEqual({ kind: 'not-found' });
    expect(explainUnmatched(pages, 'PUT', '/login/')).toEqual({ kind: 'not-found' });
  });

  it.each([
    '//attacker.example/',
    '//attacker.example//',
    '/\\attacker.example/',
    '/x/../login/',
    '/%E0%A4%A/',
  ])('never redirects %s, which no route takes as written', (path) => {
    expect(explainUnmatched(pages, 'GET', path)).toEqual({ kind: 'not-found' });
  });
});

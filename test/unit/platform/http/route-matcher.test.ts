import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../../../src/platform/http/route-matcher.ts';
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

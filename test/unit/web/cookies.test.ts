import { describe, expect, it } from 'vitest';
import { cookieName, readCookie, serializeCookie } from '../../../src/web/cookies.ts';

describe('cookies', () => {
  it('sets HttpOnly, SameSite=Lax, Path=/ and no Domain, with Secure when asked', () => {
    expect(serializeCookie('__Host-session', 'abc', { secure: true })).toBe(
      '__Host-session=abc; Path=/; HttpOnly; SameSite=Lax; Secure',
    );
    expect(serializeCookie('session', 'abc', { secure: false, maxAgeSeconds: 60 })).toBe(
      'session=abc; Path=/; HttpOnly; SameSite=Lax; Max-Age=60',
    );
  });

  it('uses the __Host- prefix only for Secure cookies, as browsers require', () => {
    expect(cookieName('session', true)).toBe('__Host-session');
    expect(cookieName('session', false)).toBe('session');
  });

  it('reads the first cookie of a name and ignores look-alikes', () => {
    const cookies = ['xsession=evil', 'session=first', 'session=second', 'other=1'];
    expect(readCookie(cookies, 'session')).toBe('first');
    expect(readCookie(cookies, 'missing')).toBeUndefined();
    expect(readCookie(undefined, 'session')).toBeUndefined();
  });
});

/** Reads one cookie from the API Gateway v2 `cookies` array (the first wins, as browsers send the most specific first). */
export const readCookie = (cookies: readonly string[] | undefined, name: string): string | undefined => {
  for (const cookie of cookies ?? []) {
    const separator = cookie.indexOf('=');
    if (separator > 0 && cookie.slice(0, separator).trim() === name)
      return cookie.slice(separator + 1).trim();
  }
  return undefined;
};

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. Omitted, the cookie lasts for the browser session. */
  readonly maxAgeSeconds?: number;
  /** Secure (and so `__Host-` names) everywhere but plain-http localhost. */
  readonly secure: boolean;
  /** Lax unless given: Strict where no link from elsewhere should arrive logged in (the review console). */
  readonly sameSite?: 'Lax' | 'Strict';
}

/**
 * A `Set-Cookie` value: always HttpOnly, SameSite (Lax unless asked), Path=/ and no Domain, so that with
 * Secure it meets the `__Host-` prefix rules.
 */
export const serializeCookie = (name: string, value: string, options: CookieOptions): string =>
  [
    `${name}=${value}`,
    'Path=/',
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Lax'}`,
    ...(options.secure ? ['Secure'] : []),
    ...(options.maxAgeSeconds !== undefined ? [`Max-Age=${options.maxAgeSeconds}`] : []),
  ].join('; ');

/** `__Host-` binds a cookie to our exact origin; browsers accept that prefix only on Secure cookies. */
export const cookieName = (base: string, secure: boolean): string => (secure ? `__Host-${base}` : base);

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.ts';

/** A browser the patient asked us to remember, so it skips the security code (never the password). */
export interface RememberedDevice {
  readonly accountId: string;
  readonly deviceId: string;
  /** SHA-256 of the cookie's secret; the secret itself is only ever in the cookie. */
  readonly secretDigest: string;
  /** A description for the settings page, from the browser's user agent. */
  readonly label: string;
  readonly createdAt: string;
  readonly lastUsedAt: string;
  /** Forgotten after this time (refreshed each time it is used). */
  readonly expiresAt: string;
}

export interface DeviceStore {
  save(device: RememberedDevice): Promise<void>;
  find(accountId: string, deviceId: string): Promise<RememberedDevice | undefined>;
  list(accountId: string): Promise<RememberedDevice[]>;
  /** False when the account has no such device (nothing is removed). */
  remove(accountId: string, deviceId: string): Promise<boolean>;
  removeAll(accountId: string): Promise<void>;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();
const COOKIE_PATTERN = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/;
const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/**
 * Remembered devices: the cookie holds a device id and a 256-bit secret; the record holds the
 * secret's digest, so the cookie cannot be forged or replayed once the record is gone.
 */
export class RememberedDevices {
  readonly #store: DeviceStore;
  readonly #clock: Clock;
  readonly #lifetimeSeconds: number;

  constructor(options: { store: DeviceStore; clock: Clock; lifetimeSeconds: number }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#lifetimeSeconds = options.lifetimeSeconds;
  }

  /** Remembers this browser for the account; returns the cookie value to set. */
  async remember(accountId: string, label: string): Promise<string> {
    const deviceId = randomBytes(16).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const now = this.#clock();
    await this.#store.save({
      accountId,
      deviceId,
      secretDigest: digest(secret).toString('base64url'),
      label,
      createdAt: now.toISOString(),
      lastUsedAt: now.toISOString(),
      expiresAt: this.#expiryFrom(now),
    });
    return `${deviceId}.${secret}`;
  }

  /** A remembered device the patient has just logged in with: its life starts afresh (one write). */
  async use(device: RememberedDevice): Promise<void> {
    const now = this.#clock();
    await this.#store.save({ ...device, lastUsedAt: now.toISOString(), expiresAt: this.#expiryFrom(now) });
  }

  /**
   * The remembered device of this account the cookie is, without using it (a login not yet past
   * its password must not keep a device alive). One read whenever a cookie is given, whatever the
   * account, so the time taken says nothing about the account.
   */
  async identify(accountId: string, cookieValue: string | undefined): Promise<RememberedDevice | undefined> {
    return this.#find(accountId, cookieValue);
  }

  async #find(accountId: string, cookieValue: string | undefined): Promise<RememberedDevice | undefined> {
    const match = COOKIE_PATTERN.exec(cookieValue ?? '');
    if (!match) return undefined;
    const [, deviceId, secret] = match as unknown as [string, string, string];
    const device = await this.#store.find(accountId, deviceId);
    if (!device || new Date(device.expiresAt) <= this.#clock()) return undefined;
    const expected = Buffer.from(device.secretDigest, 'base64url');
    const given = digest(secret);
    return expected.length === given.length && timingSafeEqual(expected, given) ? device : undefined;
  }

  list(accountId: string): Promise<RememberedDevice[]> {
    return this.#store.list(accountId);
  }

  /** False when the account has no such device, or the id is not one we could have made. */
  async forget(accountId: string, deviceId: string): Promise<boolean> {
    if (!DEVICE_ID_PATTERN.test(deviceId)) return false;
    return this.#store.remove(accountId, deviceId);
  }

  /** After a password reset every remembered device must ask for a code again. */
  forgetAll(accountId: string): Promise<void> {
    return this.#store.removeAll(accountId);
  }

  get lifetimeSeconds(): number {
    return this.#lifetimeSeconds;
  }

  #expiryFrom(now: Date): string {
    return new Date(now.getTime() + this.#lifetimeSeconds * 1000).toISOString();
  }
}

/** A short description of a browser from its user agent, e.g. "Chrome on Android". */
export const describeUserAgent = (userAgent: string | undefined): string => {
  const ua = userAgent ?? '';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Firefox\//.test(ua)
      ? 'Firefox'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : 'A browser';
  const system = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : 'an unknown system';
  return `${browser} on ${system}`;
};

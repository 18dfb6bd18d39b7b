import { createHash, randomBytes } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock.ts';
import type { BrowserSession, SessionStore } from './browser-session.ts';

export interface SessionTimeouts {
  /** Seconds without a request before the session ends. */
  readonly idleSeconds: number;
  /** Seconds after the start at which the session ends whatever happens. */
  readonly absoluteSeconds: number;
  /** Seconds after its last write in which an unchanged session is not written again just to mark it seen. */
  readonly touchIntervalSeconds?: number;
}

export type SessionLookup =
  | { readonly kind: 'active'; readonly session: BrowserSession }
  | { readonly kind: 'expired' }
  | { readonly kind: 'none' };

const hashId = (id: string): string => createHash('sha256').update(id).digest('base64url');

/** Starts, resumes, saves, renews and ends browser sessions, enforcing idle and absolute timeouts. */
export class Sessions {
  readonly #store: SessionStore;
  readonly #clock: Clock;
  readonly #timeouts: SessionTimeouts;
  readonly #randomId: () => string;

  constructor(options: {
    store: SessionStore;
    clock: Clock;
    timeouts: SessionTimeouts;
    randomId?: () => string;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#timeouts = options.timeouts;
    this.#randomId = options.randomId ?? (() => randomBytes(32).toString('base64url'));
  }

  /** The session behind a cookie value, if it is still within both timeouts. */
  async resume(id: string | undefined): Promise<SessionLookup> {
    if (!id || id.length > 100) return { kind: 'none' };
    const session = await this.#store.find(hashId(id));
    if (!session) return { kind: 'expired' };
    const now = epochSeconds(this.#clock());
    const idleEnd = session.lastSeenAt + this.#timeouts.idleSeconds;
    const absoluteEnd = session.createdAt + this.#timeouts.absoluteSeconds;
    if (now >= idleEnd || now >= absoluteEnd) return { kind: 'expired' };
    return { kind: 'active', session };
  }

  /** A new, unauthenticated session and the id to put in the cookie. */
  start(): { id: string; session: BrowserSession } {
    const now = epochSeconds(this.#clock());
    return {
      id: this.#randomId(),
      session: {
        csrfToken: randomBytes(32).toString('base64url'),
        createdAt: now,
        lastSeenAt: now,
        journey: {},
      },
    };
  }

  /**
   * Saves the session as seen now; the store deletes it once either timeout has passed. An
   * existing session that was ended meanwhile is not written back (SessionEndedError).
   */
  async save(
    id: string,
    session: BrowserSession,
    options: { isNew?: boolean } = {},
  ): Promise<BrowserSession> {
    const now = epochSeconds(this.#clock());
    const saved = { ...session, lastSeenAt: now };
    await this.#store.save(hashId(id), saved, this.#expiresAt(session, now), options.isNew ?? false);
    return saved;
  }

  /** When the store may delete the session: at the first of its two timeouts. */
  #expiresAt(session: BrowserSession, now: number): number {
    return Math.min(now + this.#timeouts.idleSeconds, session.createdAt + this.#timeouts.absoluteSeconds);
  }

  /**
   * Moves the session to a new id (after a login, so an id planted before it is worthless) with
   * a new CSRF token; the old id stops working.
   */
  async renew(
    oldId: string | undefined,
    session: BrowserSession,
  ): Promise<{ id: string; session: BrowserSession }> {
    const id = this.#randomId();
    const now = epochSeconds(this.#clock());
    const renewed = { ...session, csrfToken: randomBytes(32).toString('base64url'), lastSeenAt: now };
    await this.#store.replace(oldId && hashId(oldId), hashId(id), renewed, this.#expiresAt(session, now));
    return { id, session: renewed };
  }

  /**
   * Marks an unchanged session as seen now, by saving it, unless it was saved within the touch
   * interval: most page views then cost no write. Returns the session as it now stands.
   */
  async touch(id: string, session: BrowserSession): Promise<BrowserSession> {
    const now = epochSeconds(this.#clock());
    if (now - session.lastSeenAt < (this.#timeouts.touchIntervalSeconds ?? 0)) return session;
    return this.save(id, session);
  }

  async end(id: string): Promise<void> {
    await this.#store.delete(hashId(id));
  }

  /** Ends the account's sessions that were logged in on a remembered device (when it is removed). */
  async endAllOnDevice(accountId: string, deviceId: string): Promise<void> {
    await this.#store.deleteForDevice(accountId, deviceId);
  }

  /** Ends the account's sessions that were logged in with a passkey (when it is removed: a lost device's). */
  async endAllWithPasskey(accountId: string, credentialId: string): Promise<void> {
    await this.#store.deleteForPasskey(accountId, credentialId);
  }

  async endAllFor(accountId: string): Promise<void> {
    await this.#store.deleteForAccount(accountId);
  }
}

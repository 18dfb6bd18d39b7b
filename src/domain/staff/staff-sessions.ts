import { createHash, randomBytes } from 'node:crypto';
import { type Clock, epochSeconds } from '../clock.ts';
import type { Limits } from '../limits/limits.ts';

/** A review console session: server-side, behind a random id in the console's own cookie. */
export interface StaffSession {
  readonly csrfToken: string;
  /** Epoch seconds. */
  readonly createdAt: number;
  readonly lastSeenAt: number;
  /** The password was right: the authenticator code is next, until `until` (epoch seconds). */
  readonly pendingLogin?: { readonly staffId: string; readonly until: number };
  /** Logged in with password and code. */
  readonly staffId?: string;
  /** The account's credentials version at the login: a reset since then ends the session. */
  readonly credentialsVersion?: number;
}

/** Where console sessions are kept, by the digest of their id, apart from the patients' sessions. */
export interface StaffSessionStore {
  find(idHash: string): Promise<StaffSession | undefined>;
  save(idHash: string, session: StaffSession, expiresAt: number): Promise<void>;
  delete(idHash: string): Promise<void>;
}

const hashId = (id: string): string => createHash('sha256').update(id).digest('base64url');
const newToken = () => randomBytes(32).toString('base64url');

type Timeouts = Pick<Limits, 'staffSessionIdleSeconds' | 'staffSessionAbsoluteSeconds'>;

/**
 * Starts, resumes, saves and ends console sessions: shorter than a patient's (15 minutes idle, a
 * shift at most, `docs/limits.md`), and a new id and CSRF token at each step of the login.
 */
export class StaffSessions {
  readonly #store: StaffSessionStore;
  readonly #clock: Clock;
  readonly #timeouts: Timeouts;

  constructor(options: { store: StaffSessionStore; clock: Clock; timeouts: Timeouts }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#timeouts = options.timeouts;
  }

  /** The session behind a cookie value, if it is within both timeouts. */
  async resume(id: string | undefined): Promise<StaffSession | undefined> {
    if (!id || id.length > 100) return undefined;
    const session = await this.#store.find(hashId(id));
    if (!session) return undefined;
    const now = epochSeconds(this.#clock());
    if (now >= session.lastSeenAt + this.#timeouts.staffSessionIdleSeconds) return undefined;
    if (now >= session.createdAt + this.#timeouts.staffSessionAbsoluteSeconds) return undefined;
    return session;
  }

  /** A new session, not logged in, and its id. */
  start(): { id: string; session: StaffSession } {
    const now = epochSeconds(this.#clock());
    return { id: newToken(), session: { csrfToken: newToken(), createdAt: now, lastSeenAt: now } };
  }

  /** Saves the session as seen now. */
  async save(id: string, session: StaffSession): Promise<StaffSession> {
    const now = epochSeconds(this.#clock());
    const saved = { ...session, lastSeenAt: now };
    await this.#store.save(hashId(id), saved, this.#expiresAt(saved, now));
    return saved;
  }

  /**
   * Moves the session to a new id and CSRF token (after the password, and again after the code),
   * so an id planted before the login is worthless; the old id stops working. The renewed session
   * starts its timeouts again: it is a new session.
   */
  async renew(
    oldId: string | undefined,
    session: StaffSession,
  ): Promise<{ id: string; session: StaffSession }> {
    const now = epochSeconds(this.#clock());
    const id = newToken();
    const renewed = { ...session, csrfToken: newToken(), createdAt: now, lastSeenAt: now };
    await this.#store.save(hashId(id), renewed, this.#expiresAt(renewed, now));
    if (oldId) await this.#store.delete(hashId(oldId));
    return { id, session: renewed };
  }

  async end(id: string): Promise<void> {
    await this.#store.delete(hashId(id));
  }

  #expiresAt(session: StaffSession, now: number): number {
    return Math.min(
      now + this.#timeouts.staffSessionIdleSeconds,
      session.createdAt + this.#timeouts.staffSessionAbsoluteSeconds,
    );
  }
}

/** Locks keys (an account's password entry, its code entry) until a given time. */
export interface Lockouts {
  /** Locks `id` in `scope` until `until`, replacing any lock it has. */
  lock(scope: string, id: string, until: Date): Promise<void>;
  /** When the lock on `id` ends, or undefined when it is not locked. */
  lockedUntil(scope: string, id: string): Promise<Date | undefined>;
  /** Lifts the lock on `id`, if any (e.g. support unlocking an account). */
  clear(scope: string, id: string): Promise<void>;
}

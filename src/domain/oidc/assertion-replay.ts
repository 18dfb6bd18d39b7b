/**
 * Remembers the `jti` of every client assertion accepted, for as long as the assertion could be
 * accepted, so each one is used once (RFC 7523 section 3, item 7).
 */
export interface AssertionReplayStore {
  /**
   * Claims one client's `jti` until `expiresAt`, atomically: true the first time, false for a
   * replay. A claim whose time has passed may be made again.
   */
  claim(clientId: string, jti: string, expiresAt: Date): Promise<boolean>;
}

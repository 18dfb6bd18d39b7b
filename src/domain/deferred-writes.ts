/** The work of one request, done, and the writes it left for its end, still to be made. */
export interface CollectedWork<T> {
  readonly outcome: PromiseSettledResult<T>;
  /** Makes the writes the work left, all in one store call; nothing when it left none. */
  write(): Promise<void>;
}

/**
 * Where a request's writes that can wait for the end of its work are kept, to be made together:
 * its audit events and, at the token endpoint, the login identity it issued. A login's "code
 * verified", "device remembered" and "logged in" then cost one call, or none of their own when
 * the request writes its session (the store carries them in the session's call).
 */
export interface WriteCollector {
  /**
   * Runs `work`, keeping the writes it defers (however deep) until `write` is called; the caller
   * must call it whether the work succeeded or failed, since a refusal is audited too.
   */
  collect<T>(work: () => Promise<T>): Promise<CollectedWork<T>>;
}

/** A collector that keeps nothing back: each write is made as the work makes it. */
export const writeAtOnce: WriteCollector = {
  collect: async <T>(work: () => Promise<T>): Promise<CollectedWork<T>> => {
    const [outcome] = await Promise.allSettled([work()]);
    return { outcome, write: async () => {} };
  },
};

/**
 * Counts consecutive failures per key, forgetting them `memorySeconds` after the latest one: each
 * failure keeps the earlier ones alive, so failures spread over time still add up, while a key
 * left alone for that long starts again from nothing.
 */
export interface FailureCounter {
  /** Counts one failure for `id` in `scope` and returns the failures counted, this one included. */
  add(scope: string, id: string, memorySeconds: number): Promise<number>;
  /** Forgets the failures of `id` in `scope` (after a success). */
  clear(scope: string, id: string): Promise<void>;
}

import type { Clock } from '../clock.ts';
import type { ClientStore, RelyingPartyClient } from './relying-party-client.ts';

interface Cached {
  readonly client: RelyingPartyClient | undefined;
  readonly until: number;
}

/**
 * Relying-party clients kept in memory for a short while, per container: a busy relying party is
 * read from the store once a minute, not two or three times a login, so its item never becomes a
 * hot key. A client registered, changed or removed elsewhere takes effect here within the time
 * to live (`clientCacheSeconds`); through this store, at once. Unknown ids are remembered too, in
 * a bounded number, so made-up ids cannot fill memory or reach the store on every request.
 */
export class CachingClientStore implements ClientStore {
  readonly #store: ClientStore;
  readonly #clock: Clock;
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #cache = new Map<string, Cached>();

  constructor(options: { store: ClientStore; clock: Clock; ttlSeconds: number; maxEntries?: number }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  async find(clientId: string): Promise<RelyingPartyClient | undefined> {
    const now = this.#clock().getTime();
    const cached = this.#cache.get(clientId);
    if (cached && cached.until > now) return cached.client;
    const client = await this.#store.find(clientId);
    this.#cache.delete(clientId);
    // The oldest entry goes first: a Map keeps insertion order.
    if (this.#cache.size >= this.#maxEntries) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(clientId, { client, until: now + this.#ttlMs });
    return client;
  }

  async create(client: RelyingPartyClient): Promise<void> {
    this.#cache.delete(client.clientId);
    await this.#store.create(client);
  }

  list(): Promise<RelyingPartyClient[]> {
    return this.#store.list();
  }

  async remove(clientId: string): Promise<void> {
    this.#cache.delete(clientId);
    await this.#store.remove(clientId);
  }
}

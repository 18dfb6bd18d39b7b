import { describe, expect, it } from 'vitest';
import { CachingClientStore } from '../../../../src/domain/clients/caching-client-store.ts';
import type { ClientStore, RelyingPartyClient } from '../../../../src/domain/clients/relying-party-client.ts';

const client = (clientId: string, name = 'GP appointments'): RelyingPartyClient => ({
  clientId,
  name,
  redirectUris: ['https://service.example/callback'],
  publicKeys: [],
  scopes: ['openid'],
  vectorsOfTrust: ['P0.Cp.Cd'],
  allowRegistration: true,
  pkceRequired: false,
  refreshTokens: false,
  createdAt: '2026-11-22T10:00:00Z',
});

/** An in-memory store that counts its look-ups: the unit under test is the cache in front of it. */
const countingStore = () => {
  const clients = new Map<string, RelyingPartyClient>();
  let finds = 0;
  const store: ClientStore = {
    create: async (value) => void clients.set(value.clientId, value),
    find: async (clientId) => {
      finds += 1;
      return clients.get(clientId);
    },
    list: async () => [...clients.values()],
    remove: async (clientId) => void clients.delete(clientId),
  };
  return { store, clients, finds: () => finds };
};

const setup = (maxEntries?: number) => {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const backing = countingStore();
  const cache = new CachingClientStore({
    store: backing.store,
    clock: () => new Date(now),
    ttlSeconds: 60,
    ...(maxEntries ? { maxEntries } : {}),
  });
  return { cache, backing, advance: (seconds: number) => (now += seconds * 1000) };
};

describe('CachingClientStore', () => {
  it('reads a client from the store once within the time to live', async () => {
    // Prepare
    const { cache, backing, advance } = setup();
    backing.clients.set('gp-app', client('gp-app'));

    // Act
    const first = await cache.find('gp-app');
    advance(59);
    const second = await cache.find('gp-app');

    // Assess
    expect(second).toEqual(first);
    expect(backing.finds()).toBe(1);
  });

  it('sees a change made elsewhere once the time to live has passed', async () => {
    // Prepare
    const { cache, backing, advance } = setup();
    backing.clients.set('gp-app', client('gp-app'));
    await cache.find('gp-app');
    backing.clients.set('gp-app', client('gp-app', 'Renamed service'));

    // Act
    advance(60);
    const changed = await cache.find('gp-app');

    // Assess
    expect(changed?.name).toBe('Renamed service');
    expect(backing.finds()).toBe(2);
  });

  it('forgets a client removed through it at once', async () => {
    // Prepare
    const { cache, backing } = setup();
    backing.clients.set('gp-app', client('gp-app'));
    await cache.find('gp-app');

    // Act
    await cache.remove('gp-app');

    // Assess
    expect(await cache.find('gp-app')).toBeUndefined();
  });

  it('finds a client created through it at once, though its id was looked up before', async () => {
    // Prepare
    const { cache } = setup();
    expect(await cache.find('new-app')).toBeUndefined();

    // Act
    await cache.create(client('new-app'));

    // Assess
    expect((await cache.find('new-app'))?.clientId).toBe('new-app');
  });

  it('remembers unknown ids in a bounded number, the oldest forgotten first', async () => {
    // Prepare
    const { cache, backing } = setup(2);

    // Act
    await cache.find('made-up-1');
    await cache.find('made-up-2');
    await cache.find('made-up-3');
    await cache.find('made-up-3');
    await cache.find('made-up-1');

    // Assess: 1, 2, 3 read; 3 from memory; 1 read again, having been forgotten
    expect(backing.finds()).toBe(4);
  });
});

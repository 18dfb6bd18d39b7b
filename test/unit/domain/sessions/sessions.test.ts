import { describe, expect, it } from 'vitest';
import type { BrowserSession, SessionStore } from '../../../../src/domain/sessions/browser-session.ts';
import { Sessions } from '../../../../src/domain/sessions/sessions.ts';

/** An in-memory session store: the unit under test is the timeout and renewal policy. */
const memoryStore = () => {
  const items = new Map<string, { session: BrowserSession; expiresAt: number }>();
  const store: SessionStore = {
    find: async (idHash) => items.get(idHash)?.session,
    save: async (idHash, session, expiresAt) => {
      items.set(idHash, { session, expiresAt });
    },
    delete: async (idHash) => {
      items.delete(idHash);
    },
    replace: async (oldIdHash, idHash, session, expiresAt) => {
      if (oldIdHash) items.delete(oldIdHash);
      items.set(idHash, { session, expiresAt });
    },
    deleteForAccount: async (accountId) => {
      for (const [key, value] of items)
        if (value.session.authentication?.accountId === accountId) items.delete(key);
    },
    deleteForDevice: async (accountId, deviceId) => {
      for (const [key, value] of items) {
        const authentication = value.session.authentication;
        if (authentication?.accountId === accountId && authentication.deviceId === deviceId)
          items.delete(key);
      }
    },
    deleteForPasskey: async (accountId, credentialId) => {
      for (const [key, value] of items) {
        const authentication = value.session.authentication;
        if (authentication?.accountId === accountId && authentication.passkeyId === credentialId)
          items.delete(key);
      }
    },
  };
  return { store, items };
};

const setup = () => {
  let now = Date.parse('2026-11-22T10:00:00Z');
  const { store, items } = memoryStore();
  const sessions = new Sessions({
    store,
    clock: () => new Date(now),
    timeouts: { idleSeconds: 1800, absoluteSeconds: 43200, touchIntervalSeconds: 60 },
  });
  return { sessions, items, advance: (seconds: number) => (now += seconds * 1000) };
};

describe('Sessions', () => {
  it('stores only the hash of the id, never the id', async () => {
    // Prepare
    const { sessions, items } = setup();
    const { id, session } = sessions.start();

    // Act
    await sessions.save(id, session);

    // Assess
    expect(items.size).toBe(1);
    expect([...items.keys()][0]).not.toContain(id);
    expect((await sessions.resume(id)).kind).toBe('active');
  });

  it('ends a session after 30 minutes idle, and after 12 hours whatever happens', async () => {
    // Prepare
    const idle = setup();
    const a = idle.sessions.start();
    await idle.sessions.save(a.id, a.session);
    const busy = setup();
    const b = busy.sessions.start();
    await busy.sessions.save(b.id, b.session);

    // Act
    idle.advance(1800);
    for (let step = 0; step < 30; step += 1) {
      busy.advance(1500);
      const current = await busy.sessions.resume(b.id);
      if (current.kind === 'active') await busy.sessions.save(b.id, current.session);
    }

    // Assess
    expect((await idle.sessions.resume(a.id)).kind).toBe('expired');
    expect((await busy.sessions.resume(b.id)).kind).toBe('expired');
  });

  it('renews to a new id and a new CSRF token, and the old id stops working', async () => {
    // Prepare
    const { sessions } = setup();
    const { id, session } = sessions.start();
    await sessions.save(id, session);

    // Act
    const renewed = await sessions.renew(id, session);

    // Assess
    expect(renewed.id).not.toBe(id);
    expect(renewed.session.csrfToken).not.toBe(session.csrfToken);
    expect((await sessions.resume(id)).kind).toBe('expired');
    expect((await sessions.resume(renewed.id)).kind).toBe('active');
  });

  it('treats a missing or oversized cookie as no session', async () => {
    const { sessions } = setup();
    expect((await sessions.resume(undefined)).kind).toBe('none');
    expect((await sessions.resume('x'.repeat(500))).kind).toBe('none');
  });

  it('does not write an unchanged session seen again within the touch interval', async () => {
    // Prepare
    const { sessions, items, advance } = setup();
    const { id, session } = sessions.start();
    const saved = await sessions.save(id, session, { isNew: true });
    const written = [...items.values()][0];
    advance(59);

    // Act
    const touched = await sessions.touch(id, saved);

    // Assess
    expect(touched).toBe(saved);
    expect([...items.values()][0]).toBe(written);
  });

  it('writes an unchanged session seen again after the touch interval, so its idle timeout starts again', async () => {
    // Prepare
    const { sessions, items, advance } = setup();
    const { id, session } = sessions.start();
    const saved = await sessions.save(id, session, { isNew: true });
    advance(60);

    // Act
    const touched = await sessions.touch(id, saved);
    advance(1799);

    // Assess
    expect(touched.lastSeenAt).toBe(saved.lastSeenAt + 60);
    expect([...items.values()][0]?.session.lastSeenAt).toBe(touched.lastSeenAt);
    expect((await sessions.resume(id)).kind).toBe('active');
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import type { DynamoTable } from '../../../src/adapters/dynamodb/dynamo-table.ts';
import { keys, listings } from '../../../src/adapters/dynamodb/keys.ts';
import { LocalOutbox } from '../../../src/adapters/local/outbox.ts';
import type { Account } from '../../../src/domain/accounts/account.ts';
import { GpDetailsUsedError, NhsNumberTakenError } from '../../../src/domain/accounts/account-errors.ts';
import { DuplicateAccounts } from '../../../src/domain/identity/duplicate-accounts.ts';
import { upliftAccount } from '../../../src/domain/identity/identity-uplift.ts';
import type { VerifiedIdentity } from '../../../src/domain/identity/verified-identity.ts';
import { createTestTable } from '../../support/test-table.ts';

const NOW = new Date('2026-12-01T10:00:00Z');
const clock = () => NOW;
const ALI: VerifiedIdentity = { nhsNumber: '9000000149', familyName: 'Khan', birthdate: '1983-06-15' };
const ALI_GP: VerifiedIdentity = {
  ...ALI,
  gpLink: 'M85002/100000149',
  sealedGpIntegrationCredentials: 'local.sealed-for-ali',
};

const newAccount = (email: string): Account => ({
  accountId: randomUUID(),
  subject: randomUUID(),
  email,
  passwordHash: 'hash',
  proofingLevel: 'P0',
  createdAt: NOW.toISOString(),
});

const claimOf = async (table: DynamoTable, nhsNumber: string) =>
  (await table.get<{ pk: string; sk: string; accountId: string }>(keys.nhsNumberClaim(nhsNumber)))?.accountId;

describe('one account per NHS number', () => {
  it('lets exactly one of two uplifts racing for one NHS number win', async () => {
    // Prepare
    const table = await createTestTable(clock);
    const accounts = new DynamoAccountStore(table);
    const racers = [
      newAccount('one@example.com'),
      newAccount('two@example.com'),
      newAccount('three@example.com'),
    ];
    for (const account of racers) await accounts.create(account);

    // Act
    const outcomes = await Promise.allSettled(
      racers.map((account) => accounts.setIdentity(account.accountId, 'P5', ALI)),
    );

    // Assess
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(2);
    for (const outcome of lost) expect(outcome.reason).toBeInstanceOf(NhsNumberTakenError);
    const winner = racers[outcomes.findIndex((outcome) => outcome.status === 'fulfilled')];
    expect(await claimOf(table, '9000000149')).toBe(winner?.accountId);
    const levels = await Promise.all(
      racers.map(async (account) => (await accounts.findById(account.accountId))?.proofingLevel),
    );
    expect(levels.filter((level) => level === 'P5')).toHaveLength(1);
  });

  it('lets GP details be claimed once: another NHS number with them is refused, and nothing is written', async () => {
    // Prepare
    const table = await createTestTable(clock);
    const accounts = new DynamoAccountStore(table);
    const [first, second] = [newAccount('one@example.com'), newAccount('two@example.com')];
    await accounts.create(first);
    await accounts.create(second);
    await accounts.setIdentity(first.accountId, 'P9', ALI_GP);

    // Act
    const reuse = accounts.setIdentity(second.accountId, 'P9', { ...ALI_GP, nhsNumber: '9000000009' });

    // Assess
    await expect(reuse).rejects.toBeInstanceOf(GpDetailsUsedError);
    expect(await claimOf(table, '9000000009')).toBeUndefined();
    expect((await accounts.findById(second.accountId))?.proofingLevel).toBe('P0');
  });

  it('releases the claims when an account is deleted, so the number can have an account again', async () => {
    // Prepare
    const table = await createTestTable(clock);
    const accounts = new DynamoAccountStore(table);
    const [first, second] = [newAccount('one@example.com'), newAccount('two@example.com')];
    await accounts.create(first);
    await accounts.create(second);
    await accounts.setIdentity(first.accountId, 'P9', ALI_GP);

    // Act
    await accounts.delete(first.accountId);
    await accounts.setIdentity(second.accountId, 'P9', ALI_GP);

    // Assess
    expect(await claimOf(table, '9000000149')).toBe(second.accountId);
  });

  it('takes over a claim left by an account that no longer exists', async () => {
    // Prepare: a claim whose account is gone (a clean-up interrupted before it was released)
    const table = await createTestTable(clock);
    const accounts = new DynamoAccountStore(table);
    const account = newAccount('one@example.com');
    await accounts.create(account);
    await table.put({ ...keys.nhsNumberClaim('9000000149'), accountId: 'gone-account' });

    // Act
    await accounts.setIdentity(account.accountId, 'P5', ALI);

    // Assess
    expect(await claimOf(table, '9000000149')).toBe(account.accountId);
  });

  it('releases the GP details an account gave up, in the same write as its new ones', async () => {
    // Prepare
    const table = await createTestTable(clock);
    const accounts = new DynamoAccountStore(table);
    const account = newAccount('one@example.com');
    await accounts.create(account);
    await accounts.setIdentity(account.accountId, 'P9', ALI_GP);

    // Act
    await accounts.setIdentity(account.accountId, 'P9', { ...ALI_GP, gpLink: 'M85002/200000149' });

    // Assess
    expect(await table.get(keys.gpLinkClaim('M85002/100000149'))).toBeUndefined();
    expect(await table.get(keys.gpLinkClaim('M85002/200000149'))).toMatchObject({
      accountId: account.accountId,
    });
  });

  describe('replacing the other account (seed 002)', () => {
    /** An older P9 account with items of every kind, and a newer one holding a P9 identity for its NHS number. */
    const scenario = async (table: DynamoTable) => {
      const accounts = new DynamoAccountStore(table);
      const audit = new DynamoAuditLog(table);
      const older = newAccount('older@example.com');
      const newer = newAccount('newer@example.com');
      await accounts.create(older);
      await accounts.create(newer);
      await accounts.setIdentity(older.accountId, 'P9', ALI_GP);
      await table.put({ ...keys.device(older.accountId, 'device-1'), lastUsedAt: 1 });
      await table.put({ ...keys.consent(older.accountId, 'gp-app'), scopes: ['openid'] });
      await table.put({
        ...keys.session('session-1'),
        gsi2pk: listings.accountSessions(older.accountId),
        gsi2sk: 'session-1',
      });
      await table.put({
        ...keys.link('confirm-new-email', 'digest-1'),
        gsi1pk: listings.accountLinks(older.accountId),
        gsi1sk: 'LINK',
      });
      await audit.record({ accountId: older.accountId, type: 'login-succeeded', at: NOW.toISOString() });
      const held = await upliftAccount({ accounts, clock }, newer, 'P9', {
        ...ALI,
        checkedAt: NOW.toISOString(),
      });
      expect(held.kind).toBe('duplicate');
      return { older, newer };
    };
    const outboxIn = async () =>
      LocalOutbox.open({ directory: join(await mkdtemp(join(tmpdir(), 'outbox-')), 'outbox') });
    const duplicatesOn = (table: DynamoTable, email: Awaited<ReturnType<typeof outboxIn>>) =>
      new DuplicateAccounts({
        accounts: new DynamoAccountStore(table),
        audit: new DynamoAuditLog(table),
        email,
        clock,
        service: { serviceName: 'NHS login', contactLink: 'https://help.example/contact' },
      });

    /** Where the two accounts stand: before the move, or after it (the older one gone whole). */
    const stateOf = async (table: DynamoTable, older: Account, newer: Account) => {
      const accounts = new DynamoAccountStore(table);
      const [olderNow, newerNow, claim, gpClaim, emailClaim] = await Promise.all([
        accounts.findById(older.accountId),
        accounts.findById(newer.accountId),
        claimOf(table, '9000000149'),
        table.get<{ pk: string; sk: string; accountId: string }>(keys.gpLinkClaim('M85002/100000149')),
        accounts.findByEmail('older@example.com'),
      ]);
      if (
        olderNow &&
        emailClaim &&
        claim === older.accountId &&
        gpClaim?.accountId === older.accountId &&
        newerNow?.heldIdentity &&
        newerNow.proofingLevel === 'P0'
      )
        return 'before';
      if (
        !olderNow &&
        !emailClaim &&
        claim === newer.accountId &&
        gpClaim?.accountId === newer.accountId &&
        !newerNow?.heldIdentity &&
        newerNow?.proofingLevel === 'P9'
      )
        return 'moved';
      return 'half-moved';
    };
    /** What the older account left besides its audit events. */
    const leftovers = async (table: DynamoTable, older: Account) => {
      const items = await table.queryPartition(keys.account(older.accountId).pk, '');
      const sessions = await table.queryIndex('sessions', listings.accountSessions(older.accountId));
      const links = await table.queryIndex('gsi1', listings.accountLinks(older.accountId));
      return {
        others: [...items.filter((item) => !item.sk.startsWith('AUDIT#')), ...sessions, ...links].length,
        audit: items.filter((item) => item.sk.startsWith('AUDIT#')),
      };
    };

    it('moves the NHS number and GP link, deletes the older account and what it left, keeps its audit events, emails both', async () => {
      // Prepare
      const table = await createTestTable(clock);
      const { older, newer } = await scenario(table);
      const outbox = await outboxIn();

      // Act: inside a request's collected writes, as the pages run it
      const collected = await table.collect(() => duplicatesOn(table, outbox).replace(newer, '192.0.2.1'));
      await collected.write();
      if (collected.outcome.status === 'rejected') throw collected.outcome.reason;
      const replacing = collected.outcome.value;

      // Assess
      expect(replacing).toMatchObject({ proofingLevel: 'P9', identity: { gpLink: 'M85002/100000149' } });
      expect(await stateOf(table, older, newer)).toBe('moved');
      const left = await leftovers(table, older);
      expect(left.others).toBe(0);
      expect(left.audit.map((item) => (item.event as { type: string }).type)).toEqual(
        expect.arrayContaining(['login-succeeded', 'replaced-by-new-account']),
      );
      for (const item of left.audit) expect(item.expiresAt).toBeGreaterThan(NOW.getTime() / 1000);
      // The newer account takes the older one's GP credentials, sealed to the NHS number
      expect(
        (await new DynamoAccountStore(table).findById(newer.accountId))?.identity
          ?.sealedGpIntegrationCredentials,
      ).toBe('local.sealed-for-ali');
      expect(outbox.latest({ to: 'older@example.com', kind: 'account-replaced' })).toBeDefined();
      expect(outbox.latest({ to: 'newer@example.com', kind: 'identity-moved' })).toBeDefined();
    });

    it('refuses to replace an account ops have suspended, or from one they have', async () => {
      // Prepare
      const table = await createTestTable(clock);
      const accounts = new DynamoAccountStore(table);
      const { older, newer } = await scenario(table);
      await accounts.disable(older.accountId, { reason: 'suspended', at: NOW.toISOString() });
      const duplicates = duplicatesOn(table, await outboxIn());
      const held = await accounts.findById(newer.accountId);
      if (!held) throw new Error('no account');

      // Act
      const choosing = duplicates.choice(held);
      const replacing = duplicates.replace(held, '192.0.2.1');

      // Assess
      await expect(choosing).rejects.toMatchObject({ problem: 'account-suspended' });
      await expect(replacing).rejects.toMatchObject({ problem: 'account-suspended' });
      expect(await stateOf(table, older, newer)).toBe('before');
    });

    it('never replaces an account with a P5 identity', async () => {
      // Prepare
      const table = await createTestTable(clock);
      const accounts = new DynamoAccountStore(table);
      const older = newAccount('older@example.com');
      const newer = newAccount('newer@example.com');
      await accounts.create(older);
      await accounts.create(newer);
      await accounts.setIdentity(older.accountId, 'P5', ALI);
      const held = await upliftAccount({ accounts, clock }, newer, 'P5', ALI);

      // Act
      const duplicates = duplicatesOn(table, await outboxIn());
      const choice = await duplicates.choice(held.account);
      const replace = duplicates.replace(held.account, '192.0.2.1');

      // Assess
      expect(choice.canReplace).toBe(false);
      await expect(replace).rejects.toThrow('cannot replace');
      expect(await accounts.findById(older.accountId)).toBeDefined();
      expect(await claimOf(table, '9000000149')).toBe(older.accountId);
    });

    it('leaves nothing half-moved when any store call fails, and finishes when tried again', async () => {
      // Prepare: fail each store call of the replacement in turn
      const results: string[] = [];
      for (let failAt = 0; ; failAt += 1) {
        const table = await createTestTable(clock);
        const { older, newer } = await scenario(table);
        const outbox = await outboxIn();
        let calls = 0;
        const faulty = new Proxy(table, {
          get(target, property, receiver) {
            const value = Reflect.get(target, property, receiver);
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              calls += 1;
              if (calls - 1 === failAt) throw new Error(`store call ${failAt} failed`);
              return value.apply(target, args);
            };
          },
        });

        // Act
        const first = await duplicatesOn(faulty, outbox)
          .replace(newer, '192.0.2.1')
          .then(
            () => 'done',
            () => 'failed',
          );
        const afterFailure = await stateOf(table, older, newer);
        await duplicatesOn(table, outbox).replace(newer, '192.0.2.1');

        // Assess
        expect(afterFailure).not.toBe('half-moved');
        expect(await stateOf(table, older, newer)).toBe('moved');
        expect((await leftovers(table, older)).others).toBe(0);
        results.push(`${failAt}:${first}:${afterFailure}`);
        if (first === 'done') break;
      }
      // Every call was failed once: before the move (nothing moved) and after it (moved, cleaned on the retry)
      expect(results.some((result) => result.endsWith(':failed:before'))).toBe(true);
      expect(results.some((result) => result.endsWith(':failed:moved'))).toBe(true);
    });

    it('finishes when an email cannot be sent, and the retry tells both addresses, once', async () => {
      // Prepare
      const table = await createTestTable(clock);
      const { older, newer } = await scenario(table);
      const outbox = await outboxIn();
      outbox.failNext('email');

      // Act
      const first = await duplicatesOn(table, outbox)
        .replace(newer, '192.0.2.1')
        .then(
          () => 'done',
          () => 'failed',
        );
      await duplicatesOn(table, outbox).replace(newer, '192.0.2.1');

      // Assess: the move stood, and the retry told the older address after all
      expect(first).toBe('failed');
      expect(await stateOf(table, older, newer)).toBe('moved');
      expect((await leftovers(table, older)).others).toBe(0);
      expect(outbox.latest({ to: 'older@example.com', kind: 'account-replaced' })).toBeDefined();
      expect(outbox.latest({ to: 'newer@example.com', kind: 'identity-moved' })).toBeDefined();
      // Nothing left to tell: a further try sends no more
      const sent = outbox.messages().length;
      await duplicatesOn(table, outbox).replace(newer, '192.0.2.1');
      expect(outbox.messages().length).toBe(sent);
    });
  });
});

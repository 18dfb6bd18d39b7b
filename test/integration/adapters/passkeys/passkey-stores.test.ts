import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoPasskeyChallengeStore } from '../../../../src/adapters/dynamodb/dynamo-passkey-challenge-store.ts';
import { DynamoPasskeyStore } from '../../../../src/adapters/dynamodb/dynamo-passkey-store.ts';
import type { DynamoTable } from '../../../../src/adapters/dynamodb/dynamo-table.ts';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import {
  AlreadyUsedError,
  ConflictError,
  ExpiredError,
  NotFoundError,
} from '../../../../src/domain/errors.ts';
import type { Passkey } from '../../../../src/domain/passkeys/passkey.ts';
import { movableClock } from '../../../support/page-client.ts';
import { createTestTable } from '../../../support/test-table.ts';

const passkeyOf = (accountId: string, overrides: Partial<Passkey> = {}): Passkey => ({
  credentialId: `cred-${randomUUID()}-${'x'.repeat(300)}`,
  accountId,
  publicKey: 'pQECAyYgASFYIA',
  signCount: 0,
  transports: ['internal', 'hybrid'],
  deviceType: 'multiDevice',
  backedUp: true,
  aaguid: 'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
  providerName: 'Google Password Manager',
  name: 'Google Password Manager',
  createdAt: new Date().toISOString(),
  ...overrides,
});

/** The passkey store and the ceremonies' challenges against DynamoDB Local. */
describe('the passkey stores', () => {
  let table: DynamoTable;
  let clock: ReturnType<typeof movableClock>;
  let passkeys: DynamoPasskeyStore;
  let challenges: DynamoPasskeyChallengeStore;
  beforeEach(async () => {
    clock = movableClock(new Date());
    table = await createTestTable(clock);
    passkeys = new DynamoPasskeyStore(table);
    challenges = new DynamoPasskeyChallengeStore(table);
  });

  it('keeps a passkey under its account and finds it by its credential id alone; a credential is one account’s', async () => {
    // Prepare
    const accountId = randomUUID();
    const passkey = passkeyOf(accountId);

    // Act
    await passkeys.add(passkey);
    const again = passkeys.add({ ...passkey, accountId: randomUUID() }).catch((error: unknown) => error);
    const found = await passkeys.find(passkey.credentialId);
    const listed = await passkeys.forAccount(accountId);

    // Assess
    expect(found).toEqual(passkey);
    expect(listed).toEqual([passkey]);
    expect(await again).toBeInstanceOf(ConflictError);
    expect(await passkeys.find('no-such-credential')).toBeUndefined();
  });

  it('records a login only on the counter it read: a second login with the same counter loses', async () => {
    // Prepare
    const passkey = passkeyOf(randomUUID(), { signCount: 4 });
    await passkeys.add(passkey);

    // Act
    const first = await passkeys.recordUse(passkey.credentialId, {
      expectedSignCount: 4,
      signCount: 5,
      backedUp: true,
      at: '2026-12-02T10:00:00.000Z',
    });
    const stale = await passkeys.recordUse(passkey.credentialId, {
      expectedSignCount: 4,
      signCount: 5,
      backedUp: true,
      at: '2026-12-02T10:00:01.000Z',
    });
    const stored = await passkeys.find(passkey.credentialId);

    // Assess
    expect(first).toBe(true);
    expect(stale).toBe(false);
    expect(stored).toMatchObject({ signCount: 5, lastUsedAt: '2026-12-02T10:00:00.000Z' });
  });

  it('renames and removes a passkey of the account only; removed, its credential no longer logs in', async () => {
    // Prepare
    const accountId = randomUUID();
    const passkey = passkeyOf(accountId);
    await passkeys.add(passkey);

    // Act
    await passkeys.rename(accountId, passkey.credentialId, 'My phone');
    const renamed = await passkeys.find(passkey.credentialId);
    const byAnother = passkeys.remove(randomUUID(), passkey.credentialId).catch((error: unknown) => error);
    await passkeys.remove(accountId, passkey.credentialId);

    // Assess
    expect(renamed?.name).toBe('My phone');
    expect(await byAnother).toBeInstanceOf(NotFoundError);
    expect(await passkeys.find(passkey.credentialId)).toBeUndefined();
    expect(await passkeys.forAccount(accountId)).toEqual([]);
  });

  it('takes a challenge once, for its own ceremony, within its lifetime', async () => {
    // Prepare
    const accountId = randomUUID();
    const once = await challenges.issue('register', 'Y2hhbGxlbmdl', { accountId, lifetimeSeconds: 300 });
    const late = await challenges.issue('authenticate', 'bGF0ZQ', { lifetimeSeconds: 300 });
    const other = await challenges.issue('authenticate', 'b3RoZXI', { lifetimeSeconds: 300 });

    // Act
    const taken = await challenges.take(once, 'register');
    const twice = await challenges.take(once, 'register').catch((error: unknown) => error);
    const wrongCeremony = await challenges.take(other, 'register').catch((error: unknown) => error);
    const notOurs = await challenges.take('x'.repeat(3000), 'register').catch((error: unknown) => error);
    clock.advance(301);
    const expired = await challenges.take(late, 'authenticate').catch((error: unknown) => error);

    // Assess
    expect(taken).toEqual({ challenge: 'Y2hhbGxlbmdl', accountId });
    expect(twice).toBeInstanceOf(AlreadyUsedError);
    expect(wrongCeremony).toBeInstanceOf(NotFoundError);
    expect(notOurs).toBeInstanceOf(NotFoundError);
    expect(expired).toBeInstanceOf(ExpiredError);
  });

  it('goes with its account: deleting the account deletes its passkeys and their credential claims', async () => {
    // Prepare
    const accounts = new DynamoAccountStore(table);
    const accountId = randomUUID();
    await accounts.create({
      accountId,
      subject: randomUUID(),
      email: `patient-${randomUUID()}@example.com`,
      passwordHash: 'hash',
      proofingLevel: 'P0',
      createdAt: new Date().toISOString(),
    });
    const passkey = passkeyOf(accountId);
    await passkeys.add(passkey);

    // Act
    await accounts.delete(accountId);
    const claim = await table.get(keys.passkeyClaim(passkey.credentialId));
    // The same credential can be set up again (on a new account), as nothing of the old one is left
    await passkeys.add({ ...passkey, accountId: randomUUID() });

    // Assess
    expect(claim).toBeUndefined();
    expect(await passkeys.find(passkey.credentialId)).toMatchObject({ credentialId: passkey.credentialId });
  });
});

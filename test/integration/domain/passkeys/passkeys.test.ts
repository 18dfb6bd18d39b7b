import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoPasskeyChallengeStore } from '../../../../src/adapters/dynamodb/dynamo-passkey-challenge-store.ts';
import { DynamoPasskeyStore } from '../../../../src/adapters/dynamodb/dynamo-passkey-store.ts';
import { DynamoRateLimiter } from '../../../../src/adapters/dynamodb/dynamo-rate-limiter.ts';
import { LocalOutbox } from '../../../../src/adapters/local/outbox.ts';
import type { Account } from '../../../../src/domain/accounts/account.ts';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import {
  ClonedAuthenticatorError,
  PasskeyNotVerifiedError,
} from '../../../../src/domain/passkeys/passkey.ts';
import { Passkeys, TooManyPasskeysError } from '../../../../src/domain/passkeys/passkeys.ts';
import { softwareAuthenticator } from '../../../support/software-authenticator.ts';
import { createTestTable } from '../../../support/test-table.ts';

const relyingParty = { name: 'NHS login', id: 'localhost', origin: 'http://localhost:3000' };

/** Setting up, logging in with and removing passkeys, on DynamoDB Local, with an authenticator in the test. */
describe('passkeys', () => {
  let passkeys: Passkeys;
  let outbox: LocalOutbox;
  let audit: DynamoAuditLog;
  let account: Account;
  let store: DynamoPasskeyStore;
  /** The sessions ended because their passkey was removed. */
  const endedWith: { accountId: string; credentialId: string }[] = [];

  const start = async (limits: { passkeysPerAccount?: number; passkeySetUpsPerAccount?: number } = {}) => {
    const table = await createTestTable();
    const accounts = new DynamoAccountStore(table);
    outbox = await LocalOutbox.open({
      directory: join(await mkdtemp(join(tmpdir(), 'passkeys-')), 'outbox'),
    });
    audit = new DynamoAuditLog(table);
    store = new DynamoPasskeyStore(table);
    account = {
      accountId: randomUUID(),
      subject: randomUUID(),
      email: `patient-${randomUUID()}@example.com`,
      passwordHash: 'hash',
      proofingLevel: 'P0',
      createdAt: new Date().toISOString(),
    };
    await accounts.create(account);
    passkeys = new Passkeys({
      passkeys: store,
      challenges: new DynamoPasskeyChallengeStore(table),
      accounts,
      sessions: {
        endAllWithPasskey: async (accountId, credentialId) =>
          void endedWith.push({ accountId, credentialId }),
      },
      rateLimiter: new DynamoRateLimiter({ table, clock: () => new Date() }),
      audit,
      email: outbox,
      clock: () => new Date(),
      limits: {
        passkeysPerAccount: limits.passkeysPerAccount ?? 10,
        passkeySetUpsPerAccount: limits.passkeySetUpsPerAccount ?? 20,
        passkeyChallengeLifetimeSeconds: 300,
      },
      relyingParty,
      service: {
        serviceName: 'NHS login',
        contactLink: 'http://localhost:3000/contact',
        settingsLink: 'http://localhost:3000/settings',
      },
    });
  };
  beforeEach(() => start());

  const setUp = async (
    authenticator = softwareAuthenticator({ rpId: relyingParty.id, origin: relyingParty.origin }),
  ) => {
    const { options, challengeId } = await passkeys.beginSetUp(account);
    await passkeys.finishSetUp(
      account,
      challengeId,
      authenticator.register(options.challenge),
      '203.0.113.9',
    );
    return authenticator;
  };

  it('sets up a passkey, emails the patient, and logs in with it: the account, the counter moved on, audited', async () => {
    // Act
    const authenticator = await setUp();
    const { options, challengeId } = await passkeys.beginLogin();
    const login = await passkeys.finishLogin(
      challengeId,
      authenticator.authenticate(options.challenge, account.accountId),
      '203.0.113.9',
    );
    const events = (await audit.recent(account.accountId, 10)).map((event) => event.type);

    // Assess
    expect(login.account.accountId).toBe(account.accountId);
    expect(await store.find(authenticator.credentialId)).toMatchObject({
      signCount: 1,
      name: 'Google Password Manager',
    });
    expect(outbox.latest({ kind: 'passkey-added' })?.to).toBe(account.email);
    expect(outbox.latest({ kind: 'passkey-added' })?.text).toContain('If you did not add it');
    expect(events).toEqual(expect.arrayContaining(['passkey-added', 'passkey-login']));
  });

  it('takes each challenge once: a replayed login and a set-up answer reused are refused', async () => {
    // Prepare
    const authenticator = await setUp();
    const { options, challengeId } = await passkeys.beginLogin();
    const response = authenticator.authenticate(options.challenge, account.accountId);
    await passkeys.finishLogin(challengeId, response, '203.0.113.9');

    // Act
    const replayed = await passkeys
      .finishLogin(challengeId, response, '203.0.113.9')
      .catch((error: unknown) => error);
    const foreign = await passkeys
      .finishLogin(
        'x'.repeat(32),
        authenticator.authenticate(options.challenge, account.accountId),
        '203.0.113.9',
      )
      .catch((error: unknown) => error);

    // Assess
    expect(replayed).toBeInstanceOf(PasskeyNotVerifiedError);
    expect(foreign).toBeInstanceOf(PasskeyNotVerifiedError);
  });

  it('refuses and audits a cloned authenticator: a copy of the key with an older counter', async () => {
    // Prepare: two logins move the stored counter to 2; a copy still at 0 logs in next
    const authenticator = await setUp();
    for (let login = 0; login < 2; login += 1) {
      const { options, challengeId } = await passkeys.beginLogin();
      await passkeys.finishLogin(
        challengeId,
        authenticator.authenticate(options.challenge, account.accountId),
        '203.0.113.9',
      );
    }
    authenticator.setCounter(0);
    const { options, challengeId } = await passkeys.beginLogin();

    // Act
    const cloned = await passkeys
      .finishLogin(
        challengeId,
        authenticator.authenticate(options.challenge, account.accountId),
        '198.51.100.7',
      )
      .catch((error: unknown) => error);
    const events = await audit.recent(account.accountId, 10);

    // Assess
    expect(cloned).toBeInstanceOf(ClonedAuthenticatorError);
    expect(events.find((event) => event.type === 'passkey-clone-refused')).toMatchObject({
      sourceIp: '198.51.100.7',
    });
    expect(await store.find(authenticator.credentialId)).toMatchObject({ signCount: 2 });
  });

  it('refuses a login whose user handle names another account, and a passkey no account has', async () => {
    // Prepare
    const authenticator = await setUp();
    const unknown = softwareAuthenticator({ rpId: relyingParty.id, origin: relyingParty.origin });
    const first = await passkeys.beginLogin();
    const second = await passkeys.beginLogin();

    // Act
    const otherHandle = await passkeys
      .finishLogin(
        first.challengeId,
        authenticator.authenticate(first.options.challenge, randomUUID()),
        '203.0.113.9',
      )
      .catch((error: unknown) => error);
    const noAccount = await passkeys
      .finishLogin(
        second.challengeId,
        unknown.authenticate(second.options.challenge, account.accountId),
        '203.0.113.9',
      )
      .catch((error: unknown) => error);

    // Assess
    expect(otherHandle).toBeInstanceOf(PasskeyNotVerifiedError);
    expect(noAccount).toBeInstanceOf(PasskeyNotVerifiedError);
  });

  it('removes a passkey, emailing the patient to remove it from the device too; a removed passkey no longer logs in', async () => {
    // Prepare
    const authenticator = await setUp();

    // Act
    await passkeys.remove(account, authenticator.credentialId, '203.0.113.9');
    const { options, challengeId } = await passkeys.beginLogin();
    const after = await passkeys
      .finishLogin(
        challengeId,
        authenticator.authenticate(options.challenge, account.accountId),
        '203.0.113.9',
      )
      .catch((error: unknown) => error);

    // Assess
    expect(outbox.latest({ kind: 'passkey-removed' })?.text).toContain('remove it from your device too');
    expect(after).toBeInstanceOf(PasskeyNotVerifiedError);
    expect(await store.forAccount(account.accountId)).toEqual([]);
    expect(endedWith).toContainEqual({
      accountId: account.accountId,
      credentialId: authenticator.credentialId,
    });
  });

  it('holds an account to its number of passkeys and of set-ups a day', async () => {
    // Prepare
    await start({ passkeysPerAccount: 1, passkeySetUpsPerAccount: 3 });
    await setUp();

    // Act
    const second = await passkeys.beginSetUp(account).catch((error: unknown) => error);
    await start({ passkeySetUpsPerAccount: 2 });
    await passkeys.beginSetUp(account);
    await passkeys.beginSetUp(account);
    const third = await passkeys.beginSetUp(account).catch((error: unknown) => error);

    // Assess
    expect(second).toBeInstanceOf(TooManyPasskeysError);
    expect(third).toBeInstanceOf(TooManyAttemptsError);
    expect((third as TooManyAttemptsError).reason).toBe('passkey-set-ups');
  });
});

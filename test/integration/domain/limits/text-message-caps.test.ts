import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { createDocumentClient } from '../../../../src/adapters/dynamodb/document-client.ts';
import { DynamoKnownPhoneNumbers } from '../../../../src/adapters/dynamodb/dynamo-known-phone-numbers.ts';
import { DynamoRateLimiter } from '../../../../src/adapters/dynamodb/dynamo-rate-limiter.ts';
import { DynamoShardedCounter } from '../../../../src/adapters/dynamodb/dynamo-sharded-counter.ts';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import { type LimitOverrides, resolveLimits } from '../../../../src/domain/limits/limits.ts';
import { TextMessageCaps } from '../../../../src/domain/limits/text-message-caps.ts';
import { TooManyAttemptsError } from '../../../../src/domain/limits/too-many-attempts-error.ts';
import { at, rejectionOf, START } from '../../../support/limits-fixture.ts';
import { createTestTable } from '../../../support/test-table.ts';

const IP = '203.0.113.7';
const MIDNIGHT = new Date('2026-11-23T00:00:00Z');
const secondsToMidnight = (MIDNIGHT.getTime() - START.getTime()) / 1000;
const day = 86_400;

/** The nth of Ofcom's drama numbers, in E.164. */
const phone = (n: number) => `+447700900${String(n).padStart(3, '0')}`;

/** A fresh table with the caps on their DynamoDB adapters, all on one clock a test moves. */
const createTextsFixture = async (overrides: LimitOverrides = {}) => {
  let now = START;
  const clock = () => now;
  const table = await createTestTable(clock);
  return {
    table,
    caps: new TextMessageCaps({
      rateLimiter: new DynamoRateLimiter({ table, clock }),
      knownNumbers: new DynamoKnownPhoneNumbers({ table, clock }),
      serviceCounter: new DynamoShardedCounter({ table, clock }),
      limits: resolveLimits(overrides),
    }),
    /** Moves the clock to `seconds` after START. */
    moveTo: (seconds: number) => {
      now = at(seconds);
    },
    /** Every item in the table, expired or not, as DynamoDB holds it. */
    scan: async () => {
      const client = createDocumentClient({ endpoint: inject('dynamoDbEndpoint') });
      try {
        return (await client.send(new ScanCommand({ TableName: table.tableName }))).Items ?? [];
      } finally {
        client.destroy();
      }
    },
  };
};

/** A text reserved and then handed over, as the code-sending path does. */
const text = async (
  caps: TextMessageCaps,
  request: { accountId: string; phoneNumber: string; sourceIp: string },
) => {
  const reservation = await caps.reserve(request);
  await caps.recordSent(request.phoneNumber, reservation);
  return reservation;
};

describe('TextMessageCaps', () => {
  describe('per network', () => {
    it('refuses the 26th text from one IPv4 address in an hour until the hour ends', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture();
      for (let n = 1; n <= 25; n += 1) {
        moveTo(n * 60);
        await text(caps, { accountId: `account-${n}`, phoneNumber: phone(n), sourceIp: IP });
      }

      // Act
      const refusal = await rejectionOf(
        caps.reserve({ accountId: 'account-26', phoneNumber: phone(26), sourceIp: IP }),
      );

      // Assess
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect(refusal).toMatchObject({ reason: 'texts-per-network', retryAt: at(3600) });
    });

    it('allows the network again when the next hour starts', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture();
      for (let n = 1; n <= 25; n += 1)
        await text(caps, { accountId: `account-${n}`, phoneNumber: phone(n), sourceIp: IP });
      moveTo(3599);
      const lastSecond = await rejectionOf(
        caps.reserve({ accountId: 'account-26', phoneNumber: phone(26), sourceIp: IP }),
      );

      // Act
      moveTo(3600);
      const nextHour = caps.reserve({ accountId: 'account-26', phoneNumber: phone(26), sourceIp: IP });

      // Assess
      expect(lastSecond).toMatchObject({ reason: 'texts-per-network' });
      await expect(nextHour).resolves.toEqual({ newNumber: true });
    });

    it('counts the IPv6 addresses of one /64 together and another /64 apart', async () => {
      // Prepare
      const { caps } = await createTextsFixture();
      for (let n = 1; n <= 25; n += 1) {
        const sourceIp = `2001:db8:1:2::${n.toString(16)}`;
        await text(caps, { accountId: `account-${n}`, phoneNumber: phone(n), sourceIp });
      }

      // Act
      const sameNetwork = await rejectionOf(
        caps.reserve({
          accountId: 'account-26',
          phoneNumber: phone(26),
          sourceIp: '2001:db8:1:2:ffff:1:2:3',
        }),
      );
      const otherNetwork = caps.reserve({
        accountId: 'account-27',
        phoneNumber: phone(27),
        sourceIp: '2001:db8:1:3::1',
      });

      // Assess
      expect(sameNetwork).toMatchObject({ reason: 'texts-per-network', retryAt: at(3600) });
      await expect(otherNetwork).resolves.toEqual({ newNumber: true });
    });
  });

  describe('per account', () => {
    it('refuses the 21st text to one account in a UTC day until midnight UTC', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture();
      for (let n = 1; n <= 20; n += 1) {
        moveTo(n * 1800);
        await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      }
      moveTo(secondsToMidnight - 1);

      // Act
      const refusal = await rejectionOf(
        caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP }),
      );
      const otherAccount = caps.reserve({ accountId: 'account-b', phoneNumber: phone(1), sourceIp: IP });

      // Assess
      expect(refusal).toBeInstanceOf(TooManyAttemptsError);
      expect(refusal).toMatchObject({ reason: 'texts-per-account', retryAt: MIDNIGHT });
      await expect(otherAccount).resolves.toEqual({ newNumber: false });
    });

    it('allows the account again after midnight UTC', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture();
      for (let n = 1; n <= 20; n += 1)
        await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Act
      moveTo(secondsToMidnight);
      const nextDay = caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Assess
      await expect(nextDay).resolves.toEqual({ newNumber: false });
    });
  });

  describe('the service-wide ceiling on new numbers', () => {
    it('refuses the 6th text to a new number in the hour, but still texts a number it has texted', async () => {
      // Prepare
      const { caps } = await createTextsFixture({ newNumberTexts: 5 });
      for (let n = 1; n <= 5; n += 1)
        await text(caps, { accountId: `account-${n}`, phoneNumber: phone(n), sourceIp: `198.51.100.${n}` });

      // Act
      const newNumber = await rejectionOf(
        caps.reserve({ accountId: 'account-6', phoneNumber: phone(6), sourceIp: '198.51.100.6' }),
      );
      const knownNumber = caps.reserve({
        accountId: 'account-7',
        phoneNumber: phone(3),
        sourceIp: '198.51.100.7',
      });

      // Assess
      expect(newNumber).toBeInstanceOf(TooManyAttemptsError);
      expect(newNumber).toMatchObject({ reason: 'new-number-ceiling', retryAt: at(3600) });
      await expect(knownNumber).resolves.toEqual({ newNumber: false });
    });

    it('does not count texts to known numbers against the ceiling', async () => {
      // Prepare
      const { caps } = await createTextsFixture({ newNumberTexts: 2 });
      await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      for (let n = 1; n <= 10; n += 1)
        await text(caps, { accountId: `account-${n}`, phoneNumber: phone(1), sourceIp: IP });

      // Act
      const secondNewNumber = caps.reserve({ accountId: 'account-b', phoneNumber: phone(2), sourceIp: IP });

      // Assess
      await expect(secondNewNumber).resolves.toEqual({ newNumber: true });
    });

    it('allows new numbers again when the next hour starts', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture({ newNumberTexts: 1 });
      await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      const refused = await rejectionOf(
        caps.reserve({ accountId: 'account-b', phoneNumber: phone(2), sourceIp: IP }),
      );

      // Act
      moveTo(3600);
      const nextHour = caps.reserve({ accountId: 'account-b', phoneNumber: phone(2), sourceIp: IP });

      // Assess
      expect(refused).toMatchObject({ reason: 'new-number-ceiling', retryAt: at(3600) });
      await expect(nextHour).resolves.toEqual({ newNumber: true });
    });

    it('treats a number as new until a text to it was handed over', async () => {
      // Prepare
      const { caps } = await createTextsFixture();
      await caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Act
      const again = await caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Assess
      expect(again).toEqual({ newNumber: true });
    });

    it('forgets a number 396 days after it was first texted, so it counts as new again', async () => {
      // Prepare
      const { caps, moveTo } = await createTextsFixture();
      await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      moveTo(396 * day - 1);
      const lastSecond = await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Act
      moveTo(396 * day);
      const after = await caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Assess
      expect(lastSecond).toEqual({ newNumber: false });
      expect(after).toEqual({ newNumber: true });
    });

    it('writes nothing for a known number handed over with its reservation, and remembers it without one', async () => {
      // Prepare
      const { caps, table, moveTo } = await createTextsFixture();
      await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      moveTo(100 * day);
      const reservation = await caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });

      // Act
      await caps.recordSent(phone(1), reservation);
      const withReservation = await table.get(keys.knownPhoneNumber(phone(1)));
      await caps.recordSent(phone(1));
      const withoutReservation = await table.get(keys.knownPhoneNumber(phone(1)));

      // Assess
      const first = START.getTime() / 1000;
      expect(withReservation).toMatchObject({ expiresAt: first + 396 * day });
      expect(withoutReservation).toMatchObject({ expiresAt: first + 496 * day });
    });

    it('lets exactly the ceiling through of 40 concurrent texts to new numbers, over several shards', async () => {
      // Prepare
      const { caps, scan } = await createTextsFixture({ newNumberTexts: 12 });

      // Act
      const results = await Promise.allSettled(
        Array.from({ length: 40 }, (_, n) =>
          caps.reserve({ accountId: `account-${n}`, phoneNumber: phone(n), sourceIp: `198.51.100.${n}` }),
        ),
      );

      // Assess
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(12);
      for (const result of results.filter((result) => result.status === 'rejected'))
        expect(result.reason).toMatchObject({ reason: 'new-number-ceiling', retryAt: at(3600) });
      const shards = (await scan()).filter((item) => String(item.pk).startsWith('SHARDED_COUNTER#'));
      expect(shards.length).toBeGreaterThan(1);
    });
  });

  describe('a refused text', () => {
    it('refused by the network cap is not counted against the account, which comes after it', async () => {
      // Prepare
      const { caps } = await createTextsFixture({ textsPerNetwork: 2, textsPerAccount: 3 });
      for (let n = 1; n <= 2; n += 1)
        await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      const refusedByNetwork = await rejectionOf(
        caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP }),
      );

      // Act
      const third = await caps.reserve({
        accountId: 'account-a',
        phoneNumber: phone(1),
        sourceIp: '198.51.100.1',
      });
      const fourth = await rejectionOf(
        caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: '198.51.100.2' }),
      );

      // Assess
      expect(refusedByNetwork).toMatchObject({ reason: 'texts-per-network' });
      expect(third).toEqual({ newNumber: false });
      expect(fourth).toMatchObject({ reason: 'texts-per-account', retryAt: MIDNIGHT });
    });

    it('refused by the ceiling still counts against its network and its account, which come before it', async () => {
      // Prepare
      const { caps } = await createTextsFixture({
        newNumberTexts: 1,
        textsPerNetwork: 3,
        textsPerAccount: 3,
      });
      await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
      for (const n of [2, 3]) {
        const refusal = await rejectionOf(
          caps.reserve({ accountId: 'account-a', phoneNumber: phone(n), sourceIp: IP }),
        );
        expect(refusal).toMatchObject({ reason: 'new-number-ceiling' });
      }

      // Act
      const sameNetwork = await rejectionOf(
        caps.reserve({ accountId: 'account-b', phoneNumber: phone(1), sourceIp: IP }),
      );
      const sameAccount = await rejectionOf(
        caps.reserve({ accountId: 'account-a', phoneNumber: phone(1), sourceIp: '198.51.100.1' }),
      );

      // Assess
      expect(sameNetwork).toMatchObject({ reason: 'texts-per-network', retryAt: at(3600) });
      expect(sameAccount).toMatchObject({ reason: 'texts-per-account', retryAt: MIDNIGHT });
    });
  });

  it('keeps phone numbers and IP addresses out of every item it writes', async () => {
    // Prepare
    const { caps, scan } = await createTextsFixture({ newNumberTexts: 2 });
    const ipv6 = '2001:db8:1:2::7';

    // Act
    await text(caps, { accountId: 'account-a', phoneNumber: phone(1), sourceIp: IP });
    await text(caps, { accountId: 'account-b', phoneNumber: phone(2), sourceIp: ipv6 });
    await rejectionOf(caps.reserve({ accountId: 'account-c', phoneNumber: phone(3), sourceIp: ipv6 }));

    // Assess
    const items = await scan();
    expect(items.map((item) => String(item.pk).split('#')[0])).toEqual(
      expect.arrayContaining(['COUNTER', 'PHONE', 'SHARDED_COUNTER']),
    );
    const stored = JSON.stringify(items);
    for (const personal of ['+44', '447700900', '7700900', IP, '2001:db8', ipv6])
      expect(stored).not.toContain(personal);
  });
});

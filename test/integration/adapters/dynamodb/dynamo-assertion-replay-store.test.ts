import { describe, expect, it } from 'vitest';
import { DynamoAssertionReplayStore } from '../../../../src/adapters/dynamodb/dynamo-assertion-replay-store.ts';
import { keys } from '../../../../src/adapters/dynamodb/keys.ts';
import { authenticateClient, InvalidClientError } from '../../../../src/domain/oidc/client-authentication.ts';
import {
  assertionClaims,
  ISSUER,
  JWT_BEARER,
  NOW,
  nowSeconds,
  registeredClient,
  rsaKeyPair,
  signAssertion,
  TOKEN_ENDPOINT,
} from '../../../support/client-assertions.ts';
import { createTestTable } from '../../../support/test-table.ts';

const at = (secondsFromNow: number) => new Date((nowSeconds + secondsFromNow) * 1000);

/** A store on a fresh table whose clock the test can move. */
const storeWithClock = async () => {
  const clock = { now: NOW };
  const table = await createTestTable(() => clock.now);
  return { clock, table, store: new DynamoAssertionReplayStore(table) };
};

describe('DynamoAssertionReplayStore', () => {
  it('grants the first claim of a jti and refuses the second', async () => {
    // Prepare
    const { store } = await storeWithClock();

    // Act
    const first = await store.claim('service-a', 'jti-1', at(60));
    const second = await store.claim('service-a', 'jti-1', at(60));

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
  });

  it('keeps the claims of different clients apart', async () => {
    // Prepare
    const { store } = await storeWithClock();
    await store.claim('service-a', 'shared', at(60));

    // Act
    const other = await store.claim('service-b', 'shared', at(60));

    // Assess
    expect(other).toBe(true);
  });

  it('holds a claim until its expiry and grants the jti again once the claim has expired', async () => {
    // Prepare: the expired item stays in the table, as it does until TTL deletes it (up to 48 hours).
    const { clock, table, store } = await storeWithClock();
    await store.claim('service-a', 'jti-1', at(60));
    clock.now = at(59);
    const beforeExpiry = await store.claim('service-a', 'jti-1', at(120));
    clock.now = at(61);

    // Act
    const afterExpiry = await store.claim('service-a', 'jti-1', at(121));
    const replayOfTheNewClaim = await store.claim('service-a', 'jti-1', at(121));

    // Assess
    expect(beforeExpiry).toBe(false);
    expect(afterExpiry).toBe(true);
    expect(replayOfTheNewClaim).toBe(false);
    clock.now = at(62);
    expect(await table.get(keys.clientAssertion('service-a', 'jti-1'))).toMatchObject({
      expiresAt: nowSeconds + 121,
    });
  });

  it('lets only one of many concurrent claims of a jti win, even over an expired claim', async () => {
    // Prepare
    const { clock, store } = await storeWithClock();
    await store.claim('service-a', 'stale', at(10));
    clock.now = at(11);

    // Act
    const [fresh, overExpired] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, () => store.claim('service-a', 'fresh', at(300)))),
      Promise.all(Array.from({ length: 8 }, () => store.claim('service-a', 'stale', at(300)))),
    ]);

    // Assess
    expect(fresh.filter(Boolean)).toHaveLength(1);
    expect(overExpired.filter(Boolean)).toHaveLength(1);
  });

  it('keys the claim by a digest of the jti and expires it at the given time, rounded up to the second', async () => {
    // Prepare
    const { table, store } = await storeWithClock();
    const jti = 'a-jti-the-client-chose';

    // Act
    await store.claim('service-a', jti, new Date(at(60).getTime() + 400));

    // Assess
    const item = await table.get(keys.clientAssertion('service-a', jti));
    expect(item).toMatchObject({ expiresAt: nowSeconds + 61 });
    expect(JSON.stringify(item)).not.toContain(jti);
  });
});

describe('authenticateClient with the DynamoDB replay store', () => {
  it('accepts an assertion once and refuses its replay', async () => {
    // Prepare
    const { publicKey, privateKey } = rsaKeyPair();
    const client = await registeredClient('service-a', [{ publicKey, kid: 'rsa-1' }]);
    const { store } = await storeWithClock();
    const context = {
      clients: { find: async (clientId: string) => (clientId === client.clientId ? client : undefined) },
      tokenEndpoint: TOKEN_ENDPOINT,
      issuer: ISSUER,
      replayStore: store,
      clock: () => NOW,
      maxAssertionLifetimeSeconds: 300,
    };
    const assertion = await signAssertion(assertionClaims('service-a'), privateKey, {
      alg: 'RS512',
      kid: 'rsa-1',
    });
    const form = { client_assertion_type: JWT_BEARER, client_assertion: assertion };

    // Act
    const first = await authenticateClient(form, context);
    const replay = await authenticateClient(form, context).catch((error: unknown) => error);

    // Assess
    expect(first.clientId).toBe('service-a');
    expect(replay).toBeInstanceOf(InvalidClientError);
    expect(replay).toMatchObject({ logDetail: 'jti replayed' });
  });
});

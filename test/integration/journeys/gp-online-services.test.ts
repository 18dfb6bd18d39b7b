import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { upliftAccount } from '../../../src/domain/identity/identity-uplift.ts';
import type { LimitOverrides } from '../../../src/domain/limits/limits.ts';
import { createAccount, errorsOf, firstLogin, headingOf, startPages } from '../../support/page-client.ts';
import { registerTestService } from '../../support/test-service.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const PASSWORD = 'correct horse battery';

/** The GP online-services details of the seed's test patients. */
const JANE = {
  linkageKey: 'JSM7T4Q2WX9KD',
  odsCode: 'Y12345',
  gpAccountId: '100000009',
  surname: 'Smith',
  day: '22',
  month: '10',
  year: '1980',
};
const ALI = {
  linkageKey: 'KHN5M2N8B4V1C',
  odsCode: 'M85002',
  gpAccountId: '100000149',
  surname: 'Khan',
  day: '15',
  month: '6',
  year: '1983',
};

describe('proving who you are with GP online-services details (P9)', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const start = async (limits: LimitOverrides = {}) => {
    pages = await startPages({ limits });
  };
  /** A P0 patient, logged in through the pages. */
  const loggedIn = async (email = 'pat@example.com', phoneNumber = '07700 900001') => {
    const client = pages.client();
    await createAccount(client, pages.outbox, email, PASSWORD);
    await firstLogin(client, pages.outbox, { email, password: PASSWORD, phoneNumber });
    return client;
  };
  const accounts = () => new DynamoAccountStore(pages.dependencies.table);
  const submit = async (client: Awaited<ReturnType<typeof loggedIn>>, form: Record<string, string>) => {
    await client.get('/prove-who-you-are/gp-online-services');
    return client.post('/prove-who-you-are/gp-online-services', form);
  };

  it('sets P9 with the NHS number and the GP credentials, sealed at rest', async () => {
    // Prepare
    await start();
    const client = await loggedIn();

    // Act
    const routes = await client.get('/prove-who-you-are');
    const proven = await submit(client, { ...JANE, linkageKey: 'jsm7 t4q2 wx9kd', odsCode: 'y12345' });

    // Assess
    expect(routes.html).toContain('href="/prove-who-you-are/gp-online-services"');
    expect(headingOf(proven.html)).toBe('You have proved who you are');
    expect(proven.html).not.toContain('JSM7T4Q2WX9KD');
    const account = await accounts().findByEmail('pat@example.com');
    expect(account).toMatchObject({
      proofingLevel: 'P9',
      identity: { nhsNumber: '9000000009', familyName: 'Smith', gpLink: 'Y12345/100000009' },
    });
    const sealed = account?.identity?.sealedGpIntegrationCredentials ?? '';
    expect(sealed).toMatch(/^local\./);
    // Nothing of the credentials is readable in the stored item
    expect(JSON.stringify(account)).not.toContain('JSM7T4Q2WX9KD');
    expect(account?.identity?.gpIntegrationCredentials).toBeUndefined();
  });

  it('keeps the form and says to check the details when the practice system does not recognise them', async () => {
    // Prepare
    await start();
    const client = await loggedIn();

    // Act
    const answer = await submit(client, { ...JANE, linkageKey: 'WRONG1234ABCD' });

    // Assess
    expect(answer.status).toBe(422);
    expect(answer.html).toContain('did not recognise these details');
    expect(answer.html).toContain('value="100000009"');
    // The linkage key, a credential, is never written back into the page
    expect(answer.html).not.toContain('WRONG1234ABCD');
    expect((await accounts().findByEmail('pat@example.com'))?.proofingLevel).toBe('P0');
  });

  it.each([
    [
      'no details',
      {},
      [
        'Enter your Linkage Key',
        'Enter your ODS Code',
        'Enter your Account ID',
        'Enter your last name',
        'Enter your date of birth',
      ],
    ],
    [
      'a linkage key with symbols',
      { ...JANE, linkageKey: 'JSM7<script>' },
      ['Linkage Key must only include letters and numbers'],
    ],
    [
      'an ODS code with symbols',
      { ...JANE, odsCode: 'Y1/345' },
      ['ODS Code must only include letters and numbers, like A12345'],
    ],
    ['an impossible date', { ...JANE, day: '31', month: '2' }, ['Date of birth must be a real date']],
  ])(
    'refuses %s with the problems of the form, and asks the practice nothing',
    async (_case, form, expected) => {
      // Prepare
      await start();
      const client = await loggedIn();
      const before = pages.gp.requests;

      // Act
      const answer = await submit(client, form as Record<string, string>);

      // Assess
      expect(answer.status).toBe(400);
      expect(errorsOf(answer.html)).toEqual(expected);
      expect(pages.gp.requests).toBe(before);
      expect(answer.html).not.toContain('JSM7');
    },
  );

  it.each([
    [
      'already linked to another NHS login',
      {
        linkageKey: 'OBR4K8L1MN2PQ',
        odsCode: 'P84001',
        gpAccountId: '100000017',
        surname: "O'Brien",
        day: '14',
        month: '3',
        year: '1975',
      },
      409,
      'CID7004',
    ],
    [
      'the practice system down',
      {
        linkageKey: 'PTL6D1F4G7H0J',
        odsCode: 'B86001',
        gpAccountId: '100000122',
        surname: 'Patel',
        day: '19',
        month: '9',
        year: '1992',
      },
      503,
      'CID7023',
    ],
    [
      'the practice refusing the link',
      {
        linkageKey: 'EVN3Z8X5C2V9B',
        odsCode: 'W91001',
        gpAccountId: '100000130',
        surname: 'Evans',
        day: '30',
        month: '11',
        year: '1968',
      },
      503,
      'CID7023',
    ],
    [
      'PDS recording a death',
      {
        linkageKey: 'WLK2R5T8Y1U4I',
        odsCode: 'M85001',
        gpAccountId: '100000025',
        surname: 'Walker',
        day: '1',
        month: '1',
        year: '1932',
      },
      403,
      'CID7029',
    ],
    [
      'a practice NHS number PDS does not have',
      {
        linkageKey: 'MRS1Q4W7E0R3T',
        odsCode: 'C84001',
        gpAccountId: '100000157',
        surname: 'Morris',
        day: '25',
        month: '1',
        year: '1979',
      },
      403,
      'CID7029',
    ],
  ])('shows its reference for %s, and leaves the account as it was', async (_case, form, status, cid) => {
    // Prepare
    await start();
    const client = await loggedIn();

    // Act
    const answer = await submit(client, form);

    // Assess
    expect(answer.status).toBe(status);
    expect(answer.html).toContain(cid);
    expect(answer.html).toContain(`/contact?cid=${cid}`);
    const account = await accounts().findByEmail('pat@example.com');
    expect(account?.proofingLevel).toBe('P0');
    expect(account?.identity).toBeUndefined();
  });

  it('suspends the account with CID1101 when the P9 details name another NHS number than its P5 ones', async () => {
    // Prepare: P5 as Jane, then GP details of Ali
    await start();
    const client = await loggedIn();
    await client.get('/prove-who-you-are/check-your-details');
    await client.post('/prove-who-you-are/check-your-details', {
      day: '22',
      month: '10',
      year: '1980',
      knowsNhsNumber: 'yes',
      nhsNumber: '9000000009',
    });

    // Act
    const answer = await submit(client, ALI);

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.html).toContain('CID1101');
    const account = await accounts().findByEmail('pat@example.com');
    expect(account).toMatchObject({ proofingLevel: 'P5', disabled: { reason: 'suspended' } });
    expect(account?.identity?.nhsNumber).toBe('9000000009');
  });

  it('never moves a P9 account to another NHS number by a P5 check: CID1101, and the account is held for ops', async () => {
    // Prepare: P9 as Jane, then the NHS number and date of birth of Ali, which are easier to learn
    await start();
    const client = await loggedIn();
    await submit(client, JANE);

    // Act
    await client.get('/prove-who-you-are/check-your-details');
    const answer = await client.post('/prove-who-you-are/check-your-details', {
      day: '15',
      month: '6',
      year: '1983',
      knowsNhsNumber: 'yes',
      nhsNumber: '9000000149',
    });

    // Assess
    expect(answer.status).toBe(403);
    expect(answer.html).toContain('CID1101');
    const account = await accounts().findByEmail('pat@example.com');
    expect(account).toMatchObject({ proofingLevel: 'P9', identity: { nhsNumber: '9000000009' } });
    expect(account?.disabled?.reason).toBe('suspended');
  });

  it('caps GP details checks per account', async () => {
    // Prepare
    await start({ gpChecksPerAccount: 2 });
    const client = await loggedIn();
    const wrong = { ...JANE, linkageKey: 'WRONG1234ABCD' };

    // Act
    const answers = [];
    for (let attempt = 0; attempt < 3; attempt += 1) answers.push(await submit(client, wrong));

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual([422, 422, 429]);
    expect(answers[2]?.html).toContain('too many times');
  });

  describe('a service asking for P9', () => {
    const REDIRECT_URI = 'http://localhost:3001/callback';
    const registerService = () =>
      registerTestService(pages.dependencies.table, {
        clientId: 'gp-record',
        name: 'GP record',
        redirectUri: REDIRECT_URI,
        scopes: ['openid', 'profile', 'gp_integration_credentials'],
        vectorsOfTrust: ['P5.Cp.Cd', 'P9.Cp.Cd'],
      });
    const authorizePath = (vtr: string) =>
      `/authorize?${new URLSearchParams({
        client_id: 'gp-record',
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid profile gp_integration_credentials',
        state: 'state-9',
        nonce: 'nonce-9',
        vtr,
      })}`;
    const byNhsNumber = (client: Awaited<ReturnType<typeof loggedIn>>, nhsNumber: string, birth: string[]) =>
      client.post('/prove-who-you-are/check-your-details', {
        day: birth[0] ?? '',
        month: birth[1] ?? '',
        year: birth[2] ?? '',
        knowsNhsNumber: 'yes',
        nhsNumber,
      });

    it('steps a P5 account up to P9 within the service’s request, and answers it', async () => {
      // Prepare: a patient at P5 (Jane, by NHS number), then a service that needs P9
      await start();
      await registerService();
      const client = await loggedIn();
      await client.get('/prove-who-you-are/check-your-details');
      await byNhsNumber(client, '9000000009', ['22', '10', '1980']);

      // Act
      const asked = await client.get(authorizePath('["P9.Cp.Cd"]'));
      const proven = await submit(client, JANE);
      const agreed = await client.post('/consent', { decision: 'agree' });

      // Assess
      expect(asked.location).toBe('/prove-who-you-are');
      expect(proven.location).toBe('/consent');
      expect(agreed.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
      expect((await accounts().findByEmail('pat@example.com'))?.proofingLevel).toBe('P9');
    });

    it('disables an account at login with CID2012 when its number now belongs to another account', async () => {
      // Prepare: two accounts with two numbers, one of which PDS then merges into the other
      await start({ nhsNumberCheckCacheSeconds: 1 });
      await registerService();
      pages.pds.update('9000000041', { supersededBy: undefined });
      const merged = await loggedIn('merged@example.com');
      await proveAs(merged, '9000000041');
      const kept = await loggedIn('kept@example.com', '07700 900002');
      await proveAs(kept, '9000000068');
      pages.pds.update('9000000041', { supersededBy: '9000000068' });
      await new Promise((resolve) => setTimeout(resolve, 1100));

      // Act
      const asked = await merged.get(authorizePath('["P5.Cp.Cd"]'));
      const checked = await merged.get(asked.location ?? '');

      // Assess
      expect(asked.location).toBe('/prove-who-you-are/nhs-number-check');
      expect(checked.status).toBe(403);
      expect(checked.html).toContain('CID2012');
      expect(await accounts().findByEmail('merged@example.com')).toMatchObject({
        disabled: { reason: 'pds-record' },
        identity: { nhsNumber: '9000000041' },
      });
    });

    /** P5 by NHS number with Chris Taylor's date of birth. */
    const proveAs = async (patient: Awaited<ReturnType<typeof loggedIn>>, nhsNumber: string) => {
      await patient.get('/prove-who-you-are/check-your-details');
      await byNhsNumber(patient, nhsNumber, ['1', '12', '1985']);
    };
  });

  describe('one account per NHS number (seed 002)', () => {
    /** An older account proven with Ali's GP details, and a newer one that proves the same patient. */
    const twoAccounts = async (second: 'gp' | 'p5') => {
      await start();
      const older = await loggedIn('older@example.com');
      await submit(older, ALI);
      const newer = await loggedIn('newer@example.com', '07700 900002');
      const answer =
        second === 'gp'
          ? await submit(newer, ALI)
          : await (async () => {
              await newer.get('/prove-who-you-are/check-your-details');
              return newer.post('/prove-who-you-are/check-your-details', {
                day: '15',
                month: '6',
                year: '1983',
                knowsNhsNumber: 'yes',
                nhsNumber: '9000000149',
              });
            })();
      return { older, newer, answer };
    };

    it('tells a P5 match on a number with an account that it has one (CID1006), and never replaces it', async () => {
      // Prepare
      const { newer, answer } = await twoAccounts('p5');

      // Act
      const page = await newer.get(answer.location ?? '');
      const cannot = await newer.post('/prove-who-you-are/existing-account', { choice: 'cannot-log-in' });
      const forced = await newer.post('/prove-who-you-are/existing-account/replace');

      // Assess
      expect(answer.location).toBe('/prove-who-you-are/existing-account');
      expect(headingOf(page.html)).toBe('You already have an NHS login');
      expect(page.html).toContain('CID1006');
      expect(headingOf(cannot.html)).toBe('Prove who you are to use this NHS login instead');
      // Asking for the replacement anyway changes nothing, and goes back to the choice
      expect(forced.location).toBe('/prove-who-you-are/existing-account');
      expect((await accounts().findByEmail('older@example.com'))?.proofingLevel).toBe('P9');
      expect(await accounts().findByEmail('newer@example.com')).toMatchObject({
        proofingLevel: 'P0',
        heldIdentity: { level: 'P5', identity: { nhsNumber: '9000000149' } },
      });
    });

    it('replaces the older account once the newer one has passed P9 and the patient cannot log in to it', async () => {
      // Prepare
      const { older, newer, answer } = await twoAccounts('gp');
      const olderAccount = await accounts().findByEmail('older@example.com');

      // Act
      const cannot = await newer.post('/prove-who-you-are/existing-account', { choice: 'cannot-log-in' });
      const replaced = await newer.post('/prove-who-you-are/existing-account/replace');
      const olderSession = await older.get('/settings');

      // Assess
      expect(answer.location).toBe('/prove-who-you-are/existing-account');
      expect(headingOf(cannot.html)).toBe('We will delete your other NHS login');
      expect(headingOf(replaced.html)).toBe('You have proved who you are');
      expect(await accounts().findByEmail('older@example.com')).toBeUndefined();
      expect(await accounts().findById(olderAccount?.accountId ?? '')).toBeUndefined();
      const newerAccount = await accounts().findByEmail('newer@example.com');
      expect(newerAccount).toMatchObject({ proofingLevel: 'P9', identity: { nhsNumber: '9000000149' } });
      expect(newerAccount?.heldIdentity).toBeUndefined();
      // Subjects are never reassigned
      expect(newerAccount?.subject).not.toBe(olderAccount?.subject);
      // The older account's browser session is gone
      expect(headingOf(olderSession.html)).toBe('Your session has ended');
      expect(pages.outbox.latest({ to: 'older@example.com', kind: 'account-replaced' })).toBeDefined();
      expect(pages.outbox.latest({ to: 'newer@example.com', kind: 'identity-moved' })).toBeDefined();
      // The older address is free to register again
      const again = pages.client();
      await createAccount(again, pages.outbox, 'older@example.com', PASSWORD);
      expect(await accounts().findByEmail('older@example.com')).toBeDefined();
    });

    it('refuses a replacement posted from another site (no form token), and deletes nothing', async () => {
      // Prepare
      const { newer } = await twoAccounts('gp');

      // Act: what a page elsewhere could make the patient's browser send
      const forged = await newer.post('/prove-who-you-are/existing-account/replace', { csrfToken: 'forged' });

      // Assess
      expect(forged.status).toBe(400);
      expect((await accounts().findByEmail('older@example.com'))?.proofingLevel).toBe('P9');
      expect((await accounts().findByEmail('newer@example.com'))?.heldIdentity).toBeDefined();
    });

    it('logs out of the newer account to log in to the older one, keeping both', async () => {
      // Prepare
      const { newer } = await twoAccounts('gp');

      // Act
      const chosen = await newer.post('/prove-who-you-are/existing-account', { choice: 'log-in' });
      const settings = await newer.get('/settings');

      // Assess
      expect(chosen.location).toBe('/login');
      expect(settings.location).toBe('/login');
      expect((await accounts().findByEmail('older@example.com'))?.proofingLevel).toBe('P9');
      expect((await accounts().findByEmail('newer@example.com'))?.heldIdentity).toBeDefined();
    });

    it('tells the patient at their next login to a service that needs their identity, when it was held without them', async () => {
      // Prepare: an older P9 account; a newer one whose identity is held while the patient is away
      // (as a reviewer's approval of photo ID holds it), then a service that needs P9
      await start();
      const older = await loggedIn('older@example.com');
      await submit(older, ALI);
      const newer = await loggedIn('newer@example.com', '07700 900002');
      const newerAccount = await accounts().findByEmail('newer@example.com');
      if (!newerAccount) throw new Error('no newer account');
      const held = await upliftAccount(
        { accounts: accounts(), clock: () => new Date() },
        newerAccount,
        'P9',
        { nhsNumber: '9000000149', familyName: 'Khan', birthdate: '1983-06-15' },
      );
      await registerTestService(pages.dependencies.table, {
        clientId: 'gp-record',
        name: 'GP record',
        redirectUri: 'http://localhost:3001/callback',
        scopes: ['openid', 'profile'],
        vectorsOfTrust: ['P9.Cp.Cd'],
      });

      // Act
      const asked = await newer.get(
        `/authorize?${new URLSearchParams({
          client_id: 'gp-record',
          redirect_uri: 'http://localhost:3001/callback',
          response_type: 'code',
          scope: 'openid profile',
          state: 'state-h',
          nonce: 'nonce-h',
          vtr: '["P9.Cp.Cd"]',
        })}`,
      );
      const page = await newer.get(asked.location ?? '');
      await newer.post('/prove-who-you-are/existing-account', { choice: 'cannot-log-in' });
      const replaced = await newer.post('/prove-who-you-are/existing-account/replace');
      // An identity held without a PDS check of its own is checked before the service gets it
      const checked = await newer.get(replaced.location ?? '');

      // Assess
      expect(held.kind).toBe('duplicate');
      expect(asked.location).toBe('/prove-who-you-are/existing-account');
      expect(headingOf(page.html)).toBe('You already have an NHS login');
      expect(replaced.location).toBe('/prove-who-you-are/nhs-number-check');
      expect(checked.location).toBe('/consent');
      expect(await accounts().findByEmail('older@example.com')).toBeUndefined();
    });

    it('asks which account to use when no choice is made', async () => {
      // Prepare
      const { newer } = await twoAccounts('gp');
      await newer.get('/prove-who-you-are/existing-account');

      // Act
      const answer = await newer.post('/prove-who-you-are/existing-account', {});

      // Assess
      expect(answer.status).toBe(400);
      expect(errorsOf(answer.html)).toEqual(['Select whether you can log in to your other NHS login']);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import type { LimitOverrides } from '../../../src/domain/limits/limits.ts';
import { createAccount, errorsOf, firstLogin, headingOf, startPages } from '../../support/page-client.ts';
import { registerTestService } from '../../support/test-service.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';
const REDIRECT_URI = 'http://localhost:3001/callback';

/** Jane Smith, the sandbox's matching test patient. */
const JANE = { day: '22', month: '10', year: '1980' };

describe('proving who you are by checking your details (P5)', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** A P0 patient, logged in through the pages, with the phone the sandbox record has. */
  const loggedIn = async (limits: LimitOverrides = {}) => {
    pages = await startPages({ limits });
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(client, pages.outbox, { email: EMAIL, password: PASSWORD, phoneNumber: '07700 900001' });
    return client;
  };
  const account = () => new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL);
  const byNhsNumber = (nhsNumber: string, birth = JANE) => ({ ...birth, knowsNhsNumber: 'yes', nhsNumber });
  const byDetails = (details: Record<string, string>, birth = JANE) => ({
    ...birth,
    knowsNhsNumber: 'no',
    ...details,
  });
  const check = async (client: Awaited<ReturnType<typeof loggedIn>>, form: Record<string, string>) => {
    await client.get('/prove-who-you-are/check-your-details');
    return client.post('/prove-who-you-are/check-your-details', form);
  };

  it('offers the ways to prove who you are, and sets P5 with the NHS number when the details match', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const routes = await client.get('/prove-who-you-are');
    const matched = await check(client, byNhsNumber('900 000 0009'));

    // Assess
    expect(headingOf(routes.html)).toBe('Prove who you are');
    expect(routes.html).toContain('Check your details');
    expect(routes.html).toContain('Linkage Key');
    expect(headingOf(matched.html)).toBe('You have proved who you are');
    // Nothing from the record is shown
    expect(matched.html).not.toContain('Smith');
    expect(matched.html).not.toContain('Y12345');
    expect(await account()).toMatchObject({
      proofingLevel: 'P5',
      identity: {
        nhsNumber: '9000000009',
        familyName: 'Smith',
        givenName: 'Jane',
        birthdate: '1980-10-22',
        gpOdsCode: 'Y12345',
        phoneNumberPdsMatched: true,
      },
    });
  });

  it('matches by name and postcode, written as people write them', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const matched = await check(
      client,
      byDetails(
        { givenName: ' sam ', familyName: "o'brien ", postcode: 'm11ae' },
        { day: '14', month: '3', year: '1975' },
      ),
    );

    // Assess
    expect(headingOf(matched.html)).toBe('You have proved who you are');
    expect((await account())?.identity?.nhsNumber).toBe('9000000017');
  });

  it.each([
    ['a wrong date of birth', byNhsNumber('9000000009', { day: '23', month: '10', year: '1980' })],
    ['a deceased patient', byNhsNumber('9000000025', { day: '1', month: '1', year: '1932' })],
    ['an invalidated record', byNhsNumber('9000000076', { day: '5', month: '5', year: '1995' })],
    ['an unverified NHS number', byNhsNumber('9000000084', { day: '2', month: '2', year: '2000' })],
    ['a number no record has', byNhsNumber('9000000254')],
    [
      'details two records share',
      byDetails(
        { givenName: 'Lee', familyName: 'Jones', postcode: 'SW1A 1AA' },
        { day: '8', month: '8', year: '1970' },
      ),
    ],
    [
      'a restricted record found by postcode',
      byDetails(
        { givenName: 'Alex', familyName: 'Green', postcode: 'EH1 1YZ' },
        { day: '9', month: '7', year: '1990' },
      ),
    ],
    [
      'details no record has',
      byDetails(
        { givenName: 'Nobody', familyName: 'Unknown', postcode: 'ZZ99 9ZZ' },
        { day: '1', month: '1', year: '1990' },
      ),
    ],
  ])('does not match %s, and says only that it could not', async (_case, form) => {
    // Prepare
    const client = await loggedIn();

    // Act
    const answer = await check(client, form);

    // Assess
    expect(answer).toMatchObject({ status: 303, location: '/prove-who-you-are?details=no-match' });
    expect(answer.next?.html).toContain('We could not match your details');
    expect((await account())?.proofingLevel).toBe('P0');
  });

  it('offers the other ways more strongly after 3 failed matches, and caps checks per day', async () => {
    // Prepare
    const client = await loggedIn({ detailsChecksPerAccount: 4 });
    const wrong = byNhsNumber('9000000009', { day: '1', month: '1', year: '1999' });

    // Act
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt += 1) answers.push(await check(client, wrong));

    // Assess
    expect(answers[1]?.location).toBe('/prove-who-you-are?details=no-match');
    expect(answers[2]?.location).toBe('/prove-who-you-are?details=no-match&other=yes');
    expect(answers[4]?.status).toBe(429);
    expect(headingOf(answers[4]?.html ?? '')).toBe('You have tried to check your details too many times');
  });

  it.each([
    [
      'nothing',
      { knowsNhsNumber: '' },
      ['Enter your date of birth', 'Select yes if you know your NHS number'],
    ],
    [
      'an impossible date',
      byNhsNumber('9000000009', { day: '31', month: '2', year: '1980' }),
      ['Date of birth must be a real date'],
    ],
    [
      'a date to come',
      byNhsNumber('9000000009', { day: '1', month: '1', year: '2999' }),
      ['Date of birth must be in the past'],
    ],
    [
      'a wrong check digit',
      byNhsNumber('9000000010'),
      ['Enter a real NHS number. It is 10 digits, like 485 777 3456'],
    ],
    ['no NHS number', byNhsNumber(''), ['Enter your NHS number']],
    [
      'no name or postcode',
      byDetails({ givenName: '', familyName: '', postcode: '' }),
      ['Enter your first name', 'Enter your last name', 'Enter your postcode'],
    ],
    [
      'a postcode that is not one',
      byDetails({ givenName: 'Jane', familyName: 'Smith', postcode: 'LS1' }),
      ['Enter a real postcode, like LS1 6AE'],
    ],
  ])('refuses %s with the problems of the form, and checks nothing', async (_case, form, problems) => {
    // Prepare
    const client = await loggedIn();
    const before = pages.pds.requests;

    // Act
    const answer = await check(client, { day: '', month: '', year: '', ...form });

    // Assess
    expect(answer.status).toBe(400);
    expect(errorsOf(answer.html)).toEqual(problems);
    expect(pages.pds.requests).toBe(before);
  });

  it('says PDS cannot be reached when it is busy, never that the details did not match', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const answer = await check(client, byNhsNumber('9000000114', { day: '4', month: '4', year: '1988' }));

    // Assess
    expect(answer.status).toBe(503);
    expect(answer.html).not.toContain('We could not match your details');
    expect((await account())?.proofingLevel).toBe('P0');
  });

  it('asks a patient who is not logged in to log in first, and comes back', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);

    // Act
    const page = await client.get('/prove-who-you-are');
    const afterLogin = await firstLogin(client, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900001',
    });

    // Assess
    expect(page.location).toBe('/login');
    expect(afterLogin.location).toBe('/prove-who-you-are');
  });

  /** A service that needs P5 and the profile, and its authorization request. */
  const registerService = () =>
    registerTestService(pages.dependencies.table, {
      clientId: 'gp-app',
      name: 'GP appointments',
      redirectUri: REDIRECT_URI,
      scopes: ['openid', 'profile'],
      vectorsOfTrust: ['P5.Cp.Cd'],
    });
  const authorizePath = (extra: Record<string, string> = {}) =>
    `/authorize?${new URLSearchParams({
      client_id: 'gp-app',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid profile',
      state: 'state-5',
      nonce: 'nonce-5',
      vtr: '["P5.Cp.Cd"]',
      ...extra,
    })}`;

  it('answers a service that asked for P5 once the details match', async () => {
    // Prepare: a service that needs P5
    const client = await loggedIn();
    await registerService();

    // Act
    const asked = await client.get(authorizePath());
    const routes = await client.get('/prove-who-you-are');
    const matched = await check(client, byNhsNumber('9000000009'));
    const consent = await client.get('/consent');
    const agreed = await client.post('/consent', { decision: 'agree' });

    // Assess
    expect(asked.location).toBe('/prove-who-you-are');
    expect(routes.html).toContain('GP appointments');
    expect(matched.location).toBe('/consent');
    expect(consent.html).toContain('your NHS number');
    expect(agreed.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
  });

  describe('the NHS number at every login', () => {
    /** A P5 patient (by the NHS number given) who has agreed to share with the service once. */
    const provenPatient = async (limits: LimitOverrides = {}, nhsNumber = '9000000009', birth = JANE) => {
      const client = await loggedIn({ nhsNumberCheckCacheSeconds: 1, ...limits });
      await registerService();
      await client.get(authorizePath());
      await check(client, byNhsNumber(nhsNumber, birth));
      await client.post('/consent', { decision: 'agree' });
      return client;
    };
    /** The next authorization, past the check when one is asked for. */
    const authorizeAgain = async (client: Awaited<ReturnType<typeof loggedIn>>) => {
      const asked = await client.get(authorizePath());
      return asked.location === '/prove-who-you-are/nhs-number-check'
        ? { asked, checked: await client.get(asked.location) }
        : { asked, checked: undefined };
    };

    it('checks the number with PDS before the code, and not again while the last check stands', async () => {
      // Prepare
      const client = await provenPatient({ nhsNumberCheckCacheSeconds: 3600 });
      const before = pages.pds.requests;

      // Act
      const { asked } = await authorizeAgain(client);

      // Assess: the details check a moment ago was PDS's confirmation
      expect(asked.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
      expect(pages.pds.requests).toBe(before);
    });

    it('checks a number whose last check is older than the cache allows, then issues the code', async () => {
      // Prepare
      const client = await provenPatient({ nhsNumberCheckCacheSeconds: 1 });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const before = pages.pds.requests;

      // Act
      const { asked, checked } = await authorizeAgain(client);

      // Assess
      expect(asked.location).toBe('/prove-who-you-are/nhs-number-check');
      expect(checked?.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
      expect(pages.pds.requests).toBeGreaterThan(before);
    });

    it('shows CID2011 when the record has been invalidated since, and issues nothing', async () => {
      // Prepare
      const client = await provenPatient();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      pages.pds.update('9000000009', { invalidated: true });

      // Act
      const { checked } = await authorizeAgain(client);

      // Assess
      expect(checked?.status).toBe(403);
      expect(checked?.html).toContain('CID2011');
      expect(headingOf(checked?.html ?? '')).toBe('There may be a problem with your NHS number');
      expect(checked?.location).toBeNull();
    });

    it('disables the account with CID2012 when PDS records a death, and keeps it disabled', async () => {
      // Prepare
      const client = await provenPatient();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      pages.pds.update('9000000009', { deceased: '2026-11-30' });

      // Act
      const { checked } = await authorizeAgain(client);
      const requestsAfter = pages.pds.requests;
      const again = await client.get(authorizePath());

      // Assess
      expect(checked?.html).toContain('CID2012');
      expect((await account())?.disabled).toMatchObject({ reason: 'pds-record' });
      expect(again.status).toBe(403);
      expect(again.html).toContain('CID2012');
      expect(pages.pds.requests).toBe(requestsAfter);
    });

    it('follows a superseded number to the new record and keeps it', async () => {
      // Prepare: proven by the number that is later superseded
      const client = await provenPatient({}, '9000000068', { day: '1', month: '12', year: '1985' });
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const store = new DynamoAccountStore(pages.dependencies.table);
      const current = await account();
      await store.setIdentity(current?.accountId ?? '', 'P5', {
        ...current?.identity,
        nhsNumber: '9000000041',
        checkedAt: '2020-01-01T00:00:00Z',
      });

      // Act
      const { checked } = await authorizeAgain(client);

      // Assess
      expect(checked?.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
      expect((await account())?.identity?.nhsNumber).toBe('9000000068');
    });

    it('fails safe when PDS is busy: a page to try again, no code, and the account untouched', async () => {
      // Prepare
      const client = await provenPatient();
      await new Promise((resolve) => setTimeout(resolve, 1100));
      pages.pds.update('9000000009', { busy: true });

      // Act
      const { checked } = await authorizeAgain(client);

      // Assess
      expect(checked?.status).toBe(503);
      expect(headingOf(checked?.html ?? '')).toBe('We cannot check your NHS number right now');
      expect(checked?.location).toBeNull();
      expect((await account())?.disabled).toBeUndefined();
    });

    it('answers prompt=none with interaction_required while a check is due', async () => {
      // Prepare
      const client = await provenPatient();
      await new Promise((resolve) => setTimeout(resolve, 1100));

      // Act
      const silent = await client.get(authorizePath({ prompt: 'none' }));

      // Assess
      expect(new URL(silent.location ?? '').searchParams.get('error')).toBe('interaction_required');
    });
  });
});

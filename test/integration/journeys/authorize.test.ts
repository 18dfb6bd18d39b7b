import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import { registerClient } from '../../../src/domain/clients/client-registration.ts';
import {
  codeIn,
  createAccount,
  firstLogin,
  headingOf,
  linkIn,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';
const REDIRECT_URI = 'http://localhost:3001/callback';

describe('authorization requests from a relying party', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** A registered client for P0 and P9 vectors, and a patient with a phone, logged out. */
  const prepare = async () => {
    pages = await startPages();
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const client = await registerClient(
      {
        clientId: 'gp-app',
        name: 'GP appointments',
        redirectUris: [REDIRECT_URI],
        publicKey,
        scopes: ['openid', 'email', 'phone', 'profile', 'landline'],
        vectorsOfTrust: ['P0.Cp.Cd', 'P9.Cp.Cd'],
      },
      { newClientId: () => 'gp-app', now: () => new Date(), allowLocalRedirects: true },
    );
    await new DynamoClientStore(pages.dependencies.table).create(client);
    const patient = pages.client();
    await createAccount(patient, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(patient, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    await patient.post('/logout');
    return patient;
  };

  const authorizePath = (overrides: Record<string, string | undefined> = {}) => {
    const params = new URLSearchParams();
    const values = {
      client_id: 'gp-app',
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      scope: 'openid email',
      state: 'state-123',
      nonce: 'nonce-456',
      vtr: '["P0.Cp.Cd"]',
      ...overrides,
    };
    for (const [name, value] of Object.entries(values)) if (value !== undefined) params.set(name, value);
    return `/authorize?${params}`;
  };

  const logIn = async (patient: PageClient) => {
    await patient.get('/login');
    const login = await patient.post('/login', { email: EMAIL, password: PASSWORD });
    return patient
      .post('/login/code', { code: codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '') })
      .then((code) => ({ login, code }));
  };

  /** Follows our own redirects until one leaves for the relying party (or a page is shown). */
  const follow = async (patient: PageClient, path: string) => {
    let response = await patient.get(path);
    while (
      response.location?.startsWith('/') &&
      !['/login', '/consent', '/prove-who-you-are'].includes(response.location)
    ) {
      response = await patient.get(response.location);
    }
    return response;
  };

  it('goes back to the service after a password reset started from its login', async () => {
    // Prepare: the service sends the patient to log in; they have forgotten their password
    const patient = await prepare();
    await patient.get(authorizePath());
    await patient.get('/password/forgotten');
    await patient.post('/password/forgotten', { email: EMAIL });
    const link = linkIn(pages.outbox.latest({ kind: 'reset-password' })?.text ?? '', '/password/reset');
    const latestCode = () => codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');

    // Act
    await patient.get(link);
    await patient.post('/password/reset', {
      token: new URL(`http://x${link}`).searchParams.get('token') ?? '',
    });
    await patient.post('/password/reset/code', { code: latestCode() });
    const reset = await patient.post('/password/reset/new', { password: 'a brand new passphrase' });
    await patient.get('/login');
    await patient.post('/login', { email: EMAIL, password: 'a brand new passphrase' });
    const code = await patient.post('/login/code', { code: latestCode() });
    const consented = await patient.post('/consent', { decision: 'agree' });

    // Assess: the service's request goes on where the login left it, to consent and back
    expect(reset.location).toBe('/password/reset/done');
    expect(code.location).toBe('/consent');
    expect(consented.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    expect(new URL(consented.location ?? '').searchParams.get('state')).toBe('state-123');
  });

  it('goes back to the service after an account is created from its login and the email confirmed', async () => {
    // Prepare: a new patient, sent by the service, creates an account
    const patient = await prepare();
    await patient.get(authorizePath());
    await patient.get('/register');
    await patient.post('/register', { email: 'new@example.com', password: PASSWORD, terms: 'accepted' });
    const link = linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm');
    const latestCode = () => codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');

    // Act: confirms the email in the same browser, then logs in for the first time
    const confirmed = await patient.openLink(link);
    await patient.get('/login');
    await patient.post('/login', { email: 'new@example.com', password: PASSWORD });
    await patient.post('/login/phone', { phoneNumber: '07700 900456' });
    const code = await patient.post('/login/code', { code: latestCode() });
    const consented = await patient.post('/consent', { decision: 'agree' });

    // Assess
    expect(confirmed.html).toContain('You now have an NHS login');
    expect(code.location).toBe('/consent');
    expect(consented.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    expect(new URL(consented.location ?? '').searchParams.get('state')).toBe('state-123');
  });

  it('shows CID1004 for an unknown service, and never redirects', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const response = await patient.get(authorizePath({ client_id: 'nobody' }));

    // Assess
    expect(response.status).toBe(400);
    expect(response.html).toContain('CID1004');
    expect(response.location).toBeNull();
  });

  it('shows a page, and never redirects, for a redirect_uri that is not registered', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const response = await patient.get(authorizePath({ redirect_uri: 'https://evil.example/callback' }));

    // Assess
    expect(response.status).toBe(400);
    expect(headingOf(response.html)).toBe('We cannot send you back to the website or app');
    expect(response.location).toBeNull();
  });

  it('returns protocol errors to the relying party with the state', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const noNonce = await patient.get(authorizePath({ nonce: undefined }));
    const badScope = await patient.get(authorizePath({ scope: 'openid gp_registration_details' }));

    // Assess
    expect(new URL(noNonce.location ?? '').searchParams.get('error')).toBe('invalid_request');
    expect(new URL(noNonce.location ?? '').searchParams.get('state')).toBe('state-123');
    expect(new URL(badScope.location ?? '').searchParams.get('error')).toBe('invalid_scope');
  });

  it('logs the patient in, asks for consent once, and returns a code with the state', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const first = await patient.get(authorizePath());
    await logIn(patient);
    const afterLogin = await follow(patient, '/login/done');
    const consentPage = await patient.get('/consent');
    const agreed = await patient.post('/consent', { decision: 'agree' });
    const again = await patient.get(authorizePath({ state: 'second' }));

    // Assess
    expect(first.location).toBe('/login');
    expect(afterLogin.location).toBe('/consent');
    expect(consentPage.html).toContain('your email address');
    const callback = new URL(agreed.location ?? '');
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(callback.searchParams.get('iss')).toBe(pages.dependencies.issuer);
    const sso = new URL(again.location ?? '');
    expect(sso.searchParams.get('state')).toBe('second');
    expect(sso.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('lists on the consent page only what a P0 account will share, and says what it cannot and why', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    await patient.get(authorizePath({ scope: 'openid profile email phone landline' }));
    await logIn(patient);
    const consentPage = await patient.get('/consent');
    const text = consentPage.html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    const shared = text.slice(text.indexOf('If you agree'), text.indexOf('What we cannot share'));
    const notShared = text.slice(text.indexOf('What we cannot share'));

    // Assess
    expect(shared).toContain('your email address');
    expect(shared).toContain('your mobile phone number');
    expect(shared).toContain('that you have not proved who you are yet');
    expect(shared).not.toContain('NHS number');
    expect(shared).not.toContain('date of birth');
    expect(notShared).toContain('your NHS number');
    expect(notShared).toContain('your surname');
    expect(notShared).toContain('your date of birth');
    expect(notShared).toContain('because you have not proved who you are');
    expect(notShared).toContain('We do not have your landline phone number for you, so we cannot share it.');
  });

  it('refuses an answer from the page of an earlier request: consent for one service never goes to another', async () => {
    // Prepare: a second service asks for more; the patient, logged in, has service A's consent page open
    const patient = await prepare();
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    const wider = await registerClient(
      {
        clientId: 'pharmacy',
        name: 'Pharmacy',
        redirectUris: ['http://localhost:3002/callback'],
        publicKey,
        scopes: ['openid', 'email', 'phone', 'profile', 'landline'],
        vectorsOfTrust: ['P0.Cp.Cd'],
      },
      { newClientId: () => 'pharmacy', now: () => new Date(), allowLocalRedirects: true },
    );
    await new DynamoClientStore(pages.dependencies.table).create(wider);
    await patient.get(authorizePath());
    await logIn(patient);
    const consentA = await patient.get('/consent');
    const interactionA = /name="interaction" value="([^"]+)"/.exec(consentA.html)?.[1] ?? '';
    await patient.get(
      authorizePath({
        client_id: 'pharmacy',
        redirect_uri: 'http://localhost:3002/callback',
        scope: 'openid email phone',
      }),
    );

    // Act: Agree pressed on service A's page
    const agreed = await patient.post('/consent', { decision: 'agree', interaction: interactionA });
    const withoutId = await patient.post('/consent', { decision: 'agree', interaction: '' });

    // Assess
    expect(interactionA).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(agreed.status).toBe(400);
    expect(headingOf(agreed.html)).toBe('This page is out of date');
    expect(agreed.location).toBeNull();
    expect(withoutId.status).toBe(400);
    const consentB = await patient.get('/consent');
    expect(consentB.html).toContain('Pharmacy');
  });

  it('refuses a login step posted from an earlier request’s page', async () => {
    // Prepare
    const patient = await prepare();
    await patient.get(authorizePath());
    const loginPage = await patient.get('/login');
    const earlier = /name="interaction" value="([^"]+)"/.exec(loginPage.html)?.[1] ?? '';
    await patient.get(authorizePath({ state: 'another' }));

    // Act
    const stale = await patient.post('/login', { email: EMAIL, password: PASSWORD, interaction: earlier });

    // Assess
    expect(stale.status).toBe(400);
    expect(headingOf(stale.html)).toBe('This page is out of date');
  });

  it('returns access_denied with ConsentNotGiven when the patient declines', async () => {
    // Prepare
    const patient = await prepare();
    await patient.get(authorizePath());
    await logIn(patient);
    await follow(patient, '/login/done');
    await patient.get('/consent');

    // Act
    const declined = await patient.post('/consent', { decision: 'decline' });

    // Assess
    const callback = new URL(declined.location ?? '');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('error_description')).toBe('ConsentNotGiven');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('answers prompt=none without a login with login_required', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const response = await patient.get(authorizePath({ prompt: 'none' }));

    // Assess
    expect(new URL(response.location ?? '').searchParams.get('error')).toBe('login_required');
  });

  it('sends a P0 patient asked for P9 to "prove who you are", and back with access_denied', async () => {
    // Prepare
    const patient = await prepare();
    await patient.get(authorizePath({ vtr: '["P9.Cp.Cd"]' }));
    await logIn(patient);

    // Act
    const next = await follow(patient, '/login/done');
    const page = await patient.get('/prove-who-you-are');
    const back = await patient.post('/prove-who-you-are');

    // Assess
    expect(next.location).toBe('/prove-who-you-are');
    expect(headingOf(page.html)).toBe('Prove who you are');
    expect(page.html).toContain('GP appointments');
    expect(new URL(back.location ?? '').searchParams.get('error')).toBe('access_denied');
  });

  it('makes a logged-in patient log in again with prompt=login', async () => {
    // Prepare
    const patient = await prepare();
    await patient.get(authorizePath());
    await logIn(patient);
    await follow(patient, '/login/done');
    await patient.post('/consent', { decision: 'agree' });

    // Act
    const response = await patient.get(authorizePath({ prompt: 'login' }));

    // Assess
    expect(response.location).toBe('/login');
  });
});

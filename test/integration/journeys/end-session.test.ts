import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { createOidcServices } from '../../../src/wiring/oidc-services.ts';
import {
  createAccount,
  firstLogin,
  headingOf,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const PASSWORD = 'correct horse battery';

describe('logging out at a relying party’s request (end_session_endpoint)', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** A patient logged in through the pages (the first of a test starts the pages). */
  const loggedIn = async (email = 'pat@example.com') => {
    if (email === 'pat@example.com') pages = await startPages();
    const client = pages.client();
    await createAccount(client, pages.outbox, email, PASSWORD);
    await firstLogin(client, pages.outbox, { email, password: PASSWORD, phoneNumber: '07700 900123' });
    return client;
  };

  /** An ID token we issued for the account with this address, as a relying party holds it. */
  const idTokenOf = async (email: string) => {
    const account = await new DynamoAccountStore(pages.dependencies.table).findByEmail(email);
    if (!account) throw new Error('no account');
    const { tokens } = createOidcServices(pages.dependencies);
    const issued = await tokens.issueIdToken({
      account,
      clientId: 'demo-service',
      scopes: ['openid'],
      vot: 'P0.Cp.Cd',
      authTime: Math.floor(Date.now() / 1000),
      nonce: 'n',
    });
    return issued.token;
  };

  const stillLoggedIn = async (client: PageClient) => headingOf((await client.get('/settings')).html);

  it('asks before logging out when no ID token is given, so another site cannot log the patient out', async () => {
    // Prepare
    const patient = await loggedIn();

    // Act
    const asked = await patient.get('/end-session');
    const crossSitePost = await patient.post('/end-session', { csrfToken: 'not ours', confirm: 'yes' });

    // Assess
    expect(asked.status).toBe(200);
    expect(headingOf(asked.html)).toBe('Do you want to log out?');
    expect(headingOf(crossSitePost.html)).toBe('Do you want to log out?');
    expect(await stillLoggedIn(patient)).toBe('Login and security settings');
  });

  it('asks when the ID token is not one of ours, or is another patient’s', async () => {
    // Prepare
    const patient = await loggedIn();
    await loggedIn('sam@example.com');
    const othersToken = await idTokenOf('sam@example.com');

    // Act
    const forged = await patient.get('/end-session?id_token_hint=eyJhbGciOiJub25lIn0.e30.');
    const others = await patient.get(`/end-session?id_token_hint=${othersToken}`);

    // Assess
    expect(headingOf(forged.html)).toBe('Do you want to log out?');
    expect(headingOf(others.html)).toBe('Do you want to log out?');
    expect(await stillLoggedIn(patient)).toBe('Login and security settings');
  });

  it('logs out when the patient says so on the question page', async () => {
    // Prepare
    const patient = await loggedIn();
    await patient.get('/end-session');

    // Act
    const confirmed = await patient.post('/end-session', { confirm: 'yes' });

    // Assess
    expect(headingOf(confirmed.html)).toBe('You have logged out');
    expect((await patient.get('/settings')).location).toBe('/login');
  });

  it('logs out at once, without asking, with an ID token we issued for this login', async () => {
    // Prepare
    const patient = await loggedIn();
    const hint = await idTokenOf('pat@example.com');

    // Act
    const response = await patient.get(
      `/end-session?id_token_hint=${hint}&post_logout_redirect_uri=${encodeURIComponent('http://localhost:3001/')}&state=bye`,
    );

    // Assess: no client is registered here, so not back to a service (the relying-party tests go back)
    expect(headingOf(response.html)).toBe('You have logged out');
    expect((await patient.get('/settings')).location).toBe('/login');
  });
});

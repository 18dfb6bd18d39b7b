import { generate } from 'otplib';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import {
  codeIn,
  confirmItIsYou,
  createAccount,
  errorsOf,
  firstLogin,
  headingOf,
  linkIn,
  movableClock,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';

describe('an authenticator app instead of texts', () => {
  let pages: Pages | undefined;
  afterEach(async () => {
    await pages?.stop();
    pages = undefined;
  });
  const stack = (): Pages => {
    if (!pages) throw new Error('The test has not started the pages');
    return pages;
  };
  const clock = movableClock(new Date());
  const epoch = () => Math.floor(clock().getTime() / 1000);
  /** The app's code now, or a step later (each step's code works once). */
  const appCode = (secret: string, stepsLater = 0) => generate({ secret, epoch: epoch() + stepsLater * 30 });
  const texted = () => codeIn(stack().outbox.latest({ kind: 'security-code' })?.text ?? '');

  /** A logged-in patient with a phone, who sets up an app: the key shown, and the recovery codes. */
  const withApp = async () => {
    pages = await startPages({ clock });
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(client, pages.outbox, { email: EMAIL, password: PASSWORD, phoneNumber: '07700 900123' });
    await confirmItIsYou(client, pages.outbox, PASSWORD, { target: 'app' });
    const setUp = await client.get('/settings/authenticator-app/set-up');
    const key = (/<code id="setup-key">([^<]+)<\/code>/.exec(setUp.html)?.[1] ?? '').replaceAll(' ', '');
    const done = await client.post('/settings/authenticator-app/set-up', { code: await appCode(key) });
    const recoveryCodes = [...done.html.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map(
      (match) => match[1] ?? '',
    );
    return { client, key, setUp, done, recoveryCodes };
  };

  /** The password step of a login, leading to the code page. */
  const passwordStep = async (client: PageClient) => {
    await client.get('/login');
    return client.post('/login', { email: EMAIL, password: PASSWORD });
  };

  it('sets up the app behind the re-authentication gate with a QR code and a key, then shows the recovery codes once', async () => {
    // Prepare
    pages = await startPages({ clock });
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(client, pages.outbox, { email: EMAIL, password: PASSWORD, phoneNumber: '07700 900123' });

    // Act
    const gated = await client.get('/settings/authenticator-app/set-up');
    await confirmItIsYou(client, pages.outbox, PASSWORD, { target: 'app' });
    const setUp = await client.get('/settings/authenticator-app/set-up');
    const key = (/<code id="setup-key">([^<]+)<\/code>/.exec(setUp.html)?.[1] ?? '').replaceAll(' ', '');
    const wrong = await client.post('/settings/authenticator-app/set-up', { code: '000000' });
    const done = await client.post('/settings/authenticator-app/set-up', { code: await appCode(key) });
    const settings = await client.get('/settings');

    // Assess
    expect(gated.location).toBe('/settings/confirm-it-is-you?for=app');
    expect(setUp.html).toContain('<svg');
    expect(key).toMatch(/^[A-Z2-7]{16,}$/);
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong.html)[0]).toMatch(/^The security code is not right/);
    // The page shown again keeps the same key, so the app already set up still works.
    expect(wrong.html).toContain(setUp.html.match(/<code id="setup-key">[^<]+<\/code>/)?.[0]);
    expect(headingOf(done.html)).toBe('Save your recovery codes');
    expect([...done.html.matchAll(/<li><code>[a-z2-9]{5}-[a-z2-9]{5}<\/code><\/li>/g)]).toHaveLength(10);
    expect(settings.html).toContain('Authenticator app set up');
    expect(stack().outbox.latest({ kind: 'authenticator-app-added' })?.to).toBe(EMAIL);
    // Only a sealed secret and the codes' digests are kept.
    const account = await new DynamoAccountStore(stack().dependencies.table).findByEmail(EMAIL);
    expect(JSON.stringify(account)).not.toContain(key);
    expect(account?.authenticatorApp?.recoveryCodes).toHaveLength(10);
  });

  it('asks for the app’s code at login instead of texting one, and takes each code once', async () => {
    // Prepare
    const { client, key } = await withApp();
    await client.post('/logout');
    const textsBefore = stack()
      .outbox.messages()
      .filter((message) => message.kind === 'security-code').length;

    // Act
    const codePage = await passwordStep(client);
    const code = await appCode(key, 1);
    clock.advance(30);
    const loggedIn = await client.post('/login/code', { code });
    await client.post('/logout');
    await passwordStep(client);
    const replayed = await client.post('/login/code', { code });

    // Assess
    expect(codePage.next?.html).toContain('Enter the 6-digit code your authenticator app shows');
    expect(codePage.next?.html).toContain('Send the code by text message instead');
    expect(
      stack()
        .outbox.messages()
        .filter((message) => message.kind === 'security-code'),
    ).toHaveLength(textsBefore);
    expect(loggedIn.location).toBe('/login/done');
    expect(errorsOf(replayed.html)[0]).toMatch(/^The security code is not right/);
  });

  it('takes a recovery code once in place of the app’s code', async () => {
    // Prepare
    const { client, recoveryCodes } = await withApp();
    await client.post('/logout');
    const [first = ''] = recoveryCodes;

    // Act
    await passwordStep(client);
    const used = await client.post('/login/code', { code: ` ${first.toUpperCase()} ` });
    await client.post('/logout');
    await passwordStep(client);
    const again = await client.post('/login/code', { code: first });
    const malformed = await client.post('/login/code', { code: 'not a code' });

    // Assess
    expect(used.location).toBe('/login/done');
    expect(errorsOf(again.html)[0]).toMatch(/^The security code is not right/);
    expect(errorsOf(malformed.html)).toEqual([
      'Enter the 6-digit code from your authenticator app, or one of your recovery codes',
    ]);
    const account = await new DynamoAccountStore(stack().dependencies.table).findByEmail(EMAIL);
    expect(account?.authenticatorApp?.recoveryCodes).toHaveLength(9);
  });

  it('counts wrong app codes and recovery codes towards the same lockout as texted codes', async () => {
    // Prepare
    const { client, key } = await withApp();
    await client.post('/logout');
    await passwordStep(client);
    const attempts = stack().dependencies.limits.securityCodeAttempts;

    // Act
    const answers = [];
    for (let attempt = 0; attempt < attempts; attempt += 1)
      answers.push(await client.post('/login/code', { code: attempt % 2 ? 'abcde-fghjk' : '000000' }));
    const rightButLocked = await client.post('/login/code', { code: await appCode(key, 1) });

    // Assess
    expect(answers.slice(0, -1).every((answer) => answer.status === 400)).toBe(true);
    expect(answers.at(-1)?.status).toBe(429);
    expect(rightButLocked.status).toBe(429);
  });

  it('texts a code instead when the patient asks, and logs in with it', async () => {
    // Prepare
    const { client } = await withApp();
    await client.post('/logout');
    await passwordStep(client);

    // Act
    const sent = await client.post('/login/code/resend', { channel: 'sms' });
    const loggedIn = await client.post('/login/code', { code: texted() });

    // Assess
    expect(sent.next?.html).toContain('by text message to your mobile phone number');
    expect(loggedIn.location).toBe('/login/done');
  });

  it('removes the app after asking, and texts codes again', async () => {
    // Prepare
    const { client } = await withApp();

    // Act
    const asked = await client.post('/settings/authenticator-app/remove');
    const removed = await client.post('/settings/authenticator-app/remove', { confirm: 'yes' });
    await client.post('/logout');
    const codePage = await passwordStep(client);

    // Assess
    expect(headingOf(asked.html)).toBe('Remove your authenticator app?');
    expect(removed.location).toBe('/settings/authenticator-app?updated=removed');
    expect(stack().outbox.latest({ kind: 'authenticator-app-removed' })?.to).toBe(EMAIL);
    expect(codePage.next?.html).toContain('by text message to your mobile phone number');
  });

  it('lets a patient without a mobile phone finish a first login with an app, and log in with it after', async () => {
    // Prepare
    pages = await startPages({ clock });
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    const login = await passwordStep(client);

    // Act
    const setUp = await client.get('/login/authenticator-app');
    const key = (/<code id="setup-key">([^<]+)<\/code>/.exec(setUp.html)?.[1] ?? '').replaceAll(' ', '');
    const wrong = await client.post('/login/authenticator-app', { code: '123456' });
    const done = await client.post('/login/authenticator-app', { code: await appCode(key) });
    const loggedIn = await client.get('/login/done');
    await client.post('/logout');
    const next = await passwordStep(client);
    clock.advance(30);
    const again = await client.post('/login/code', { code: await appCode(key) });

    // Assess
    expect(login.location).toBe('/login/phone');
    expect(login.next?.html).toContain('Use an authenticator app instead');
    expect(errorsOf(wrong.html)[0]).toMatch(/^The security code is not right/);
    expect(headingOf(done.html)).toBe('Save your recovery codes');
    expect(headingOf(loggedIn.html)).toBe('You are logged in');
    expect(next.next?.html).toContain('Enter the 6-digit code your authenticator app shows');
    // No phone: no text to offer instead.
    expect(next.next?.html).not.toContain('Send the code by text message instead');
    expect(again.location).toBe('/login/done');
    const account = await new DynamoAccountStore(stack().dependencies.table).findByEmail(EMAIL);
    expect(account?.phoneNumber).toBeUndefined();
  });

  it('does not let a login that has passed no password set up an app, nor an account with a second factor', async () => {
    // Prepare
    const { client } = await withApp();
    const stranger = stack().client();

    // Act
    const withoutPassword = await stranger.get('/login/authenticator-app');
    const withFactor = await client.get('/login/authenticator-app');

    // Assess
    expect(withoutPassword.location).toBe('/login');
    expect(withFactor.location).toBe('/login');
  });

  it('asks for the app’s code, or a recovery code, in a password reset', async () => {
    // Prepare
    const { client, key } = await withApp();
    await client.post('/logout');
    await client.get('/password/forgotten');
    await client.post('/password/forgotten', { email: EMAIL });
    const link = linkIn(stack().outbox.latest({ kind: 'reset-password' })?.text ?? '', '/password/reset');

    // Act
    await client.get(link);
    const codePage = await client.post('/password/reset', {
      token: new URL(link, 'http://x').searchParams.get('token') ?? '',
    });
    clock.advance(30);
    const passed = await client.post('/password/reset/code', { code: await appCode(key) });

    // Assess
    expect(codePage.next?.html).toContain('authenticator app');
    expect(passed.location).toBe('/password/reset/new');
  });
});

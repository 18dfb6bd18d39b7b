import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoSessionStore } from '../../../src/adapters/dynamodb/dynamo-session-store.ts';
import { SessionEndedError } from '../../../src/domain/sessions/browser-session.ts';
import {
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
const NEW_PASSWORD = 'a brand new passphrase';

describe('resetting a forgotten password', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** An account with a phone and a remembered device, and the client logged in on that device. */
  const loggedInOnRememberedDevice = async (options: Parameters<typeof startPages>[0] = {}) => {
    pages = await startPages(options);
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(client, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
      remember: true,
    });
    return client;
  };

  const requestReset = async (client: PageClient, email = EMAIL) => {
    await client.get('/password/forgotten');
    return client.post('/password/forgotten', { email });
  };

  const accountId = async () =>
    (await new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL))?.accountId ?? '';

  const resetLink = () =>
    linkIn(pages.outbox.latest({ kind: 'reset-password' })?.text ?? '', '/password/reset');

  it('resets the password by link, ends every session, forgets remembered devices and tells the patient', async () => {
    // Prepare
    const device = await loggedInOnRememberedDevice();
    const other = pages.client();

    // Act
    const requested = await requestReset(other);
    const form = await other.get(resetLink());
    const reset = await other.post('/password/reset', {
      token: new URL(`http://x${resetLink()}`).searchParams.get('token') ?? '',
      password: NEW_PASSWORD,
    });
    const deviceSessionAfter = await device.get('/login/done');
    await device.get('/login');
    const oldPassword = await device.post('/login', { email: EMAIL, password: PASSWORD });
    const newPassword = await device.post('/login', { email: EMAIL, password: NEW_PASSWORD });

    // Assess
    expect(requested.next?.html).toContain('we have sent it a link to reset your password');
    expect(headingOf(form.html)).toBe('Create a new password');
    expect(reset.location).toBe('/password/reset/done');
    expect(headingOf(reset.next?.html ?? '')).toBe('Your password has been reset');
    expect(headingOf(deviceSessionAfter.html)).toBe('Your session has ended');
    expect(oldPassword.status).toBe(400);
    expect(newPassword.location).toBe('/login/code');
    expect(pages.outbox.latest({ kind: 'password-changed' })?.to).toBe(EMAIL);
  });

  it('answers the same for an address without an account, and tells that address there is none', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await requestReset(pages.client(), 'nobody@example.com');

    // Assess
    expect(response.location).toBe('/password/forgotten/sent');
    expect(response.next?.html).toContain('we have sent it a link to reset your password');
    expect(pages.outbox.messages().map((message) => [message.kind, message.to])).toEqual([
      ['reset-no-account', 'nobody@example.com'],
    ]);
  });

  it('refuses a new password that breaks the rules, and keeps the link usable', async () => {
    // Prepare
    await loggedInOnRememberedDevice();
    const client = pages.client();
    await requestReset(client);
    const link = resetLink();
    const token = new URL(`http://x${link}`).searchParams.get('token') ?? '';
    await client.get(link);

    // Act
    const weak = await client.post('/password/reset', { token, password: 'pat12345' });
    const strong = await client.post('/password/reset', { token, password: NEW_PASSWORD });

    // Assess
    expect(weak.status).toBe(400);
    expect(errorsOf(weak.html)).toEqual([
      'Your password must not include the part of your email address before the @',
    ]);
    expect(strong.location).toBe('/password/reset/done');
  });

  it('refuses a used link with CID2022', async () => {
    // Prepare
    await loggedInOnRememberedDevice();
    const client = pages.client();
    await requestReset(client);
    const link = resetLink();
    await client.get(link);
    await client.post('/password/reset', {
      token: new URL(`http://x${link}`).searchParams.get('token') ?? '',
      password: NEW_PASSWORD,
    });

    // Act
    const reused = await pages.client().get(link);

    // Assess
    expect(reused.status).toBe(400);
    expect(headingOf(reused.html)).toBe('This link has already been used');
    expect(reused.html).toContain('CID2022');
  });

  it('refuses a link after 1 hour with CID2021', async () => {
    // Prepare
    const clock = movableClock();
    await loggedInOnRememberedDevice({ clock });
    await requestReset(pages.client());
    const link = resetLink();
    clock.advance(3600 + 1);

    // Act
    const expired = await pages.client().get(link);

    // Assess
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('CID2021');
  });

  it('refuses a broken link with CID2023', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const broken = await pages.client().get('/password/reset?token=cut-short');

    // Assess
    expect(broken.status).toBe(400);
    expect(headingOf(broken.html)).toBe('This link does not work');
    expect(broken.html).toContain('CID2023');
  });

  it('refuses a session from before the reset even if its item is written back by a request in flight', async () => {
    // Prepare: keep a copy of the logged-in session's item, as a slow request would hold it
    const device = await loggedInOnRememberedDevice();
    const sessionsBefore = await pages.dependencies.table.queryIndex(
      'gsi1',
      `ACCOUNT_SESSIONS#${await accountId()}`,
    );
    await requestReset(pages.client());
    const link = resetLink();
    const other = pages.client();
    await other.get(link);
    await other.post('/password/reset', {
      token: new URL(`http://x${link}`).searchParams.get('token') ?? '',
      password: NEW_PASSWORD,
    });

    // Act: the old session comes back, then is used
    for (const item of sessionsBefore) await pages.dependencies.table.put(item);
    const settings = await device.get('/settings');

    // Assess
    expect(sessionsBefore.length).toBeGreaterThan(0);
    expect(settings.location).toBe('/login');
  });

  it('does not write back a session that was ended while a request was using it', async () => {
    // Prepare
    pages = await startPages();
    const store = new DynamoSessionStore(pages.dependencies.table);
    const session = { csrfToken: 't', createdAt: 1, lastSeenAt: 1, journey: {} };
    await store.save('id-hash', session, 4_000_000_000, true);
    await store.delete('id-hash');

    // Act
    const writeBack = await store
      .save('id-hash', session, 4_000_000_000, false)
      .catch((error: unknown) => error);

    // Assess
    expect(writeBack).toBeInstanceOf(SessionEndedError);
    expect(await store.find('id-hash')).toBeUndefined();
  });

  it('stops emailing one address after 5 emails an hour, with the same page, and refuses a flooding network', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    for (let request = 0; request < 5; request += 1) await requestReset(client, 'target@example.com');

    // Act
    const sixth = await requestReset(client, 'target@example.com');
    const emailed = pages.outbox.messages().filter((message) => message.to === 'target@example.com').length;
    for (let request = 0; request < 24; request += 1)
      await requestReset(client, `other${request}@example.com`);
    const thirtyFirst = await requestReset(client, 'one-more@example.com');

    // Assess
    expect(sixth.location).toBe('/password/forgotten/sent');
    expect(emailed).toBe(5);
    expect(thirtyFirst.status).toBe(429);
    expect(headingOf(thirtyFirst.html)).toBe('You cannot ask for more emails for a while');
  });
});

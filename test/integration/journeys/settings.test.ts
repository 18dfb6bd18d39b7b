import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import {
  codeIn,
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

describe('login and security settings', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const latestCode = () => codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');
  const accounts = () => new DynamoAccountStore(pages.dependencies.table);

  /** A fully logged-in patient with a phone, on a remembered device. */
  const loggedIn = async (options: Parameters<typeof startPages>[0] = {}): Promise<PageClient> => {
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

  it('needs a full login', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await pages.client().get('/settings');

    // Assess
    expect(response.location).toBe('/login');
  });

  it('shows the account, its remembered devices and its recent activity', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const settings = await client.get('/settings');

    // Assess
    expect(headingOf(settings.html)).toBe('Login and security settings');
    expect(settings.html).toContain(EMAIL);
    expect(settings.html).toContain('ending 123');
    expect(settings.html).toContain('Chrome on Linux');
    expect(settings.html).toContain('Account created');
    expect(settings.html).toContain('Logged in');
  });

  it('changes the email address once the new one is confirmed by link, and tells the old one', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/email');

    // Act
    const requested = await client.post('/settings/email', { email: 'new@example.com', password: PASSWORD });
    const link = linkIn(
      pages.outbox.latest({ to: 'new@example.com', kind: 'confirm-new-email' })?.text ?? '',
      '/settings/email/confirm',
    );
    const confirmed = await client.openLink(link);
    const reused = await client.get(link);

    // Assess
    expect(requested.location).toBe('/settings/email/sent');
    expect(headingOf(confirmed.html)).toBe('Your email address has been changed');
    expect(pages.outbox.latest({ kind: 'email-changed' })?.to).toBe(EMAIL);
    expect(await accounts().findByEmail('new@example.com')).toMatchObject({ email: 'new@example.com' });
    expect(await accounts().findByEmail(EMAIL)).toBeUndefined();
    expect(reused.html).toContain('CID1003');
  });

  it('refuses an email change without the right password', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/email');

    // Act
    const response = await client.post('/settings/email', {
      email: 'new@example.com',
      password: 'wrong password',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)).toEqual(['The password is not right']);
    expect(pages.outbox.latest({ kind: 'confirm-new-email' })).toBeUndefined();
  });

  it('changes the password with the current one, logs out other sessions and emails the patient', async () => {
    // Prepare
    const client = await loggedIn();
    const other = pages.client();
    await other.get('/login');
    await other.post('/login', { email: EMAIL, password: PASSWORD });
    await client.get('/settings/password');

    // Act
    const wrong = await client.post('/settings/password', {
      currentPassword: 'nope',
      newPassword: 'another good passphrase',
    });
    const changed = await client.post('/settings/password', {
      currentPassword: PASSWORD,
      newPassword: 'another good passphrase',
    });
    const otherAfter = await other.get('/login/code');

    // Assess
    expect(errorsOf(wrong.html)).toEqual(['The password is not right']);
    expect(changed.location).toBe('/settings?updated=password');
    expect(changed.next?.html).toContain('Your password has been changed');
    expect(headingOf(otherAfter.html)).toBe('Your session has ended');
    expect(pages.outbox.latest({ kind: 'password-changed' })?.to).toBe(EMAIL);
  });

  it('changes the mobile number with a code sent to the new one, and emails a link that undoes it', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/phone');

    // Act
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    const text = pages.outbox.latest({ channel: 'sms' });
    const changed = await client.post('/settings/phone/code', { code: codeIn(text?.text ?? '') });
    const numberAfterChange = (await accounts().findByEmail(EMAIL))?.phoneNumber;
    const cancel = linkIn(
      pages.outbox.latest({ kind: 'phone-changed' })?.text ?? '',
      '/settings/phone/cancel',
    );
    const cancelled = await pages.client().openLink(cancel);
    const reused = await pages.client().get(cancel);

    // Assess
    expect(text?.to).toBe('+447700900456');
    expect(changed.location).toBe('/settings?updated=phone');
    expect(numberAfterChange).toBe('+447700900456');
    expect(headingOf(cancelled.html)).toBe('The change of mobile phone number has been cancelled');
    expect((await accounts().findByEmail(EMAIL))?.phoneNumber).toBe('+447700900123');
    expect(reused.html).toContain('CID3003');
  });

  it('refuses the link that undoes a mobile number change after 24 hours with CID3002', async () => {
    // Prepare
    const clock = movableClock();
    const client = await loggedIn({ clock });
    await client.get('/settings/phone');
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    await client.post('/settings/phone/code', {
      code: codeIn(pages.outbox.latest({ channel: 'sms' })?.text ?? ''),
    });
    const cancel = linkIn(
      pages.outbox.latest({ kind: 'phone-changed' })?.text ?? '',
      '/settings/phone/cancel',
    );
    clock.advance(24 * 3600 + 1);

    // Act
    const expired = await pages.client().get(cancel);

    // Assess
    expect(expired.status).toBe(400);
    expect(expired.html).toContain('CID3002');
  });

  it('removes a remembered device, so it asks for a code again', async () => {
    // Prepare
    const client = await loggedIn();
    const settings = await client.get('/settings');
    const deviceId = /name="deviceId" value="([^"]+)"/.exec(settings.html)?.[1] ?? '';

    // Act
    const removed = await client.post('/settings/devices/remove', { deviceId });
    await client.post('/logout');
    await client.get('/login');
    const login = await client.post('/login', { email: EMAIL, password: PASSWORD });

    // Assess
    expect(removed.next?.html).toContain('The device has been removed');
    expect(removed.next?.html).toContain('You have no remembered devices');
    expect(login.location).toBe('/login/code');
  });

  it('deletes the account and everything kept for it, with the password', async () => {
    // Prepare
    const client = await loggedIn();
    const account = await accounts().findByEmail(EMAIL);
    await client.get('/settings/delete');

    await client.get('/settings/email');
    await client.post('/settings/email', { email: 'pending@example.com', password: PASSWORD });
    await client.get('/settings/delete');
    const linksBefore = await pages.dependencies.table.queryIndex(
      'gsi1',
      `ACCOUNT_LINKS#${account?.accountId}`,
    );

    // Act
    const wrong = await client.post('/settings/delete', { password: 'nope' });
    const deleted = await client.post('/settings/delete', { password: PASSWORD });
    const left = await pages.dependencies.table.queryPartition(`ACCOUNT#${account?.accountId}`, '');
    const pendingLinks = await pages.dependencies.table.queryIndex(
      'gsi1',
      `ACCOUNT_LINKS#${account?.accountId}`,
    );
    await client.get('/login');
    const login = await client.post('/login', { email: EMAIL, password: PASSWORD });

    // Assess
    expect(wrong.status).toBe(400);
    expect(headingOf(deleted.html)).toBe('Your account has been deleted');
    expect(left).toEqual([]);
    expect(linksBefore).toHaveLength(1);
    expect(pendingLinks).toEqual([]);
    expect(await accounts().findByEmail(EMAIL)).toBeUndefined();
    expect(login.status).toBe(400);
    expect(pages.outbox.latest({ kind: 'account-deleted' })?.to).toBe(EMAIL);
  });

  it('locks the settings password checks after 5 wrong passwords, like the login', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/delete');
    for (let attempt = 0; attempt < 4; attempt += 1)
      await client.post('/settings/delete', { password: 'wrong' });

    // Act
    const fifth = await client.post('/settings/delete', { password: 'wrong' });
    const rightWhileLocked = await client.post('/settings/delete', { password: PASSWORD });

    // Assess
    expect(fifth.status).toBe(429);
    expect(rightWhileLocked.status).toBe(429);
    expect(await accounts().findByEmail(EMAIL)).toBeDefined();
  });

  it('accepts a new number only with the code texted to that number', async () => {
    // Prepare: two sessions of one account ask to change to different numbers
    const first = await loggedIn();
    const second = pages.client();
    await second.get('/login');
    await second.post('/login', { email: EMAIL, password: PASSWORD });
    await second.post('/login/code', { code: latestCode() });
    await first.get('/settings/phone');
    await first.post('/settings/phone', { phoneNumber: '07700 900555' });
    await second.get('/settings/phone');
    await second.post('/settings/phone', { phoneNumber: '07700 900666' });
    const codeTo666 = codeIn(pages.outbox.latest({ to: '+447700900666' })?.text ?? '');

    // Act
    const wrongNumber = await first.post('/settings/phone/code', { code: codeTo666 });

    // Assess
    expect(wrongNumber.status).toBe(400);
    expect((await accounts().findByEmail(EMAIL))?.phoneNumber).toBe('+447700900123');
  });

  it('says so when the new email address has been taken by another account before the link is used', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/email');
    await client.post('/settings/email', { email: 'taken@example.com', password: PASSWORD });
    const link = linkIn(
      pages.outbox.latest({ kind: 'confirm-new-email' })?.text ?? '',
      '/settings/email/confirm',
    );
    const someoneElse = pages.client();
    await createAccount(someoneElse, pages.outbox, 'taken@example.com', 'someone elses passphrase');

    // Act
    const response = await client.openLink(link);

    // Assess
    expect(response.status).toBe(409);
    expect(headingOf(response.html)).toBe('This email address is used by another account');
    expect((await accounts().findByEmail(EMAIL))?.email).toBe(EMAIL);
  });

  it('removes only the patient’s own devices, and says nothing was removed otherwise', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const response = await client.post('/settings/devices/remove', { deviceId: 'AAAAAAAAAAAAAAAAAAAAAA' });

    // Assess
    expect(response.location).toBe('/settings');
    expect(response.next?.html).not.toContain('The device has been removed');
    expect(response.next?.html).toContain('Chrome on Linux');
  });

  it('sends the code for a new number again', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/phone');
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    const first = pages.outbox.latest({ to: '+447700900456' });

    // Act
    const resent = await client.post('/settings/phone/code/resend');
    const second = pages.outbox.latest({ to: '+447700900456' });
    const changed = await client.post('/settings/phone/code', { code: codeIn(second?.text ?? '') });

    // Assess
    expect(resent.location).toBe('/settings/phone/code');
    expect(second?.id).not.toBe(first?.id);
    expect(changed.location).toBe('/settings?updated=phone');
  });
});

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

  it.each(['constructor', '__proto__', 'toString', 'nonsense'])(
    'shows the settings page, with no notice, for an unknown `updated` value (%s)',
    async (value) => {
      // Prepare
      const client = await loggedIn();

      // Act
      const page = await client.get(`/settings?updated=${value}`);

      // Assess
      expect(page.status).toBe(200);
      expect(headingOf(page.html)).toBe('Login and security settings');
    },
  );

  it('shows the account, its remembered devices and its recent activity', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const settings = await client.get('/settings');

    // Assess
    expect(headingOf(settings.html)).toBe('Login and security settings');
    // The address wraps at its @ and dots on a narrow screen, never mid-word
    expect(settings.html).toContain('pat@<wbr>example<wbr>.com');
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
    expect(headingOf(reused.html)).toBe('This link has already been used');
  });

  it.each([
    ['no new address', '', 'Enter your new email address'],
    [
      'an address no mail system delivers to',
      'new@example..org',
      'Enter an email address in the correct format, like name@example.com',
    ],
  ])('refuses an email change to %s, saying so under “New email address”', async (_case, email, message) => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/email');

    // Act
    const response = await client.post('/settings/email', { email, password: PASSWORD });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)).toEqual([message]);
    expect(pages.outbox.latest({ kind: 'confirm-new-email' })).toBeUndefined();
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

  it('comes back to the settings page asked for by its address once the patient has logged in', async () => {
    // Prepare: an account, and a browser without a login that opens a settings page's address
    pages = await startPages();
    await createAccount(pages.client(), pages.outbox, EMAIL, PASSWORD);
    const client = pages.client();

    // Act
    const asked = await client.get('/settings/email');
    const finished = await firstLogin(client, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    const again = await pages.client().get('/settings/email');

    // Assess
    expect(asked.location).toBe('/login');
    expect(finished.location).toBe('/settings/email');
    expect(again.location).toBe('/login');
  });

  it('goes to "You are logged in" after a login when the page asked for was no settings page', async () => {
    // Prepare
    pages = await startPages();
    await createAccount(pages.client(), pages.outbox, EMAIL, PASSWORD);
    const client = pages.client();

    // Act: a path the route table does not have, then a form post, are not pages to come back to
    const unknown = await client.get('/settings/../../evil.example');
    const posted = await client.post('/settings/email', { email: 'x@example.com', password: PASSWORD });
    const finished = await firstLogin(client, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });

    // Assess
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(posted.status).toBeGreaterThanOrEqual(300);
    expect(finished.location).toBe('/login/done');
  });

  it('keeps the headings of the delete page in order: no h3 straight after its h1', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const page = await client.get('/settings/delete');

    // Assess
    const levels = [...page.html.matchAll(/<h([1-6])[\s>]/g)].map((match) => Number(match[1]));
    expect(levels[0]).toBe(1);
    for (const [index, level] of levels.entries())
      if (index > 0) expect(level).toBeLessThanOrEqual((levels[index - 1] as number) + 1);
  });

  it('says a new password that is the current one is the same, and changes nothing', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/password');

    // Act
    const same = await client.post('/settings/password', {
      currentPassword: PASSWORD,
      newPassword: PASSWORD,
    });
    const settings = await client.get('/settings');

    // Assess
    expect(same.status).toBe(400);
    expect(errorsOf(same.html)).toEqual([
      'Your new password is the same as your current password. Enter a different password',
    ]);
    expect(settings.status).toBe(200);
    expect(pages.outbox.latest({ kind: 'password-changed' })).toBeUndefined();
  });

  it('ends a change of number when the patient cancels and goes back to settings', async () => {
    // Prepare
    const client = await loggedIn();
    await confirmItIsYou(client, pages.outbox, PASSWORD);
    await client.get('/settings/phone');
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    const code = codeIn(pages.outbox.latest({ to: '+447700900456' })?.text ?? '');
    const codePage = await client.get('/settings/phone/code');

    // Act
    await client.get('/settings');
    const late = await client.post('/settings/phone/code', { code });

    // Assess
    expect(codePage.html).toContain('Cancel and go back to your settings');
    expect(late.location).toBe('/settings/phone');
    expect((await accounts().findByEmail(EMAIL))?.phoneNumber).toBe('+447700900123');
  });

  it('says the number given is already the patient’s, and texts nothing', async () => {
    // Prepare
    const client = await loggedIn();
    await confirmItIsYou(client, pages.outbox, PASSWORD);
    await client.get('/settings/phone');
    const textsBefore = pages.outbox.messages().filter((message) => message.channel === 'sms').length;

    // Act
    const same = await client.post('/settings/phone', { phoneNumber: '+44 7700 900123' });

    // Assess
    expect(same.status).toBe(400);
    expect(errorsOf(same.html)).toEqual([
      'This is already your mobile phone number. Enter a different number, or go back to your settings',
    ]);
    expect(pages.outbox.messages().filter((message) => message.channel === 'sms')).toHaveLength(textsBefore);
  });

  it('changes the mobile number with a code sent to the new one, and emails a link that undoes it', async () => {
    // Prepare
    const client = await loggedIn();
    await confirmItIsYou(client, pages.outbox, PASSWORD);
    await client.get('/settings/phone');

    // Act
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    const codePage = await client.get('/settings/phone/code');
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
    expect(codePage.html).toContain(
      'We have sent a 6-digit security code by text message to your new mobile phone number ending 456.',
    );
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
    await confirmItIsYou(client, pages.outbox, PASSWORD);
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

  it('shows each remembered device with when it was remembered and last used, and marks this one', async () => {
    // Prepare
    const client = await loggedIn();
    const elsewhere = pages.client();
    await elsewhere.get('/login');
    await elsewhere.post('/login', { email: EMAIL, password: PASSWORD });
    await elsewhere.post('/login/code', { code: latestCode(), remember: 'yes' });

    // Act
    const here = await client.get('/settings');
    const there = await elsewhere.get('/settings');

    // Assess: two rows each, this browser's marked in each
    for (const page of [here, there]) {
      expect(page.html).toContain('<th scope="col" class="nhsuk-table__header">Remembered</th>');
      expect(page.html.match(/name="deviceId"/g)).toHaveLength(2);
      expect(page.html.match(/This device<\/strong>/g)).toHaveLength(1);
    }
    const markedId = (html: string) =>
      /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*This device(?:(?!<\/tr>)[\s\S])*name="deviceId" value="([^"]+)"/.exec(
        html,
      )?.[1];
    expect(markedId(here.html)).toBeDefined();
    expect(markedId(here.html)).not.toBe(markedId(there.html));
  });

  it('logs out the sessions a removed device was logged in on, and no other', async () => {
    // Prepare: the remembered device (its login remembered it), and a second browser with a code
    const device = await loggedIn();
    const elsewhere = pages.client();
    await elsewhere.get('/login');
    await elsewhere.post('/login', { email: EMAIL, password: PASSWORD });
    await elsewhere.post('/login/code', { code: latestCode() });
    const settings = await elsewhere.get('/settings');
    const deviceId = /name="deviceId" value="([^"]+)"/.exec(settings.html)?.[1] ?? '';

    // Act
    await elsewhere.post('/settings/devices/remove', { deviceId });
    await elsewhere.post('/settings/devices/remove', { deviceId, confirm: 'yes' });
    const onDevice = await device.get('/settings');
    const stillElsewhere = await elsewhere.get('/settings');

    // Assess
    expect(onDevice.status).not.toBe(200);
    expect(onDevice.location ?? headingOf(onDevice.html)).toMatch(/\/login|Your session has ended/);
    expect(stillElsewhere.status).toBe(200);
    expect(headingOf(stillElsewhere.html)).toBe('Login and security settings');
  });

  it('asks before removing a remembered device, and keeps it when the patient goes back', async () => {
    // Prepare
    const client = await loggedIn();
    const settings = await client.get('/settings');
    const deviceId = /name="deviceId" value="([^"]+)"/.exec(settings.html)?.[1] ?? '';

    // Act
    const asked = await client.post('/settings/devices/remove', { deviceId });
    const back = await client.get('/settings');

    // Assess
    expect(headingOf(asked.html)).toBe('Remove this remembered device?');
    expect(asked.html).toContain('Chrome on Linux');
    expect(asked.html).toContain('name="confirm" value="yes"');
    expect(back.html).toContain(`value="${deviceId}"`);
  });

  it('removes a remembered device once the patient says yes, so it asks for a code again', async () => {
    // Prepare
    const client = await loggedIn();
    const settings = await client.get('/settings');
    const deviceId = /name="deviceId" value="([^"]+)"/.exec(settings.html)?.[1] ?? '';

    // Act
    await client.post('/settings/devices/remove', { deviceId });
    const removed = await client.post('/settings/devices/remove', { deviceId, confirm: 'yes' });
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
    expect(linksBefore).toHaveLength(2);
    expect(pendingLinks).toEqual([]);
    expect(await accounts().findByEmail(EMAIL)).toBeUndefined();
    expect(login.status).toBe(400);
    expect(pages.outbox.latest({ kind: 'account-deleted' })?.to).toBe(EMAIL);
  });

  it('delays the settings password checks after 5 wrong passwords, like the login', async () => {
    // Prepare
    const client = await loggedIn();
    await client.get('/settings/delete');
    for (let attempt = 0; attempt < 4; attempt += 1)
      await client.post('/settings/delete', { password: 'wrong' });

    // Act
    const fifth = await client.post('/settings/delete', { password: 'wrong' });
    const rightWhileDelayed = await client.post('/settings/delete', { password: PASSWORD });

    // Assess
    expect(fifth.status).toBe(400);
    expect(rightWhileDelayed.status).toBe(429);
    expect(headingOf(rightWhileDelayed.html)).toBe('You cannot log in for a while');
    expect(await accounts().findByEmail(EMAIL)).toBeDefined();
  });

  it('accepts a new number only with the code texted to that number', async () => {
    // Prepare: two sessions of one account ask to change to different numbers (7 codes in all)
    const first = await loggedIn({ limits: { codeSendsPerAccount: 10 } });
    const second = pages.client();
    await second.get('/login');
    await second.post('/login', { email: EMAIL, password: PASSWORD });
    await second.post('/login/code', { code: latestCode() });
    await confirmItIsYou(first, pages.outbox, PASSWORD);
    await first.get('/settings/phone');
    await first.post('/settings/phone', { phoneNumber: '07700 900555' });
    await confirmItIsYou(second, pages.outbox, PASSWORD);
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

  it('answers a device id no device could have (2000 characters) by removing nothing, not with a 500', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const response = await client.post('/settings/devices/remove', { deviceId: 'x'.repeat(2000) });

    // Assess
    expect(response.location).toBe('/settings');
    expect(response.next?.html).toContain('Chrome on Linux');
  });

  it('sends the code for a new number again, and says so', async () => {
    // Prepare
    const client = await loggedIn();
    await confirmItIsYou(client, pages.outbox, PASSWORD);
    await client.get('/settings/phone');
    await client.post('/settings/phone', { phoneNumber: '07700 900456' });
    const first = pages.outbox.latest({ to: '+447700900456' });

    // Act
    const resent = await client.post('/settings/phone/code/resend');
    const second = pages.outbox.latest({ to: '+447700900456' });
    const shown = await client.get(resent.location ?? '');
    const changed = await client.post('/settings/phone/code', { code: codeIn(second?.text ?? '') });

    // Assess
    expect(resent.location).toBe('/settings/phone/code?sent=again');
    expect(shown.html).toContain('We have sent a new security code. Only the newest code works.');
    expect(second?.id).not.toBe(first?.id);
    expect(changed.location).toBe('/settings?updated=phone');
  });

  describe('changing the email address', () => {
    const askToChange = async (client: PageClient, email: string) => {
      await client.get('/settings/email');
      return client.post('/settings/email', { email, password: PASSWORD });
    };
    const confirmLinkTo = (email: string) =>
      linkIn(
        pages.outbox.latest({ to: email, kind: 'confirm-new-email' })?.text ?? '',
        '/settings/email/confirm',
      );

    it.each([
      ['without its token', () => '/settings/email/confirm'],
      ['with a made-up token', () => '/settings/email/confirm?token=not-a-real-token'],
      ['cut short', (link: string) => link.slice(0, -6)],
    ])('says a link %s did not change the email address, and how to ask again', async (_case, linkFrom) => {
      // Prepare
      const client = await loggedIn();
      await askToChange(client, 'new@example.com');
      const link = linkFrom(confirmLinkTo('new@example.com'));

      // Act
      const page = await pages.client().openLink(link);

      // Assess
      expect(headingOf(page.html)).toBe('This link no longer works');
      expect(page.html).toContain('Your email address has not been changed');
      expect(page.html).toContain('ask to change it again');
      expect(page.html).toContain('href="/settings"');
      expect(page.html).not.toMatch(/CID1\d{3}|set up your account/);
      expect(await accounts().findByEmail(EMAIL)).toMatchObject({ email: EMAIL });
    });

    it('makes an older change’s link stop working once a newer change is asked for, even in a fresh browser', async () => {
      // Prepare: change to A, then to B
      const client = await loggedIn();
      await askToChange(client, 'a@example.com');
      const toA = confirmLinkTo('a@example.com');
      await askToChange(client, 'b@example.com');
      const toB = confirmLinkTo('b@example.com');

      // Act
      const aBeforeB = await pages.client().openLink(toA);
      const b = await pages.client().openLink(toB);
      const aAfterB = await pages.client().openLink(toA);

      // Assess
      expect(headingOf(aBeforeB.html)).toBe('This link no longer works');
      expect(headingOf(b.html)).toBe('Your email address has been changed');
      expect(headingOf(aAfterB.html)).toBe('This link no longer works');
      expect(
        (await accounts().findById((await accounts().findByEmail('b@example.com'))?.accountId ?? ''))?.email,
      ).toBe('b@example.com');
      expect(await accounts().findByEmail('a@example.com')).toBeUndefined();
    });

    it('tells the current address when a change is asked for, and its “this was not me” cancels it and logs out everywhere', async () => {
      // Prepare
      const client = await loggedIn();
      await askToChange(client, 'attacker@example.com');
      const told = pages.outbox.latest({ kind: 'email-change-requested' });
      const report = linkIn(told?.text ?? '', '/settings/email/report');
      const change = confirmLinkTo('attacker@example.com');

      // Act
      const reported = await pages.client().openLink(report);
      const sessionAfter = await client.get('/settings');
      const changeAfter = await pages.client().openLink(change);

      // Assess
      expect(told?.to).toBe(EMAIL);
      expect(told?.text).not.toContain('attacker@example.com');
      expect(headingOf(reported.html)).toBe('The change of email address has been cancelled');
      expect(reported.html).toContain('forgotten its remembered devices');
      expect(headingOf(sessionAfter.html)).toBe('Your session has ended');
      expect(headingOf(changeAfter.html)).toBe('This link no longer works');
      expect((await accounts().findByEmail(EMAIL))?.email).toBe(EMAIL);
    });

    it('caps change requests per account: the 6th within the hour is refused with a page', async () => {
      // Prepare
      const client = await loggedIn();
      for (let request = 0; request < 5; request += 1) await askToChange(client, `new${request}@example.com`);

      // Act
      const sixth = await askToChange(client, 'new5@example.com');

      // Assess
      expect(sixth.status).toBe(429);
      expect(headingOf(sixth.html)).toBe('You cannot ask to change your email address again yet');
      expect(pages.outbox.messages().filter((message) => message.to === 'new5@example.com')).toEqual([]);
    });

    it('caps the emails one outside address gets from changes of address, across accounts', async () => {
      // Prepare: two accounts ask to move to the same outside address, 5 times between them
      const client = await loggedIn();
      const second = pages.client();
      await createAccount(second, pages.outbox, 'sam@example.com', 'another fine passphrase');
      await firstLogin(second, pages.outbox, {
        email: 'sam@example.com',
        password: 'another fine passphrase',
        phoneNumber: '07700 900999',
      });
      for (let request = 0; request < 3; request += 1) await askToChange(client, 'victim@example.com');
      for (let request = 0; request < 2; request += 1) {
        await second.get('/settings/email');
        await second.post('/settings/email', {
          email: 'victim@example.com',
          password: 'another fine passphrase',
        });
      }

      // Act
      await second.get('/settings/email');
      const sixth = await second.post('/settings/email', {
        email: 'victim@example.com',
        password: 'another fine passphrase',
      });

      // Assess
      expect(sixth.status).toBe(429);
      expect(headingOf(sixth.html)).toBe('We cannot send more emails to this address for a while');
      expect(pages.outbox.messages().filter((message) => message.to === 'victim@example.com')).toHaveLength(
        5,
      );
    });

    it('puts the old address back with “this was not me” after the change, once the code to the phone is entered', async () => {
      // Prepare: someone in the patient's session, on a remembered device, moves the account to their address
      const client = await loggedIn();
      await askToChange(client, 'attacker@example.com');
      const report = linkIn(
        pages.outbox.latest({ kind: 'email-change-requested' })?.text ?? '',
        '/settings/email/report',
      );
      await pages.client().openLink(confirmLinkTo('attacker@example.com'));
      const toldChanged = pages.outbox.latest({ kind: 'email-changed' });
      const patient = pages.client();

      // Act
      const codePage = await patient.openLink(report);
      const code = codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');
      const putBack = await patient.post('/settings/email/report/code', { code });
      client.cookies.delete('session');
      await client.get('/login');
      const attackerAgain = await client.post('/login', { email: EMAIL, password: PASSWORD });

      // Assess
      expect(toldChanged?.to).toBe(EMAIL);
      expect(toldChanged?.text).toContain('/settings/email/report?token=');
      expect(headingOf(codePage.html)).toBe('Enter the security code');
      expect(pages.outbox.latest({ kind: 'security-code' })?.to).toBe('+447700900123');
      expect(headingOf(putBack.html)).toBe('Your email address has been put back');
      expect((await accounts().findByEmail(EMAIL))?.email).toBe(EMAIL);
      expect(await accounts().findByEmail('attacker@example.com')).toBeUndefined();
      expect(attackerAgain.location).toBe('/login/code');
    });

    it('never puts an old address back with the old mailbox alone', async () => {
      // Prepare: the patient moves away from a mailbox someone else can read, and confirms
      const client = await loggedIn();
      await askToChange(client, 'new@example.com');
      const report = linkIn(
        pages.outbox.latest({ kind: 'email-change-requested' })?.text ?? '',
        '/settings/email/report',
      );
      await pages.client().openLink(confirmLinkTo('new@example.com'));
      const mailboxHolder = pages.client();
      await mailboxHolder.openLink(report);

      // Act
      const wrongCode = await mailboxHolder.post('/settings/email/report/code', { code: '000000' });
      const patientSession = await client.get('/settings');

      // Assess
      expect(wrongCode.status).toBe(400);
      expect((await accounts().findByEmail('new@example.com'))?.email).toBe('new@example.com');
      expect(headingOf(patientSession.html)).toBe('Login and security settings');
    });

    it('logs nobody out when there is nothing left to cancel', async () => {
      // Prepare: a change asked for, then cancelled by a new password
      const client = await loggedIn();
      await askToChange(client, 'new@example.com');
      const report = linkIn(
        pages.outbox.latest({ kind: 'email-change-requested' })?.text ?? '',
        '/settings/email/report',
      );
      await client.get('/settings/password');
      await client.post('/settings/password', {
        currentPassword: PASSWORD,
        newPassword: 'another good passphrase',
      });

      // Act
      const opened = await pages.client().openLink(report);
      const stillLoggedIn = await client.get('/settings');

      // Assess
      expect(headingOf(opened.html)).toBe('There is no change to cancel');
      expect(headingOf(stillLoggedIn.html)).toBe('Login and security settings');
    });

    it('caps the change requests of one network across accounts', async () => {
      // Prepare
      const client = await loggedIn({ limits: { linkEmailsPerIp: 3 } });

      // Act
      const first = await askToChange(client, 'one@example.com');
      const second = await askToChange(client, 'two@example.com');

      // Assess: the registration and the two changes used up the network's 3
      expect(first.location).toBe('/settings/email/sent');
      expect(second.location).toBe('/settings/email/sent');
      expect((await askToChange(client, 'three@example.com')).status).toBe(429);
    });
  });

  describe('ending pending links', () => {
    const pendingResetLink = async () => {
      const someone = pages.client();
      await someone.get('/password/forgotten');
      await someone.post('/password/forgotten', { email: EMAIL });
      return linkIn(pages.outbox.latest({ kind: 'reset-password' })?.text ?? '', '/password/reset');
    };

    it('ends a pending reset link when the password is changed', async () => {
      // Prepare
      const client = await loggedIn();
      const reset = await pendingResetLink();
      await client.get('/settings/password');
      await client.post('/settings/password', {
        currentPassword: PASSWORD,
        newPassword: 'another good passphrase',
      });

      // Act
      const opened = await pages.client().get(reset);

      // Assess
      expect(opened.status).toBe(400);
      expect(headingOf(opened.html)).toBe('This link no longer works');
    });

    it('ends a pending reset link when the email address is changed', async () => {
      // Prepare
      const client = await loggedIn();
      const reset = await pendingResetLink();
      await client.get('/settings/email');
      await client.post('/settings/email', { email: 'new@example.com', password: PASSWORD });
      await pages
        .client()
        .openLink(
          linkIn(pages.outbox.latest({ kind: 'confirm-new-email' })?.text ?? '', '/settings/email/confirm'),
        );

      // Act
      const opened = await pages.client().get(reset);

      // Assess
      expect(opened.status).toBe(400);
      expect(headingOf(opened.html)).toBe('This link no longer works');
    });
  });

  describe('changing the mobile number', () => {
    it('asks for the password again and a code to the old number before a new number can be given', async () => {
      // Prepare
      const client = await loggedIn();

      // Act
      const straightIn = await client.get('/settings/phone');
      const postedAnyway = await client.post('/settings/phone', { phoneNumber: '07700 900456' });
      await client.get('/settings/confirm-it-is-you?for=phone');
      const wrongPassword = await client.post('/settings/confirm-it-is-you', { password: 'nope' });
      const rightPassword = await client.post('/settings/confirm-it-is-you', { password: PASSWORD });
      const toOldPhone = pages.outbox.latest({ kind: 'security-code' });
      const stillGated = await client.get('/settings/phone');
      const wrongCode = await client.post('/settings/confirm-it-is-you/code', { code: '000000' });
      const rightCode = await client.post('/settings/confirm-it-is-you/code', {
        code: codeIn(toOldPhone?.text ?? ''),
      });

      // Assess
      expect(straightIn.location).toBe('/settings/confirm-it-is-you?for=phone');
      expect(postedAnyway.location).toBe('/settings/confirm-it-is-you?for=phone');
      expect(pages.outbox.messages().filter((message) => message.to === '+447700900456')).toEqual([]);
      expect(errorsOf(wrongPassword.html)).toEqual(['The password is not right']);
      expect(rightPassword.location).toBe('/settings/confirm-it-is-you/code');
      expect(toOldPhone?.to).toBe('+447700900123');
      expect(stillGated.location).toBe('/settings/confirm-it-is-you?for=phone');
      expect(wrongCode.status).toBe(400);
      expect(rightCode.location).toBe('/settings/phone');
      expect(headingOf(rightCode.next?.html ?? '')).toBe('Change your mobile phone number');
    });

    it('tells the old number by text and the email by a link that undoes it', async () => {
      // Prepare
      const client = await loggedIn();
      await confirmItIsYou(client, pages.outbox, PASSWORD);
      await client.post('/settings/phone', { phoneNumber: '07700 900456' });

      // Act
      await client.post('/settings/phone/code', {
        code: codeIn(pages.outbox.latest({ to: '+447700900456' })?.text ?? ''),
      });

      // Assess
      const toOld = pages.outbox.latest({ kind: 'phone-changed', channel: 'sms' });
      expect(toOld?.to).toBe('+447700900123');
      expect(toOld?.text).not.toContain('900456');
      expect(pages.outbox.latest({ kind: 'phone-changed', channel: 'email' })?.to).toBe(EMAIL);
    });

    it('lets a patient who has lost the old phone change it with the password alone, still telling the old number and the email', async () => {
      // Prepare
      const client = await loggedIn();

      // Act
      const lost = await confirmItIsYou(client, pages.outbox, PASSWORD, { lostPhone: true });
      await client.post('/settings/phone', { phoneNumber: '07700 900456' });
      const changed = await client.post('/settings/phone/code', {
        code: codeIn(pages.outbox.latest({ to: '+447700900456' })?.text ?? ''),
      });
      const events = await pages.dependencies.table.queryPartition(
        `ACCOUNT#${(await accounts().findByEmail(EMAIL))?.accountId}`,
        'AUDIT#',
      );

      // Assess
      expect(lost.location).toBe('/settings/phone');
      expect(changed.location).toBe('/settings?updated=phone');
      expect(pages.outbox.latest({ kind: 'phone-changed', channel: 'sms' })?.to).toBe('+447700900123');
      expect(pages.outbox.latest({ kind: 'phone-changed', channel: 'email' })?.to).toBe(EMAIL);
      expect(
        events.map((item) => (item as unknown as { event: { type: string; detail?: string } }).event),
      ).toContainEqual(expect.objectContaining({ type: 'phone-changed', detail: 'old-phone-lost' }));
    });

    it('makes every undo link of a run of changes put back the number the patient had first', async () => {
      // Prepare: someone changes the number to one of theirs, then to another with that one's code
      const client = await loggedIn({ limits: { codeSendsPerAccount: 10 } });
      await confirmItIsYou(client, pages.outbox, PASSWORD, { lostPhone: true });
      await client.post('/settings/phone', { phoneNumber: '07700 900601' });
      await client.post('/settings/phone/code', {
        code: codeIn(pages.outbox.latest({ to: '+447700900601' })?.text ?? ''),
      });
      const firstUndo = linkIn(
        pages.outbox.latest({ kind: 'phone-changed', channel: 'email' })?.text ?? '',
        '/settings/phone/cancel',
      );
      await confirmItIsYou(client, pages.outbox, PASSWORD);
      await client.post('/settings/phone', { phoneNumber: '07700 900602' });
      await client.post('/settings/phone/code', {
        code: codeIn(pages.outbox.latest({ to: '+447700900602' })?.text ?? ''),
      });
      const noticesToOriginal = pages.outbox
        .messages()
        .filter((message) => message.kind === 'phone-changed' && message.to === '+447700900123');

      // Act
      const undone = await pages.client().openLink(firstUndo);

      // Assess
      expect(noticesToOriginal).toHaveLength(2);
      expect(headingOf(undone.html)).toBe('The change of mobile phone number has been cancelled');
      expect((await accounts().findByEmail(EMAIL))?.phoneNumber).toBe('+447700900123');
    });

    it('takes the word that the old phone is lost only after the password, and only for a phone change', async () => {
      // Prepare
      const client = await loggedIn();
      await client.get('/settings');

      // Act
      const withoutPassword = await client.post('/settings/confirm-it-is-you/lost-phone');
      const phonePage = await client.get('/settings/phone');

      // Assess
      expect(withoutPassword.location).toBe('/settings/confirm-it-is-you');
      expect(phonePage.location).toBe('/settings/confirm-it-is-you?for=phone');
    });

    it('asks again once 5 minutes have passed since the password and code were given', async () => {
      // Prepare
      const clock = movableClock();
      const client = await loggedIn({ clock });
      await confirmItIsYou(client, pages.outbox, PASSWORD);
      clock.advance(5 * 60);

      // Act
      const phonePage = await client.get('/settings/phone');

      // Assess
      expect(phonePage.location).toBe('/settings/confirm-it-is-you?for=phone');
    });
  });
});

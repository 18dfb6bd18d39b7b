import { afterEach, describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from '../../../src/adapters/argon2/argon2-password-hasher.ts';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import {
  codeIn,
  createAccount,
  errorsOf,
  headingOf,
  movableClock,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';
const PHONE = '07700 900123';

describe('logging in', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** A confirmed account, without a phone number yet. */
  const registered = async (options: Parameters<typeof startPages>[0] = {}) => {
    pages = await startPages(options);
    const client = pages.client();
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    return pages;
  };

  const logIn = async (client: PageClient, password = PASSWORD, email = EMAIL) => {
    await client.get('/login');
    return client.post('/login', { email, password });
  };

  const latestCode = () => codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');

  /** An account with a confirmed phone, and a client logged in with it. */
  const withPhone = async (options: Parameters<typeof startPages>[0] = {}) => {
    await registered(options);
    const client = pages.client();
    await logIn(client);
    await client.get('/login/phone');
    await client.post('/login/phone', { phoneNumber: PHONE });
    await client.get('/login/code');
    await client.post('/login/code', { code: latestCode() });
    await client.post('/logout');
    return client;
  };

  it('asks for a mobile number at the first login, texts it a code and keeps it once the code is entered', async () => {
    // Prepare
    await registered();
    const client = pages.client();

    // Act
    const password = await logIn(client);
    const phone = await client.post('/login/phone', { phoneNumber: PHONE });
    const codePage = await client.get('/login/code');
    const text = pages.outbox.latest({ channel: 'sms' });
    const code = await client.post('/login/code', { code: codeIn(text?.text ?? '') });
    const done = await client.get('/login/done');

    // Assess
    expect(password).toMatchObject({ status: 303, location: '/login/phone' });
    expect(phone).toMatchObject({ status: 303, location: '/login/code' });
    expect(codePage.html).toContain('ending 123');
    expect(text?.to).toBe('+447700900123');
    expect(code).toMatchObject({ status: 303, location: '/login/done' });
    expect(headingOf(done.html)).toBe('You are logged in');
    expect(await new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL)).toMatchObject({
      phoneNumber: '+447700900123',
    });
  });

  it.each([
    ['a landline', '020 7946 0018', 'Enter a mobile phone number, not a landline'],
    ['a foreign number', '+33 6 12 34 56 78', 'Enter a UK mobile phone number'],
    ['not a number', 'call me', 'Enter a mobile phone number, like 07700 900 982 or +44 7700 900 982'],
    ['nothing', '', 'Enter your mobile phone number'],
  ])('refuses %s as the mobile number and texts nothing', async (_case, phoneNumber, message) => {
    // Prepare
    await registered();
    const client = pages.client();
    await logIn(client);
    await client.get('/login/phone');

    // Act
    const response = await client.post('/login/phone', { phoneNumber });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)).toEqual([message]);
    expect(pages.outbox.latest({ channel: 'sms' })).toBeUndefined();
  });

  it('texts a code at every later login, and accepts it once', async () => {
    // Prepare
    const client = await withPhone();

    // Act
    const password = await logIn(client);
    const code = latestCode();
    const first = await client.post('/login/code', { code });
    await client.post('/logout');
    await logIn(client);
    await client.get('/login/code');
    const reused = await client.post('/login/code', { code });

    // Assess
    expect(password).toMatchObject({ status: 303, location: '/login/code' });
    expect(first).toMatchObject({ status: 303, location: '/login/done' });
    expect(reused.status).toBe(400);
  });

  it('says how many tries are left after a wrong code', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    await client.get('/login/code');
    const right = latestCode();
    const wrong = right === '000000' ? '111111' : '000000';

    // Act
    const response = await client.post('/login/code', { code: wrong });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)).toEqual(['The security code is not right. You have 4 tries left']);
  });

  it('ends the code and locks code entry for 15 minutes after 5 wrong codes', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    await client.get('/login/code');
    const right = latestCode();
    const wrong = right === '000000' ? '111111' : '000000';
    for (let attempt = 0; attempt < 4; attempt += 1) await client.post('/login/code', { code: wrong });

    // Act
    const fifth = await client.post('/login/code', { code: wrong });
    const rightAfterLock = await client.post('/login/code', { code: right });

    // Assess
    expect(fifth.status).toBe(429);
    expect(headingOf(fifth.html)).toBe('You entered the wrong security code too many times');
    expect(fifth.html).toContain('You can try again after');
    expect(rightAfterLock.status).toBe(429);
  });

  it('refuses an expired code after 5 minutes', async () => {
    // Prepare
    const clock = movableClock();
    const client = await withPhone({ clock });
    await logIn(client);
    await client.get('/login/code');
    const code = latestCode();
    clock.advance(5 * 60 + 1);

    // Act
    const response = await client.post('/login/code', { code });

    // Assess
    expect(errorsOf(response.html)).toEqual(['The security code has expired. Select ‘Send the code again’']);
  });

  it('sends the code again, or by email instead, and only the newest code works', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    await client.get('/login/code');
    const firstCode = latestCode();

    // Act
    await client.post('/login/code/resend');
    const secondText = pages.outbox.latest({ channel: 'sms' });
    await client.post('/login/code/email');
    const emailed = pages.outbox.latest({ kind: 'security-code', channel: 'email' });
    const codePage = await client.get('/login/code');
    const stale = await client.post('/login/code', { code: firstCode });
    const fresh = await client.post('/login/code', { code: codeIn(emailed?.text ?? '') });

    // Assess
    expect(secondText?.to).toBe('+447700900123');
    expect(emailed?.to).toBe(EMAIL);
    expect(codePage.html).toContain('We have sent a 6-digit security code to your email address.');
    expect(stale.status).toBe(400);
    expect(fresh).toMatchObject({ status: 303, location: '/login/done' });
  });

  it('goes back from a code by email to a code by text message', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    await client.post('/login/code/email');
    const emailPage = await client.get('/login/code');
    const textsBefore = pages.outbox.messages().filter((message) => message.channel === 'sms').length;

    // Act
    const back = await client.post('/login/code/resend', { channel: 'sms' });
    const textPage = await client.get(back.location ?? '');
    const text = pages.outbox.latest({ channel: 'sms' });
    const done = await client.post('/login/code', { code: codeIn(text?.text ?? '') });

    // Assess
    expect(emailPage.html).toContain('Send the code by text message instead');
    expect(pages.outbox.messages().filter((message) => message.channel === 'sms')).toHaveLength(
      textsBefore + 1,
    );
    expect(textPage.html).toContain('by text message to your mobile phone number');
    expect(textPage.html).not.toContain('Send the code by text message instead');
    expect(done.location).toBe('/login/done');
  });

  it('says a newer code was sent when the replaced one is entered, and takes no try for it', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    const first = latestCode();
    await client.post('/login/code/resend');
    const second = latestCode();
    const wrong = ['000000', '111111'].find((code) => code !== first && code !== second) ?? '222222';

    // Act
    const replaced = await client.post('/login/code', { code: first });
    const wrongAfter = await client.post('/login/code', { code: wrong });
    const right = await client.post('/login/code', { code: second });

    // Assess
    expect(first).not.toBe(second);
    expect(replaced.status).toBe(400);
    expect(errorsOf(replaced.html)).toEqual([
      'We have sent you a newer security code. Enter the code from the newest message',
    ]);
    expect(errorsOf(wrongAfter.html)).toEqual(['The security code is not right. You have 4 tries left']);
    expect(right.location).toBe('/login/done');
  });

  it('says a new code was sent when the patient asks for it again', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    const before = await client.get('/login/code');

    // Act
    const resent = await client.post('/login/code/resend');
    const shown = await client.get(resent.location ?? '');

    // Assess
    expect(before.html).not.toContain('We have sent a new security code');
    expect(resent.location).toBe('/login/code?sent=again');
    expect(shown.html).toContain('We have sent a new security code. Only the newest code works.');
  });

  it('refuses a sixth code within 15 minutes with a page saying when to try again', async () => {
    // Prepare: the login's own code is the first send
    const client = await withPhone();
    await logIn(client);
    for (let send = 0; send < 3; send += 1) await client.post('/login/code/resend');

    // Act
    const sixth = await client.post('/login/code/resend');

    // Assess: the withPhone login sent one, this login one, three resends: the sixth is refused
    expect(sixth.status).toBe(429);
    expect(sixth.html).toContain('You can try again after');
    expect(sixth.html).toContain('href="/contact"');
  });

  it('offers the code by email when the phone’s day of codes is used up, and the help page', async () => {
    // Prepare: the phone's confirmed-number cap is 2 a day; this login's code is the first
    const client = await withPhone({ limits: { codeSendsPerConfirmedDestination: 2 } });
    await logIn(client);
    await client.post('/login/code/resend');

    // Act
    const refused = await client.post('/login/code/resend');
    const codePage = await client.get(refused.location ?? '');
    await client.post('/login/code/email');
    const emailed = pages.outbox.latest({ kind: 'security-code', channel: 'email' });
    const done = await client.post('/login/code', { code: codeIn(emailed?.text ?? '') });

    // Assess
    expect(refused).toMatchObject({ status: 303, location: '/login/code' });
    expect(codePage.html).toContain('We could not send a text message');
    expect(codePage.html).toContain('Too many security codes have been sent to this phone number today.');
    expect(codePage.html).toContain('or get the code by email instead.');
    expect(codePage.html).toContain('Send the code by email instead');
    expect(codePage.html).toContain('href="/contact"');
    expect(emailed?.to).toBe(EMAIL);
    expect(done.location).toBe('/login/done');
  });

  it('keeps the text code working and says so when the email’s day of codes is used up', async () => {
    // Prepare: a confirmed address's cap of 2 codes a day, used up by two switches to email
    const client = await withPhone({
      limits: { codeSendsPerConfirmedDestination: 2, codeSendsPerAccount: 20 },
    });
    await logIn(client);
    const text = latestCode();
    await client.post('/login/code/email');
    await client.post('/login/code/email');
    await client.post('/login/code/resend', { channel: 'sms' });
    const newestText = latestCode();

    // Act
    const refused = await client.post('/login/code/email');
    const codePage = await client.get(refused.location ?? '');
    const done = await client.post('/login/code', { code: newestText });

    // Assess
    expect(text).not.toBe(newestText);
    expect(codePage.html).toContain('We could not send an email');
    expect(codePage.html).toContain('Too many security codes have been sent to your email address today.');
    expect(codePage.html).toContain('by text message to your mobile phone number');
    expect(codePage.html).not.toContain('Send the code by email instead');
    expect(done.location).toBe('/login/done');
  });

  it('skips the code on a remembered device, but never the password', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    await client.post('/login/code', { code: latestCode(), remember: 'yes' });
    await client.post('/logout');
    const textsBefore = pages.outbox.messages().filter((message) => message.kind === 'security-code').length;

    // Act
    const wrongPassword = await logIn(client, 'not the password');
    const rightPassword = await logIn(client);

    // Assess
    expect(wrongPassword.status).toBe(400);
    expect(rightPassword).toMatchObject({ status: 303, location: '/login/done' });
    expect(pages.outbox.messages().filter((message) => message.kind === 'security-code')).toHaveLength(
      textsBefore,
    );
    expect([...client.cookies.keys()]).toContain('device');
  });

  it('asks for a code again when the remembered-device cookie is tampered with or 180 days unused', async () => {
    // Prepare
    const clock = movableClock();
    const client = await withPhone({ clock });
    await logIn(client);
    await client.post('/login/code', { code: latestCode(), remember: 'yes' });
    await client.post('/logout');
    const genuine = client.cookies.get('device') ?? '';

    // Act
    client.cookies.set('device', `${genuine.slice(0, -1)}${genuine.endsWith('A') ? 'B' : 'A'}`);
    const tampered = await logIn(client);
    await client.post('/logout');
    client.cookies.set('device', genuine);
    clock.advance(181 * 24 * 3600);
    const stale = await logIn(client);

    // Assess
    expect(tampered.location).toBe('/login/code');
    expect(stale.location).toBe('/login/code');
  });

  it('never finishes a first login without a confirmed phone: no code by email, no code page, no settings', async () => {
    // Prepare: the password of a new account, which has no phone yet
    await registered();
    const client = pages.client();
    const password = await logIn(client);

    // Act
    const byEmail = await client.post('/login/code/email');
    const resend = await client.post('/login/code/resend');
    const codePage = await client.get('/login/code');
    const guessed = await client.post('/login/code', { code: '123456' });
    const settings = await client.get('/settings');

    // Assess
    expect(password.location).toBe('/login/phone');
    expect(byEmail.location).toBe('/login/phone');
    expect(resend.location).toBe('/login/phone');
    expect(codePage.location).toBe('/login/phone');
    expect(guessed.location).toBe('/login/phone');
    expect(settings.location).toBe('/login');
    expect(pages.outbox.messages().filter((message) => message.kind === 'security-code')).toEqual([]);
  });

  it('never offers or sends a code by email while a first phone is being added', async () => {
    // Prepare
    await registered();
    const client = pages.client();
    await logIn(client);
    await client.post('/login/phone', { phoneNumber: PHONE });

    // Act
    const codePage = await client.get('/login/code');
    const byEmail = await client.post('/login/code/email');

    // Assess
    expect(codePage.html).not.toContain('Send the code by email instead');
    expect(byEmail.location).toBe('/login/phone');
    expect(
      pages.outbox
        .messages()
        .filter((message) => message.channel === 'email' && message.kind === 'security-code'),
    ).toEqual([]);
  });

  it('offers the code by email after the password to an account whose phone is confirmed', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);

    // Act
    const codePage = await client.get('/login/code');

    // Assess
    expect(codePage.html).toContain('Send the code by email instead');
  });

  it('gives no more guesses for asking for a new code: 4 wrong codes, a resend, and the 5th locks code entry', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client);
    for (let attempt = 0; attempt < 4; attempt += 1) await client.post('/login/code', { code: '000000' });
    await client.post('/login/code/resend');

    // Act
    const fifth = await client.post('/login/code', { code: latestCode() === '000000' ? '111111' : '000000' });
    const rightCode = await client.post('/login/code', { code: latestCode() });
    const byEmailInstead = await client.post('/login/code/email');

    // Assess
    expect(fifth.status).toBe(429);
    expect(headingOf(fifth.html)).toBe('You entered the wrong security code too many times');
    expect(rightCode.status).toBe(429);
    expect(byEmailInstead.status).toBe(429);
  });

  it('answers a body it cannot read with a 400 page, not a 500', async () => {
    // Prepare
    await registered();
    const client = pages.client();
    await client.get('/login');

    // Act
    const response = await fetch(`${pages.baseUrl}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `session=${client.cookies.get('session')}` },
      body: '{"email": ',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('There is a problem');
  });

  it('gives the same answer for a wrong password and an unknown email address', async () => {
    // Prepare
    await registered();

    // Act
    const wrongPassword = await logIn(pages.client(), 'not the password');
    const unknownEmail = await logIn(pages.client(), PASSWORD, 'nobody@example.com');

    // Assess
    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(400);
    expect(errorsOf(wrongPassword.html)).toEqual(['Enter the email address and password for your account']);
    expect(errorsOf(unknownEmail.html)).toEqual(errorsOf(wrongPassword.html));
  });

  it('gives a new session id after the password, and ends the session at logout', async () => {
    // Prepare
    await registered();
    const client = pages.client();
    await client.get('/login');
    const before = client.cookies.get('session');

    // Act
    await client.post('/login', { email: EMAIL, password: PASSWORD });
    const after = client.cookies.get('session');
    const planted = pages.client();
    planted.cookies.set('session', before ?? '');
    const withPlantedId = await planted.get('/login/phone');
    await client.post('/logout');
    const afterLogout = await client.get('/login/phone');

    // Assess
    expect(after).not.toBe(before);
    expect(headingOf(withPlantedId.html)).toBe('Your session has ended');
    expect(afterLogout.location).toBe('/login');
  });

  it('ends a session after 30 minutes without activity', async () => {
    // Prepare
    const clock = movableClock();
    await registered({ clock });
    const client = pages.client();
    await logIn(client);
    await client.get('/login/phone');
    clock.advance(30 * 60 + 1);

    // Act
    const response = await client.post('/login/phone', { phoneNumber: PHONE });

    // Assess
    expect(response.status).toBe(400);
    expect(headingOf(response.html)).toBe('Your session has ended');
  });

  it('keeps an audit trail of the security steps', async () => {
    // Prepare
    const client = await withPhone();
    await logIn(client, 'not the password');

    // Act
    const account = await new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL);
    const events = await new DynamoAuditLog(pages.dependencies.table).recent(account?.accountId ?? '', 20);

    // Assess
    expect(events.map((event) => event.type).reverse()).toEqual([
      'registered',
      'code-sent',
      'code-verified',
      'phone-added',
      'login-succeeded',
      'logged-out',
      'login-failed',
    ]);
    expect(JSON.stringify(events)).not.toMatch(new RegExp(`${PASSWORD}|\\b\\d{6}\\b`));
  });

  it('ends a session 12 hours after it started, however active', async () => {
    // Prepare
    const clock = movableClock();
    const client = await withPhone({ clock });
    await logIn(client);
    await client.post('/login/code', { code: latestCode() });
    for (let step = 0; step < 15; step += 1) {
      clock.advance(25 * 60);
      await client.get('/login/done');
      clock.advance(25 * 60);
      await client.get('/login/done');
    }

    // Act: 15 x 50 minutes of activity, never 30 minutes idle, is 12 hours 30 minutes
    const afterTwelveHours = await client.get('/login/done');

    // Assess
    expect(afterTwelveHours.status).toBe(400);
    expect(headingOf(afterTwelveHours.html)).toBe('Your session has ended');
  });

  it('tells the patient when a code could not be sent, and a second try works', async () => {
    // Prepare
    const client = await withPhone();
    await client.get('/login');
    pages.outbox.failNext('sms');

    // Act
    const failed = await client.post('/login', { email: EMAIL, password: PASSWORD });
    await client.get('/login');
    const retried = await client.post('/login', { email: EMAIL, password: PASSWORD });

    // Assess
    expect(failed.status).toBe(503);
    expect(failed.html).toContain('We could not send the message. Try again.');
    expect(retried.location).toBe('/login/code');
  });

  it('never lets the password alone replace the phone number of an account that has one', async () => {
    // Prepare: someone with the password, but not the phone
    await withPhone();
    const attacker = pages.client();
    await logIn(attacker);

    // Act
    const page = await attacker.get('/login/phone');
    const post = await attacker.post('/login/phone', { phoneNumber: '07700 900999' });

    // Assess
    expect(page.location).toBe('/login');
    expect(post.location).toBe('/login');
    expect(pages.outbox.messages().some((message) => message.to === '+447700900999')).toBe(false);
    expect((await new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL))?.phoneNumber).toBe(
      '+447700900123',
    );
  });

  it('refuses a network after too many wrong passwords, whichever accounts they were for', async () => {
    // Prepare: a low per-network limit, so the test need not make 50 attempts
    await registered({ limits: { passwordFailuresPerIp: 3 } });
    const client = pages.client();
    for (let attempt = 0; attempt < 3; attempt += 1)
      await logIn(client, 'wrong', `someone${attempt}@example.com`);

    // Act
    const rightPassword = await logIn(client);

    // Assess
    expect(rightPassword.status).toBe(429);
    expect(rightPassword.html).toContain('There have been too many attempts to log in from your network.');
  });

  it('rehashes a password made with older parameters at login', async () => {
    // Prepare: the stored hash is made with weaker settings than today's
    await registered();
    const accounts = new DynamoAccountStore(pages.dependencies.table);
    const account = await accounts.findByEmail(EMAIL);
    await accounts.updatePasswordHash(
      account?.accountId ?? '',
      await new Argon2PasswordHasher({ timeCost: 1 }).hash(PASSWORD),
    );

    // Act
    const login = await logIn(pages.client());

    // Assess
    expect(login.location).toBe('/login/phone');
    expect((await accounts.findByEmail(EMAIL))?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

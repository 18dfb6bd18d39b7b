import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoSessionStore } from '../../../src/adapters/dynamodb/dynamo-session-store.ts';
import { SessionEndedError } from '../../../src/domain/sessions/browser-session.ts';
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
  const tokenOf = (link: string) => new URL(`http://x${link}`).searchParams.get('token') ?? '';
  const latestCode = () => codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? '');

  /** The emailed link, then the code texted to the phone on the account: the new-password form follows. */
  const passLinkAndCode = async (client: PageClient, link = resetLink()) => {
    await client.get(link);
    await client.post('/password/reset', { token: tokenOf(link) });
    return client.post('/password/reset/code', { code: latestCode() });
  };

  it('resets the password with the link and the code texted to the phone, ends every session, forgets remembered devices and tells the patient', async () => {
    // Prepare
    const device = await loggedInOnRememberedDevice();
    const other = pages.client();

    // Act
    const requested = await requestReset(other);
    const page = await other.get(resetLink());
    const started = await other.post('/password/reset', { token: tokenOf(resetLink()) });
    const text = pages.outbox.latest({ kind: 'security-code' });
    const coded = await other.post('/password/reset/code', { code: codeIn(text?.text ?? '') });
    const reset = await other.post('/password/reset/new', { password: NEW_PASSWORD });
    const deviceSessionAfter = await device.get('/login/done');
    await device.get('/login');
    const oldPassword = await device.post('/login', { email: EMAIL, password: PASSWORD });
    const newPassword = await device.post('/login', { email: EMAIL, password: NEW_PASSWORD });

    // Assess
    expect(requested.next?.html).toContain('we have sent it a link to reset your password');
    expect(headingOf(page.html)).toBe('Reset your password');
    expect(started.location).toBe('/password/reset/code');
    expect(started.next?.html).toContain('ending 123');
    expect(text?.to).toBe('+447700900123');
    expect(coded.location).toBe('/password/reset/new');
    expect(headingOf(coded.next?.html ?? '')).toBe('Create a new password');
    expect(reset.location).toBe('/password/reset/done');
    expect(headingOf(reset.next?.html ?? '')).toBe('Your password has been reset');
    expect(headingOf(deviceSessionAfter.html)).toBe('Your session has ended');
    expect(oldPassword.status).toBe(400);
    expect(newPassword.location).toBe('/login/code');
    expect(pages.outbox.latest({ kind: 'password-changed' })?.to).toBe(EMAIL);
  });

  it('refuses a new password with the mailbox alone: no code, no new-password form and no reset', async () => {
    // Prepare: someone with only the patient's mailbox
    await loggedInOnRememberedDevice();
    const attacker = pages.client();
    await requestReset(attacker);
    await attacker.get(resetLink());
    await attacker.post('/password/reset', { token: tokenOf(resetLink()) });

    // Act
    const form = await attacker.get('/password/reset/new');
    const skipped = await attacker.post('/password/reset/new', { password: NEW_PASSWORD });
    const wrongCode = await attacker.post('/password/reset/code', { code: '000000' });
    const byEmail = await attacker.post('/login/code/email');

    // Assess
    expect(form.status).toBe(403);
    expect(headingOf(form.html)).toBe('You need to enter the security code first');
    expect(skipped.status).toBe(403);
    expect(wrongCode.status).toBe(400);
    expect(errorsOf(wrongCode.html)[0]).toMatch(/^The security code is not right/);
    expect(byEmail.location).toBe('/login');
    expect(
      pages.outbox
        .messages()
        .filter((message) => message.kind === 'security-code' && message.channel === 'email'),
    ).toEqual([]);
    await attacker.get('/login');
    expect((await attacker.post('/login', { email: EMAIL, password: NEW_PASSWORD })).status).toBe(400);
  });

  it('never lets another browser with the same link ride on the code the patient entered', async () => {
    // Prepare: the patient passes the code; someone else also has the emailed link
    await loggedInOnRememberedDevice();
    const patient = pages.client();
    await requestReset(patient);
    const link = resetLink();
    await passLinkAndCode(patient, link);
    const attacker = pages.client();
    await attacker.get(link);

    // Act
    const started = await attacker.post('/password/reset', { token: tokenOf(link) });
    const skipped = await attacker.post('/password/reset/new', { password: NEW_PASSWORD });
    const patientFinishes = await patient.post('/password/reset/new', { password: 'a fresh new passphrase' });

    // Assess
    expect(started.location).toBe('/password/reset/code');
    expect(skipped.status).toBe(403);
    expect(patientFinishes.location).toBe('/password/reset/done');
  });

  it('never lets a remembered device stand in for the code in a reset', async () => {
    // Prepare: the link opened on the patient's own remembered device
    const device = await loggedInOnRememberedDevice();
    await device.post('/logout');
    await requestReset(device);
    await device.get(resetLink());

    // Act
    const started = await device.post('/password/reset', { token: tokenOf(resetLink()) });
    const skipped = await device.post('/password/reset/new', { password: NEW_PASSWORD });

    // Assess
    expect(started.location).toBe('/password/reset/code');
    expect(skipped.status).toBe(403);
  });

  it('shows a patient who has lost the phone how to get help (CID3001), not a way round', async () => {
    // Prepare
    await loggedInOnRememberedDevice();
    const client = pages.client();
    await requestReset(client);
    await client.get(resetLink());
    const codePage = await client.post('/password/reset', { token: tokenOf(resetLink()) });

    // Act
    const help = await client.get('/lost-phone');

    // Assess
    expect(codePage.next?.html).toContain('href="/lost-phone"');
    expect(help.status).toBe(200);
    expect(headingOf(help.html)).toBe('You need help to get back into your account');
    expect(help.html).toContain('CID3001');
    expect(help.html).toContain('href="/contact?cid=CID3001"');
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
    await passLinkAndCode(client);

    // Act
    const weak = await client.post('/password/reset/new', { password: 'pat12345' });
    const strong = await client.post('/password/reset/new', { password: NEW_PASSWORD });

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
    await passLinkAndCode(client, link);
    await client.post('/password/reset/new', { password: NEW_PASSWORD });

    // Act
    const reused = await pages.client().get(link);

    // Assess
    expect(reused.status).toBe(400);
    expect(headingOf(reused.html)).toBe('This link has already been used');
    expect(reused.html).toContain('CID2022');
  });

  it('makes the first link stop working when a second reset is asked for', async () => {
    // Prepare
    await loggedInOnRememberedDevice();
    await requestReset(pages.client());
    const first = resetLink();
    await requestReset(pages.client());
    const second = resetLink();

    // Act
    const firstOpened = await pages.client().get(first);
    const firstStarted = await pages.client().post('/password/reset', { token: tokenOf(first) });
    const secondOpened = await pages.client().get(second);

    // Assess
    expect(first).not.toBe(second);
    expect(firstOpened.status).toBe(400);
    expect(headingOf(firstOpened.html)).toBe('This link no longer works');
    expect(firstOpened.html).toContain('CID2021');
    expect(firstStarted.status).toBe(400);
    expect(headingOf(secondOpened.html)).toBe('Reset your password');
  });

  it('keeps a reset that has passed its code working when someone else asks for a new link meanwhile', async () => {
    // Prepare: the patient is past the code; an outsider asks for a reset and registers the address
    await loggedInOnRememberedDevice();
    const patient = pages.client();
    await requestReset(patient);
    await passLinkAndCode(patient);
    await requestReset(pages.client({ localAddress: '127.0.0.9' }), EMAIL);
    const outsider = pages.client({ localAddress: '127.0.0.10' });
    await outsider.get('/register');
    await outsider.post('/register', { email: EMAIL, password: 'correct horse battery', terms: 'accepted' });

    // Act
    const reset = await patient.post('/password/reset/new', { password: NEW_PASSWORD });

    // Assess
    expect(reset.location).toBe('/password/reset/done');
  });

  it('caps one inbox at 20 link emails an hour across networks, but never for the account’s own network', async () => {
    // Prepare: 5 networks each send their 5 an hour, past the ceiling of 20
    await loggedInOnRememberedDevice();
    for (let network = 10; network < 15; network += 1) {
      const client = pages.client({ localAddress: `127.0.0.${network}` });
      for (let request = 0; request < 5; request += 1) await requestReset(client);
    }
    const emailedFromOthers = pages.outbox
      .messages()
      .filter((message) => message.kind === 'reset-password').length;

    // Act: the patient's own network (where they logged in)
    await requestReset(pages.client());

    // Assess: the registration's confirmation email was the address's first of the hour
    expect(emailedFromOthers).toBe(19);
    expect(pages.outbox.messages().filter((message) => message.kind === 'reset-password')).toHaveLength(20);
  });

  it('ends every other pending link of the account: an email change asked for before the reset stops working', async () => {
    // Prepare: someone in the patient's session asked to move the account to their own address
    const device = await loggedInOnRememberedDevice();
    await device.get('/settings/email');
    await device.post('/settings/email', { email: 'attacker@example.com', password: PASSWORD });
    const emailChange = linkIn(
      pages.outbox.latest({ kind: 'confirm-new-email' })?.text ?? '',
      '/settings/email/confirm',
    );
    const patient = pages.client();
    await requestReset(patient);
    await passLinkAndCode(patient);
    await patient.post('/password/reset/new', { password: NEW_PASSWORD });

    // Act
    const confirmed = await pages.client().openLink(emailChange);

    // Assess
    expect(confirmed.status).toBe(400);
    expect(headingOf(confirmed.html)).toBe('This link no longer works');
    expect((await new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL))?.email).toBe(EMAIL);
  });

  it('keeps the link that undoes a phone change working through a reset', async () => {
    // Prepare
    const device = await loggedInOnRememberedDevice();
    await confirmItIsYou(device, pages.outbox, PASSWORD);
    await device.post('/settings/phone', { phoneNumber: '07700 900456' });
    await device.post('/settings/phone/code', {
      code: codeIn(pages.outbox.latest({ to: '+447700900456' })?.text ?? ''),
    });
    const undo = linkIn(pages.outbox.latest({ kind: 'phone-changed' })?.text ?? '', '/settings/phone/cancel');
    const patient = pages.client();
    await requestReset(patient);
    await passLinkAndCode(patient);
    await patient.post('/password/reset/new', { password: NEW_PASSWORD });

    // Act
    const undone = await pages.client().openLink(undo);

    // Assess
    expect(headingOf(undone.html)).toBe('The change of mobile phone number has been cancelled');
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

  it('lifts any delay on the account: after a reset the patient logs in at once', async () => {
    // Prepare: an attacker's wrong passwords from many networks delay every network's attempts
    await loggedInOnRememberedDevice();
    const attacker = pages.client();
    for (let attempt = 0; attempt < 12; attempt += 1) {
      await attacker.get('/login');
      await attacker.post('/login', { email: EMAIL, password: `wrong ${attempt}` });
    }
    const patient = pages.client();
    await patient.get('/login');
    const delayed = await patient.post('/login', { email: EMAIL, password: PASSWORD });
    await requestReset(patient);
    await passLinkAndCode(patient);
    await patient.post('/password/reset/new', { password: NEW_PASSWORD });

    // Act
    await patient.get('/login');
    const afterReset = await patient.post('/login', { email: EMAIL, password: NEW_PASSWORD });

    // Assess
    expect(delayed.status).toBe(429);
    expect(afterReset.location).toBe('/login/code');
  });

  it('refuses a session from before the reset even if its item is written back by a request in flight', async () => {
    // Prepare: keep a copy of the logged-in session's item, as a slow request would hold it
    const device = await loggedInOnRememberedDevice();
    const { table } = pages.dependencies;
    const listed = await table.queryIndex('sessions', `ACCOUNT_SESSIONS#${await accountId()}`);
    const sessionsBefore = (await Promise.all(listed.map(({ pk, sk }) => table.get({ pk, sk })))).filter(
      (item) => item !== undefined,
    );
    const other = pages.client();
    await requestReset(other);
    await passLinkAndCode(other);
    await other.post('/password/reset/new', { password: NEW_PASSWORD });

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

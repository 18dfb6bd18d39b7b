import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import {
  createAccount,
  errorsOf,
  headingOf,
  linkIn,
  movableClock,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

describe('creating an account', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const register = async (
    client: ReturnType<Pages['client']>,
    email: string,
    password = 'correct horse battery',
  ) => {
    await client.get('/register');
    return client.post('/register', { email, password, terms: 'accepted' });
  };

  it('emails a confirmation link that creates the account once the patient confirms (a link scanner only sees a page)', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();

    // Act
    const submitted = await register(client, 'pat@example.com');
    const checkEmail = await client.get('/register/check-email');
    const message = pages.outbox.latest({ to: 'pat@example.com', kind: 'confirm-email' });
    const link = linkIn(message?.text ?? '', '/register/confirm');
    const opened = await client.get(link);
    const openedTwice = await pages.client().get(link);
    const confirmed = await client.openLink(link);

    // Assess
    expect(submitted).toMatchObject({ status: 303, location: '/register/check-email' });
    expect(headingOf(checkEmail.html)).toBe('Check your email');
    expect(checkEmail.html).toContain('pat@<wbr>example<wbr>.com');
    expect(headingOf(opened.html)).toBe('Confirm your email address');
    expect(headingOf(openedTwice.html)).toBe('Confirm your email address');
    expect(confirmed.status).toBe(200);
    expect(confirmed.html).toContain('You now have an NHS login');
    const account = await new DynamoAccountStore(pages.dependencies.table).findByEmail('pat@example.com');
    expect(account).toMatchObject({ email: 'pat@example.com', proofingLevel: 'P0' });
    expect(account?.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('answers the same for a registered address, and emails its owner instead', async () => {
    // Prepare
    pages = await startPages();
    const first = pages.client();
    await register(first, 'pat@example.com');
    await first.openLink(
      linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm'),
    );
    const sentBefore = pages.outbox.messages().length;

    // Act: the same address, differently written
    const again = await register(pages.client(), '  PAT@Example.com ');

    // Assess
    expect(again).toMatchObject({ status: 303, location: '/register/check-email' });
    const sent = pages.outbox.messages().slice(0, pages.outbox.messages().length - sentBefore);
    expect(sent.map((message) => message.kind)).toEqual(['already-registered']);
  });

  it('sends the owner of a registered address a reset link that still needs the phone', async () => {
    // Prepare
    pages = await startPages();
    const first = pages.client();
    await register(first, 'pat@example.com');
    await first.openLink(
      linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm'),
    );

    // Act
    await register(pages.client(), 'pat@example.com');
    const link = linkIn(pages.outbox.latest({ kind: 'already-registered' })?.text ?? '', '/password/reset');
    const opened = await pages.client().get(link);

    // Assess
    expect(headingOf(opened.html)).toBe('Reset your password');
  });

  it('lets only the newest registration of an address be confirmed', async () => {
    // Prepare: someone registers the patient's address first; then the patient does
    pages = await startPages();
    const attacker = pages.client();
    await register(attacker, 'pat@example.com', 'the attackers passphrase');
    const attackersLink = linkIn(
      pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '',
      '/register/confirm',
    );
    const patient = pages.client();
    await register(patient, 'pat@example.com', 'my own secret passphrase');
    const patientsLink = linkIn(
      pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '',
      '/register/confirm',
    );

    // Act
    const oldLink = await attacker.openLink(attackersLink);
    const newLink = await patient.openLink(patientsLink);

    // Assess
    expect(oldLink.status).toBe(400);
    expect(headingOf(oldLink.html)).toBe('This link no longer works');
    expect(oldLink.html).toContain('CID1002');
    expect(newLink.html).toContain('You now have an NHS login');
    await patient.get('/login');
    expect(
      (await patient.post('/login', { email: 'pat@example.com', password: 'my own secret passphrase' }))
        .location,
    ).toBe('/login/phone');
  });

  it('asks another browser for the password chosen at registration, so an account with a stranger’s password is never confirmed', async () => {
    // Prepare: an attacker registers the patient's address with the attacker's password
    pages = await startPages();
    await register(pages.client(), 'pat@example.com', 'the attackers passphrase');
    const link = linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm');
    const patientsBrowser = pages.client();
    const token = new URL(`http://x${link}`).searchParams.get('token') ?? '';

    // Act: the patient opens the link from their own inbox, in their own browser
    const opened = await patientsBrowser.get(link);
    const withoutPassword = await patientsBrowser.post('/register/confirm', { token });
    const withTheirOwnPassword = await patientsBrowser.post('/register/confirm', {
      token,
      password: 'my own secret passphrase',
    });

    // Assess
    expect(opened.html).toContain('name="password"');
    expect(opened.html).toContain('someone else may have used your email address');
    expect(withoutPassword.status).toBe(400);
    expect(errorsOf(withoutPassword.html)).toEqual([
      'Enter the password you chose when you set up your account',
    ]);
    expect(withTheirOwnPassword.status).toBe(400);
    expect(errorsOf(withTheirOwnPassword.html)).toEqual([
      'The password is not the one chosen when this account was set up',
    ]);
    expect(
      await new DynamoAccountStore(pages.dependencies.table).findByEmail('pat@example.com'),
    ).toBeUndefined();
  });

  it('confirms on another device with the password chosen at registration', async () => {
    // Prepare
    pages = await startPages();
    await register(pages.client(), 'pat@example.com');
    const link = linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm');
    const phone = pages.client();
    await phone.get(link);

    // Act
    const confirmed = await phone.post('/register/confirm', {
      token: new URL(`http://x${link}`).searchParams.get('token') ?? '',
      password: 'correct horse battery',
    });

    // Assess
    expect(confirmed.html).toContain('You now have an NHS login');
  });

  it.each([
    [
      'an invalid email address',
      { email: 'pat.example.com' },
      'Enter an email address in the correct format, like name@example.com',
    ],
    [
      'an address no mail system delivers to',
      { email: 'pat@example..org' },
      'Enter an email address in the correct format, like name@example.com',
    ],
    ['a short password', { password: 'short' }, 'Enter a password that is 8 characters or more'],
    // No-break spaces, so the page's own spaces cannot pass for the password echoed back.
    [
      'a password of spaces only',
      { password: '\u00a0 '.repeat(6) },
      'Enter a password that is not only spaces',
    ],
    [
      'a short password padded with spaces',
      { password: '   k7#mQ2   ' },
      'Enter a password that is 8 characters or more',
    ],
    [
      'a common password',
      { password: 'password123' },
      'Enter a password that is harder to guess. This password is too common',
    ],
    [
      'a password with the email name',
      { password: 'patricia-1999' },
      'Your password must not include the part of your email address before the @',
    ],
    ['no agreement to the terms', { terms: '' }, 'Confirm that you accept the terms and conditions'],
  ])('refuses %s, says what to change and sends nothing', async (_case, change, message) => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await client.get('/register');

    // Act
    const response = await client.post('/register', {
      email: 'patricia@example.com',
      password: 'correct horse battery',
      terms: 'accepted',
      ...change,
    });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)).toContain(message);
    expect(response.html).toContain('There is a problem');
    expect(response.html).not.toContain('password' in change ? change.password : 'correct horse battery');
    expect(pages.outbox.messages()).toEqual([]);
  });

  it('keeps the email address and the accepted terms when the form is shown again', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await client.get('/register');

    // Act
    const response = await client.post('/register', {
      email: 'patricia@example.com',
      password: 'short',
      terms: 'accepted',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(response.html).toContain('value="patricia@example.com"');
    expect(response.html).toMatch(/<input[^>]*id="terms"[^>]*checked/);
  });

  it('names the service as the seeds do: its terms and conditions, and "You now have an NHS login"', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();

    // Act
    const form = await client.get('/register');
    const terms = await client.get('/terms-of-use');

    // Assess
    expect(form.html).toContain('I accept the NHS login terms and conditions');
    expect(terms.html).toContain('<h1>NHS login terms and conditions</h1>');
  });

  it('refuses a used confirmation link with CID1003', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await register(client, 'pat@example.com');
    const link = linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm');
    await client.openLink(link);

    // Act
    const reused = await client.get(link);

    // Assess
    expect(reused.status).toBe(400);
    expect(headingOf(reused.html)).toBe('This link has already been used');
    expect(reused.html).toContain('CID1003');
  });

  it('refuses a confirmation link after 24 hours with CID1002', async () => {
    // Prepare
    const clock = movableClock();
    pages = await startPages({ clock });
    const client = pages.client();
    await register(client, 'pat@example.com');
    const link = linkIn(pages.outbox.latest({ kind: 'confirm-email' })?.text ?? '', '/register/confirm');
    clock.advance(24 * 3600 + 1);

    // Act
    const expired = await pages.client().get(link);

    // Assess
    expect(expired.status).toBe(400);
    expect(headingOf(expired.html)).toBe('This link has expired');
    expect(expired.html).toContain('CID1002');
  });

  it('refuses a mangled confirmation link', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const mangled = await pages.client().get('/register/confirm?token=not-a-token');

    // Assess
    expect(mangled.status).toBe(400);
    expect(mangled.html).toContain('CID1002');
  });

  it('refuses a form post without the CSRF token of the session, and stores nothing', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await client.get('/register');

    // Act
    const forged = await client.post('/register', {
      csrfToken: 'forged',
      email: 'pat@example.com',
      password: 'correct horse battery',
      terms: 'accepted',
    });
    const noSession = await pages
      .client()
      .post('/register', { email: 'pat@example.com', password: 'correct horse battery', terms: 'accepted' });

    // Assess
    for (const response of [forged, noSession]) {
      expect(response.status).toBe(400);
      expect(headingOf(response.html)).toBe('Your session has ended');
    }
    expect(pages.outbox.messages()).toEqual([]);
  });

  describe('logging in before the email is confirmed', () => {
    const PASSWORD = 'correct horse battery';
    const logIn = async (
      client: ReturnType<Pages['client']>,
      password: string,
      email = 'pat@example.com',
    ) => {
      await client.get('/login');
      return client.post('/login', { email, password });
    };
    const confirmLinks = () =>
      pages.outbox
        .messages()
        .filter((message) => message.kind === 'confirm-email')
        .map((message) => linkIn(message.text, '/register/confirm'))
        .toReversed();

    it('tells the patient to confirm the email, not that the password is wrong, and never counts it as a failure', async () => {
      // Prepare: registered on another device, the link not yet opened
      pages = await startPages();
      await register(pages.client(), 'pat@example.com', PASSWORD);
      const client = pages.client();

      // Act: more right passwords than the failures a network is delayed after
      const attempts = [];
      for (let attempt = 0; attempt < 7; attempt += 1) attempts.push(await logIn(client, PASSWORD));
      const page = await client.get('/register/check-email');

      // Assess
      for (const attempt of attempts)
        expect(attempt).toMatchObject({ status: 303, location: '/register/check-email' });
      expect(headingOf(page.html)).toBe('Confirm your email address before you log in');
      expect(page.html).toContain('You need to confirm your email address before you can log in.');
      expect(page.html).toContain('pat@<wbr>example<wbr>.com');
      expect(page.html).toContain('Send the email again');
    });

    it('answers a wrong password for a registration as for an address nobody registered', async () => {
      // Prepare
      pages = await startPages();
      await register(pages.client(), 'pat@example.com', PASSWORD);

      // Act
      const wrong = await logIn(pages.client(), 'not the password');
      const nobody = await logIn(pages.client(), PASSWORD, 'nobody@example.com');

      // Assess
      expect(wrong.status).toBe(400);
      expect(errorsOf(wrong.html)).toEqual(['Enter the email address and password for your account']);
      expect(errorsOf(nobody.html)).toEqual(errorsOf(wrong.html));
      expect(headingOf(wrong.html)).toBe(headingOf(nobody.html));
    });

    it('sends the email again from the login: the new link replaces the old and confirms with one click there', async () => {
      // Prepare
      pages = await startPages();
      await register(pages.client(), 'pat@example.com', PASSWORD);
      const client = pages.client();
      await logIn(client, PASSWORD);
      await client.get('/register/check-email');

      // Act
      const resent = await client.post('/register/check-email', {});
      const [oldLink = '', newLink = ''] = confirmLinks();
      const old = await client.openLink(oldLink);
      const confirmed = await client.openLink(newLink);

      // Assess
      expect(resent).toMatchObject({ status: 303, location: '/register/check-email?sent=again' });
      expect(resent.next?.html).toContain(
        'We have sent the email again. Only the link in the newest email works.',
      );
      expect(confirmLinks()).toHaveLength(2);
      expect(headingOf(old.html)).toBe('This link no longer works');
      expect(confirmed.html).toContain('You now have an NHS login');
      expect((await logIn(client, PASSWORD)).location).toBe('/login/phone');
    });

    it('sends the email again from the check-email page after registering', async () => {
      // Prepare
      pages = await startPages();
      const client = pages.client();
      await register(client, 'pat@example.com', PASSWORD);
      await client.get('/register/check-email');

      // Act
      const resent = await client.post('/register/check-email', {});
      const [oldLink = '', newLink = ''] = confirmLinks();

      // Assess
      expect(resent.next?.html).toContain('We have sent the email again.');
      expect(headingOf(resent.next?.html ?? '')).toBe('Check your email');
      expect(headingOf((await client.openLink(oldLink)).html)).toBe('This link no longer works');
      expect((await client.openLink(newLink)).html).toContain('You now have an NHS login');
    });

    it('sends the owner of a registered address its email again, with the same page as for a new registration', async () => {
      // Prepare: an account exists; someone registers its address again
      pages = await startPages();
      await createAccount(pages.client(), pages.outbox, 'pat@example.com', PASSWORD);
      const stranger = pages.client();
      await register(stranger, 'pat@example.com', 'another passphrase');
      await stranger.get('/register/check-email');
      const before = pages.outbox.messages().length;

      // Act
      const resent = await stranger.post('/register/check-email', {});

      // Assess
      expect(resent).toMatchObject({ status: 303, location: '/register/check-email?sent=again' });
      expect(
        pages.outbox
          .messages()
          .slice(0, pages.outbox.messages().length - before)
          .map((message) => message.kind),
      ).toEqual(['already-registered']);
    });

    it('refuses to send again for a browser that neither registered nor gave the password, or once the registration has ended', async () => {
      // Prepare
      const clock = movableClock();
      pages = await startPages({ clock, limits: { confirmationLinkLifetimeSeconds: 600 } });
      const first = pages.client();
      await register(first, 'pat@example.com', PASSWORD);
      await first.get('/register/check-email');
      // Someone registers the same address again elsewhere: only their link works now
      await register(pages.client(), 'pat@example.com', 'another passphrase');
      const sentBefore = pages.outbox.messages().length;

      // Act
      const replaced = await first.post('/register/check-email', {});
      const late = pages.client();
      await register(late, 'sam@example.com', PASSWORD);
      await late.get('/register/check-email');
      clock.advance(601);
      const expired = await late.post('/register/check-email', {});

      // Assess
      expect(replaced.status).toBe(400);
      expect(headingOf(replaced.html)).toBe('We cannot send the email again');
      expect(replaced.html).toContain('CID1002');
      expect(pages.outbox.messages().length).toBe(sentBefore + 1);
      expect(headingOf(expired.html)).toBe('We cannot send the email again');
    });

    it('keeps the resend within the caps on emails to an address', async () => {
      // Prepare
      pages = await startPages({ limits: { linkEmailsPerAddress: 2 } });
      const client = pages.client();
      await register(client, 'pat@example.com', PASSWORD);
      await client.get('/register/check-email');

      // Act
      for (let resend = 0; resend < 3; resend += 1) await client.post('/register/check-email', {});

      // Assess: the registration and one resend
      expect(confirmLinks()).toHaveLength(2);
    });
  });
});

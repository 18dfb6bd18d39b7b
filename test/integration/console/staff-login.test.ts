import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetStaffCredentials } from '../../../src/domain/staff/staff-enrolment.ts';
import { startConsoleHarness } from '../../support/console-harness.ts';
import { errorsOf, headingOf, PageClient } from '../../support/page-client.ts';

type Harness = Awaited<ReturnType<typeof startConsoleHarness>>;

/** The review console's login over HTTP: a password, then an authenticator code, each refused as an attacker would try it. */
describe('the review console login', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const now = () => Math.floor(Date.now() / 1000);

  it('logs in with the password and then the code from the authenticator, on a cookie of its own', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer', 'Rita Reviewer');
    const client = h.client();

    // Act
    const before = await client.get('/');
    await client.get('/login');
    const password = await client.post('/login', {
      email: reviewer.account.email.toUpperCase(),
      password: reviewer.password,
    });
    const code = await generate({ secret: reviewer.totpSecret, epoch: now() });
    const done = await client.post('/login/code', { code });
    const events = await h.staffAudit.onDays([new Date().toISOString().slice(0, 10)], ['staff-logged-in']);

    // Assess
    expect(before.status).toBe(303);
    expect(before.location).toBe('/login');
    expect(password.location).toBe('/login/code');
    expect(done.location).toBe('/');
    expect(headingOf(done.next?.html ?? '')).toBe('Photo-ID checks waiting for review');
    expect(done.next?.html).toContain('Rita Reviewer (Reviewer)');
    expect(done.setCookies[0]).toMatch(/^console-session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    // A new session id at each step: the one from the login page no longer works
    expect(password.setCookies[0]).not.toBe(done.setCookies[0]);
    expect(events.map((event) => event.staffId)).toContain(reviewer.account.staffId);
  });

  it('gives one answer for a wrong password and an unknown address, and the code page is not reached', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const client = h.client();
    await client.get('/login');

    // Act
    const wrong = await client.post('/login', {
      email: reviewer.account.email,
      password: 'not-the-password',
    });
    const unknown = await client.post('/login', { email: 'nobody@staff.test', password: 'not-the-password' });
    const empty = await client.post('/login', { email: '', password: '' });
    const code = await client.get('/login/code');

    // Assess
    expect(wrong.status).toBe(400);
    expect(errorsOf(wrong.html)).toEqual(['The email address or password is not right']);
    expect(errorsOf(unknown.html)).toEqual(errorsOf(wrong.html));
    expect(unknown.html).not.toContain('not-the-password');
    expect(errorsOf(empty.html)).toEqual(['Enter your work email address', 'Enter your password']);
    expect(code.location).toBe('/login');
  });

  it('refuses a wrong code and a code used already, and a code without the password first', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    // One code for both logins, so a 30-second boundary between them changes nothing
    const usedCode = await generate({ secret: reviewer.totpSecret, epoch: now() });
    const first = h.client();
    await first.get('/login');
    await first.post('/login', { email: reviewer.account.email, password: reviewer.password });
    const firstLogin = await first.post('/login/code', { code: usedCode });
    const replay = h.client();
    await replay.get('/login');
    await replay.post('/login', { email: reviewer.account.email, password: reviewer.password });
    const skipping = h.client();
    await skipping.get('/login');

    // Act
    const again = await replay.post('/login/code', { code: usedCode });
    const wrong = await replay.post('/login/code', { code: '000000' === usedCode ? '111111' : '000000' });
    const notDigits = await replay.post('/login/code', { code: 'abcdef' });
    const withoutPassword = await skipping.post('/login/code', { code: usedCode });

    const failures = await h.staffAudit.onDays(
      [new Date().toISOString().slice(0, 10)],
      ['staff-login-failed'],
    );

    // Assess
    expect(firstLogin.location).toBe('/');
    expect(again.status).toBe(400);
    expect(
      failures.filter((event) => event.staffId === reviewer.account.staffId).map((event) => event.detail),
    ).toEqual(expect.arrayContaining(['code-reused', 'wrong-code']));
    expect(errorsOf(again.html)[0]).toContain('The code is not right');
    expect(wrong.status).toBe(400);
    expect(notDigits.status).toBe(400);
    expect(withoutPassword.location).toBe('/login');
  });

  it('locks the login after 5 wrong passwords or codes, even with the right ones after, and records it', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const client = h.client();
    await client.get('/login');

    // Act
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1)
      statuses.push(
        (await client.post('/login', { email: reviewer.account.email, password: 'wrong' })).status,
      );
    await client.post('/login', { email: reviewer.account.email, password: reviewer.password });
    const fifth = await client.post('/login/code', { code: '000000' });
    const after = h.client();
    await after.get('/login');
    const rightPassword = await after.post('/login', {
      email: reviewer.account.email,
      password: reviewer.password,
    });
    const events = await h.staffAudit.onDays(
      [new Date().toISOString().slice(0, 10)],
      ['staff-login-failed', 'staff-login-locked'],
    );

    // Assess
    expect(statuses).toEqual([400, 400, 400, 400]);
    expect(fifth.status).toBe(429);
    expect(headingOf(fifth.html)).toBe('You cannot log in for a while');
    expect(rightPassword.status).toBe(429);
    const mine = events.filter((event) => event.staffId === reviewer.account.staffId);
    expect(mine.filter((event) => event.type === 'staff-login-failed')).toHaveLength(4);
    expect(mine.filter((event) => event.type === 'staff-login-locked').map((event) => event.detail)).toEqual([
      'from-this-network',
    ]);
  });

  it('refuses a disabled account, and ends its session at its next request', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);

    // Act
    await h.staff.setDisabled(reviewer.account.staffId, true);
    const next = await client.get('/');
    const fresh = h.client();
    await fresh.get('/login');
    const login = await fresh.post('/login', { email: reviewer.account.email, password: reviewer.password });

    // Assess
    expect(next.status).toBe(303);
    expect(next.location).toBe('/login');
    expect(login.status).toBe(400);
  });

  it('refuses a form without its CSRF token, and a patient cookie is no console session', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);
    const stranger = h.client();
    stranger.cookies.set('session', 'a-patient-session-id');

    // Act
    const forged = await client.post('/logout', { csrfToken: 'forged' });
    const stillIn = await client.get('/');
    const patientCookie = await stranger.get('/');
    const logout = await client.post('/logout');
    const afterLogout = await client.get('/');

    // Assess
    expect(forged.status).toBe(400);
    expect(headingOf(forged.html)).toBe('Your session has ended');
    expect(stillIn.status).toBe(200);
    expect(patientCookie.location).toBe('/login');
    expect(logout.location).toBe('/login');
    expect(afterLogout.location).toBe('/login');
  });

  it('counts each attempt before it is checked: of 10 wrong passwords sent at once, 5 are looked at and 5 refused', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const client = h.client();
    await client.get('/login');

    // Act
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        client.post('/login', { email: reviewer.account.email, password: 'guess' }),
      ),
    );
    const statuses = responses.map((response) => response.status).sort();
    const rightPassword = await client.post('/login', {
      email: reviewer.account.email,
      password: reviewer.password,
    });

    // Assess
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429, 429, 429]);
    expect(rightPassword.status).toBe(429);
  });

  it('locks a stranger’s network out of a staff address, not the member of staff on theirs', async () => {
    // Prepare: someone on another network guesses at a reviewer's address
    const reviewer = await h.addStaff('reviewer');
    const stranger = new PageClient(h.baseUrl, { localAddress: '127.0.0.2' });
    await stranger.get('/login');
    for (let guess = 0; guess < 6; guess += 1)
      await stranger.post('/login', { email: reviewer.account.email, password: `guess-${guess}` });

    // Act
    const strangerAgain = await stranger.post('/login', {
      email: reviewer.account.email,
      password: reviewer.password,
    });
    const own = await h.logIn(reviewer);

    // Assess
    expect(strangerAgain.status).toBe(429);
    expect(headingOf(own.landed?.html ?? '')).toBe('Photo-ID checks waiting for review');
  });

  it('ends the sessions from before a reset of the password and key: only the new ones log in', async () => {
    // Prepare
    const reviewer = await h.addStaff('reviewer');
    const before = await h.logIn(reviewer);
    const reset = await resetStaffCredentials(h.enrolment, reviewer.account);

    // Act
    const oldSession = await before.client.get('/');
    const oldPassword = h.client();
    await oldPassword.get('/login');
    const refused = await oldPassword.post('/login', {
      email: reviewer.account.email,
      password: reviewer.password,
    });
    const fresh = await h.logIn({ ...reset, account: reviewer.account });

    // Assess
    expect(oldSession.status).toBe(303);
    expect(oldSession.location).toBe('/login');
    expect(refused.status).toBe(400);
    expect(headingOf(fresh.landed?.html ?? '')).toBe('Photo-ID checks waiting for review');
  });
});

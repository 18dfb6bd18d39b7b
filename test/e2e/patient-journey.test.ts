import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageFunctionNames, routes } from '../../src/routes.ts';
import { launchChromium, seriousAccessibilityProblems } from '../support/browser.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

interface OutboxMessage {
  readonly kind: string;
  readonly to: string;
  readonly text: string;
}

/** The support team's contact route the stack is given (`CONTACT_URL`). */
const SUPPORT_URL = 'https://help.example.org/contact';

describe('a new patient in a browser', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;
  let browser: Browser;
  const pagesChecked: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'patient-journey-'));
    [stack, browser] = await Promise.all([
      startLocalStackProcess(dataDirectory, {
        // A phone's day of codes small enough to reach (each test's patient has a phone of its own).
        env: {
          CONTACT_URL: SUPPORT_URL,
          LIMITS: JSON.stringify({ codeSendsPerConfirmedDestination: 4, codeSendsPerAccount: 20 }),
        },
      }),
      launchChromium(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const latest = async (kind: string, to?: RegExp): Promise<OutboxMessage> => {
    const { messages } = (await (await fetch(`${stack.issuer}/_dev/outbox.json`)).json()) as {
      messages: OutboxMessage[];
    };
    const message = messages.find((candidate) => candidate.kind === kind && (!to || to.test(candidate.to)));
    if (!message) throw new Error(`No ${kind} message in the outbox`);
    return message;
  };

  /** Checks the page with axe and remembers any serious problem, then returns its heading. */
  const check = async (page: Page): Promise<string> => {
    pagesChecked.push(new URL(page.url()).pathname);
    problems.push(...(await seriousAccessibilityProblems(page)).map((problem) => `${page.url()} ${problem}`));
    return (await page.locator('h1').first().innerText()).trim();
  };

  it('registers, confirms the email, adds a phone, remembers the device, logs in without a code, resets the password and sees the device forgotten', async () => {
    // Prepare
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act and Assess, step by step as a patient goes
    await page.goto(`${stack.issuer}/`);
    expect(await check(page)).toBe('Log in or create an account');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Log in');
    await page.getByRole('link', { name: 'Create an account' }).click();
    expect(await check(page)).toBe('Create an account');

    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Create an account');
    await expect.poll(() => page.locator('.nhsuk-error-summary').count(), { timeout: 10_000 }).toBe(1);

    await page.getByLabel('Email address').fill('pat@example.com');
    await page.getByLabel('Create a password').fill('correct horse battery');
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Check your email');

    const link =
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec((await latest('confirm-email')).text)?.[0] ?? '';
    await page.goto(link);
    expect(await check(page)).toBe('Confirm your email address');
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    expect(await check(page)).toBe('You now have an NHS login');
    await page.getByRole('button', { name: 'Continue' }).click();

    await page.getByLabel('Email address').fill('pat@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter your mobile phone number');
    await page.getByLabel('UK mobile phone number').fill('07700 900123');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter the security code');

    const code = /\d{6}/.exec((await latest('security-code')).text)?.[0] ?? '';
    await page.getByLabel('Security code', { exact: true }).fill(code);
    await page.getByLabel('Remember this device and stop sending security codes').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('You are logged in');

    await page.getByRole('button', { name: 'Log out' }).click();
    expect(await check(page)).toBe('You have logged out');

    await page.goto(`${stack.issuer}/login`);
    await page.getByLabel('Email address').fill('pat@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('You are logged in');

    await page.getByRole('link', { name: 'Login and security settings' }).click();
    expect(await check(page)).toBe('Login and security settings');
    expect(await page.content()).toContain('Chrome on Linux');
    await page.getByRole('button', { name: 'Log out' }).click();

    await page.goto(`${stack.issuer}/login`);
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    expect(await check(page)).toBe('Reset your password');
    await page.getByLabel('Email address').fill('pat@example.com');
    await page.getByRole('button', { name: 'Send link' }).click();
    expect(await check(page)).toBe('Check your email');
    const reset =
      /http:\/\/\S+\/password\/reset\?token=\S+/.exec((await latest('reset-password')).text)?.[0] ?? '';
    await page.goto(reset);
    expect(await check(page)).toBe('Reset your password');
    await page.getByRole('button', { name: 'Send the security code' }).click();
    expect(await check(page)).toBe('Enter the security code');
    const resetCode = /\d{6}/.exec((await latest('security-code')).text)?.[0] ?? '';
    await page.getByLabel('Security code', { exact: true }).fill(resetCode);
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Create a new password');
    await page.getByLabel('New password').fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await check(page)).toBe('Your password has been reset');

    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Email address').fill('pat@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a brand new passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter the security code');

    await context.close();
  }, 120_000);

  it('shows the problem pages accessibly', async () => {
    // Prepare
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act
    await page.goto(`${stack.issuer}/register/confirm?token=not-a-token`);
    const heading = await check(page);
    const expiredPage = await page.content();
    const missing = await page.goto(`${stack.issuer}/no-such-page`);
    const missingHeading = await check(page);
    await page.goto(`${stack.issuer}/Login/`);
    const canonical = new URL(page.url()).pathname;

    // Assess
    expect(heading).toBe('This link has expired');
    expect(expiredPage).toContain('CID1002');
    expect(missing?.status()).toBe(404);
    expect(missingHeading).toBe('Page not found');
    expect(await page.goto(`${stack.issuer}/no-such-page`).then(() => page.content())).toContain('CID0404');
    expect(canonical).toBe('/login');
    await context.close();
  });

  it('goes from a problem page to the help page and on to support, with the reference shown', async () => {
    // Prepare
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.issuer}/register/confirm?token=not-a-token`);

    // Act
    await page.getByRole('link', { name: 'Get help with your NHS login' }).click();
    const heading = await check(page);
    const support = page.getByRole('button', { name: 'Contact NHS login support' });

    // Assess
    expect(heading).toBe('Get help with your NHS login');
    expect(new URL(page.url()).search).toBe('?cid=CID1002');
    expect(await page.locator('main').innerText()).toContain(
      'cannot reset your password, change your mobile phone number or unlock your account',
    );
    expect(await page.locator('main').innerText()).toContain('this reference: CID1002');
    expect(await support.getAttribute('href')).toBe(`${SUPPORT_URL}?cid=CID1002`);
    await context.close();
  });

  it('tells a patient who logs in before confirming the email to confirm it, and sends it again', async () => {
    // Prepare: registered, the email not opened
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.issuer}/register`);
    await page.getByLabel('Email address').fill('robin@example.com');
    await page.getByLabel('Create a password').fill('a patient passphrase');
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    const first = await latest('confirm-email', /robin@/);

    // Act
    await page.goto(`${stack.issuer}/login`);
    await page.getByLabel('Email address').fill('robin@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a patient passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    const heading = await check(page);
    await page.getByRole('button', { name: 'Send the email again' }).click();
    const afterResend = await check(page);
    const second = await latest('confirm-email', /robin@/);

    // Assess
    expect(heading).toBe('Confirm your email address before you log in');
    expect(afterResend).toBe('Confirm your email address before you log in');
    expect(await page.locator('.nhsuk-inset-text').first().innerText()).toContain(
      'We have sent the email again',
    );
    expect(second.text).not.toBe(first.text);
    await context.close();
  });

  /** A new patient logged in through the pages, in a browser context of its own. */
  const loggedInPatient = async (
    email: string,
    phoneNumber: string,
    options: { remember?: boolean } = {},
  ) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${stack.issuer}/register`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password').fill('another fine passphrase');
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec((await latest('confirm-email')).text)?.[0] ?? '',
    );
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.goto(`${stack.issuer}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('another fine passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('UK mobile phone number').fill(phoneNumber);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec((await latest('security-code')).text)?.[0] ?? '');
    if (options.remember) await page.getByLabel(/Remember this device/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    return { context, page };
  };

  it('confirms it is the patient before a new mobile number, and tells the old number', async () => {
    // Prepare
    const { context, page } = await loggedInPatient('alex@example.com', '07700 900321');

    // Act and Assess
    await page.goto(`${stack.issuer}/settings`);
    await page.getByRole('link', { name: /Change.*mobile phone number/ }).click();
    expect(await check(page)).toBe('Enter your password');
    await page.getByLabel('Your password').fill('another fine passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter the security code');
    expect(await page.content()).toContain('ending 321');
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec((await latest('security-code')).text)?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Change your mobile phone number');
    await page.getByLabel('New UK mobile phone number').fill('07700 900654');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter the security code');
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec((await latest('security-code')).text)?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Login and security settings');
    expect(await page.content()).toContain('ending 654');
    const told = await latest('phone-changed', /^\+44/);
    expect(told.to).toBe('+447700900321');
    await context.close();
  });

  it('offers the code by email when the phone’s codes for the day are used up', async () => {
    // Prepare: a patient with a phone, logging in again: that code is the phone's first of the day
    const { context, page } = await loggedInPatient('kim@example.com', '07700 900789');
    await page.goto(`${stack.issuer}/settings`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${stack.issuer}/login`);
    await page.getByLabel('Email address').fill('kim@example.com');
    await page.getByLabel('Password', { exact: true }).fill('another fine passphrase');
    await page.getByRole('button', { name: 'Continue' }).click();

    // Act: three more texts use up the day's 4; the next is refused
    for (let resend = 0; resend < 4; resend += 1)
      await page.getByRole('button', { name: 'Send the code again' }).click();
    const heading = await check(page);
    const warning = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Send the code by email instead' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec((await latest('security-code', /kim@/)).text)?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();

    // Assess
    expect(heading).toBe('Enter the security code');
    expect(warning).toContain('We could not send a text message');
    expect(warning).toContain('or get the code by email instead');
    expect(await check(page)).toBe('You are logged in');
    await context.close();
  });

  /** Fills the GP online-services form as a patient types the details from their surgery's letter. */
  const fillGpDetails = async (
    page: Page,
    details: { linkageKey: string; odsCode: string; accountId: string; surname: string; birth: string[] },
  ) => {
    await page.getByLabel('Linkage Key').fill(details.linkageKey);
    await page.getByLabel('ODS Code').fill(details.odsCode);
    await page.getByLabel('Account ID').fill(details.accountId);
    await page.getByLabel('Last name').fill(details.surname);
    const [day = '', month = '', year = ''] = details.birth;
    await page.getByLabel('Day').fill(day);
    await page.getByLabel('Month').fill(month);
    await page.getByLabel('Year').fill(year);
    await page.getByRole('button', { name: 'Continue' }).click();
  };
  const ALI = {
    linkageKey: 'KHN5M2N8B4V1C',
    odsCode: 'M85002',
    accountId: '100000149',
    surname: 'Khan',
    birth: ['15', '6', '1983'],
  };

  it('proves who they are with GP online-services details, and a second account for the same patient replaces the first', async () => {
    // Prepare: the first account, logged in
    const { context: first, page } = await loggedInPatient('ali@example.com', '07700 900611');

    // Act and Assess: the form's errors, details the surgery does not know, the practice system down, then P9
    await page.goto(`${stack.issuer}/prove-who-you-are`);
    expect(await check(page)).toBe('Prove who you are');
    await page.getByRole('button', { name: 'Use your GP surgery’s online services details' }).click();
    expect(await check(page)).toBe('Enter your GP surgery’s online services details');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Enter your GP surgery’s online services details');
    expect(await page.locator('.nhsuk-error-summary').count()).toBe(1);
    await fillGpDetails(page, { ...ALI, linkageKey: 'WRONG1234ABCD' });
    expect(await check(page)).toBe('Enter your GP surgery’s online services details');
    expect(await page.locator('main').innerText()).toContain('did not recognise these details');
    await page.goto(`${stack.issuer}/prove-who-you-are/gp-online-services`);
    await fillGpDetails(page, {
      linkageKey: 'PTL6D1F4G7H0J',
      odsCode: 'B86001',
      accountId: '100000122',
      surname: 'Patel',
      birth: ['19', '9', '1992'],
    });
    expect(await check(page)).toBe('Unable to connect to your GP surgery’s system');
    expect(await page.locator('main').innerText()).toContain('CID7023');
    await page.goto(`${stack.issuer}/prove-who-you-are/gp-online-services`);
    await fillGpDetails(page, ALI);
    expect(await check(page)).toBe('You have proved who you are');
    await first.close();

    // The same patient, with a new account: told they have one (CID1006), then choosing to replace it
    const { context: second, page: again } = await loggedInPatient('ali.new@example.com', '07700 900612');
    await again.goto(`${stack.issuer}/prove-who-you-are/gp-online-services`);
    await fillGpDetails(again, ALI);
    expect(await check(again)).toBe('You already have an NHS login');
    expect(await again.locator('main').innerText()).toContain('CID1006');
    await again.getByRole('button', { name: 'Continue' }).click();
    expect(await check(again)).toBe('You already have an NHS login');
    expect(await again.locator('.nhsuk-error-summary').count()).toBe(1);
    await again.getByLabel('No, I cannot log in to it').check();
    await again.getByRole('button', { name: 'Continue' }).click();
    expect(await check(again)).toBe('We will delete your other NHS login');
    await again.getByRole('button', { name: 'Delete my other NHS login and use this one' }).click();
    expect(await check(again)).toBe('You have proved who you are');
    expect((await latest('account-replaced', /ali@example\.com/)).text).toContain('we have deleted it');
    expect((await latest('identity-moved', /ali\.new@example\.com/)).text).toContain(
      'Your NHS number is now connected',
    );
    await second.close();

    // The deleted account's password logs in to nothing
    const third = await browser.newContext();
    const login = await third.newPage();
    await login.goto(`${stack.issuer}/login`);
    await login.getByLabel('Email address').fill('ali@example.com');
    await login.getByLabel('Password', { exact: true }).fill('another fine passphrase');
    await login.getByRole('button', { name: 'Continue' }).click();
    expect(await check(login)).toBe('Log in');
    expect(await login.locator('.nhsuk-error-summary').count()).toBe(1);
    await third.close();
  }, 120_000);

  it('tells a patient whose P5 details belong to an NHS login already that only P9 can replace it', async () => {
    // Prepare: Ali's number has an account from the test before; this one proves P5 with it
    const { context, page } = await loggedInPatient('ali.third@example.com', '07700 900613');

    // Act
    await page.goto(`${stack.issuer}/prove-who-you-are/check-your-details`);
    expect(await check(page)).toBe('Check your details');
    await page.getByLabel('Day').fill('15');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill('1983');
    await page.getByLabel('Yes').check();
    await page.getByLabel('NHS number').fill('900 000 0149');
    await page.getByRole('button', { name: 'Continue' }).click();
    const told = await check(page);
    await page.getByLabel('No, I cannot log in to it').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Assess
    expect(told).toBe('You already have an NHS login');
    expect(await check(page)).toBe('Prove who you are to use this NHS login instead');
    await page.goto(`${stack.issuer}/prove-who-you-are`);
    expect(await check(page)).toBe('Prove who you are');
    expect(await page.locator('main').innerText()).toContain('CID1006');
    await context.close();
  }, 120_000);

  /** Visits every GET page of the route table in one browser context, with axe. */
  const sweep = async (context: Awaited<ReturnType<Browser['newContext']>>) => {
    const pagePaths = routes
      .filter(
        (route) =>
          (pageFunctionNames as readonly string[]).includes(route.function) && route.method === 'GET',
      )
      .map((route) => route.path);
    const before = pagesChecked.length;
    const tab = await context.newPage();
    for (const path of pagePaths) {
      await tab.goto(`${stack.issuer}${path}`);
      await check(tab);
    }
    await tab.close();
    return { visited: pagesChecked.length - before, expected: pagePaths.length };
  };

  // Long walks through every page with axe: their time limits are generous for busy machines.
  it('sweeps every page of the route table logged out', async () => {
    // Prepare
    const loggedOut = await browser.newContext();

    // Act
    const { visited, expected } = await sweep(loggedOut);
    const forms = await loggedOut.newPage();
    await forms.goto(`${stack.issuer}/password/forgotten`);
    await forms.getByRole('button', { name: 'Send link' }).click();
    await check(forms);

    // Assess: every page was reached and checked (the last test asserts no problems were found)
    expect(visited).toBe(expected);
    expect(await forms.locator('.nhsuk-error-summary').count()).toBe(1);
    await loggedOut.close();
  }, 180_000);

  it('sweeps every page of the route table logged in, and the settings forms with their errors', async () => {
    // Prepare: a second patient, logged in through the pages
    const { context: loggedIn } = await loggedInPatient('sam@example.com', '07700 900456', {
      remember: true,
    });

    // Act
    const { visited, expected } = await sweep(loggedIn);
    const forms = await loggedIn.newPage();
    const formPaths = ['/settings/email', '/settings/password', '/settings/phone', '/settings/delete'];
    for (const path of formPaths) {
      await forms.goto(`${stack.issuer}${path}`);
      await forms.locator('main form button[type="submit"]').first().click();
      await check(forms);
      expect(
        await forms.locator('.nhsuk-error-summary').count(),
        `${path}: ${await forms.locator('h1').first().innerText()} ${forms.url()}`,
      ).toBe(1);
    }

    // The remembered device, marked as this one, and the question before it is removed
    await forms.goto(`${stack.issuer}/settings`);
    await check(forms);
    const thisDevice = await forms.locator('main .nhsuk-tag', { hasText: 'This device' }).count();
    await forms.getByRole('button', { name: /^Remove .*this device/ }).click();
    await check(forms);
    const question = await forms.locator('h1').innerText();

    // Assess
    expect(visited).toBe(expected);
    expect(thisDevice).toBe(1);
    expect(question).toBe('Remove this remembered device?');
    await loggedIn.close();
  }, 180_000);

  it('finds no serious or critical accessibility problem on any page visited', () => {
    expect(pagesChecked.length).toBeGreaterThan(8);
    expect(problems).toEqual([]);
  });
});

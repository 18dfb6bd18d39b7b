import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAccessibilityProblems, withinTime } from '../support/browser.ts';
import { demoClientConfiguration } from '../support/demo-client-configuration.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

interface OutboxMessage {
  readonly kind: string;
  readonly to: string;
  readonly text: string;
}

const PASSWORD = 'correct horse battery';

/**
 * Passkeys in Chromium (seed 004), and the authenticator app set up and used with codes computed here.
 * Passkeys with the DevTools Protocol's virtual authenticators: one
 * internal (this device's own, as Windows Hello, Touch ID or Android would be) and one roaming
 * USB security key, which stands in for the other-device (QR code) and Windows Hello routes that
 * cannot run here: the registration options leave the attachment open so the browser offers all.
 */
describe('passkeys and the authenticator app in a browser', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;
  let browser: Browser;
  let config: oidc.Configuration;
  const problems: string[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'passkeys-'));
    [stack, browser] = await Promise.all([startLocalStackProcess(dataDirectory), launchChromium()]);
    config = await demoClientConfiguration(stack.issuer, dataDirectory);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  /** The newest message of a kind to an address, or to a phone number (its last digits). */
  const latest = async (kind: string, to: string): Promise<string> => {
    const { messages } = (await (await fetch(`${stack.issuer}/_dev/outbox.json`)).json()) as {
      messages: OutboxMessage[];
    };
    const digits = to.replaceAll(/\D/g, '').slice(-9);
    return (
      messages.find(
        (message) =>
          message.kind === kind && (message.to === to || (!to.includes('@') && message.to.endsWith(digits))),
      )?.text ?? ''
    );
  };
  /** Each test's patient has a phone of its own, so the code is theirs. */
  const phones: Record<string, string> = {};
  const codeFor = async (email: string) =>
    /\b\d{6}\b/.exec(await latest('security-code', phones[email] ?? ''))?.[0] ?? '';

  /** Checks the page with axe and remembers any serious problem, then returns its heading. */
  const check = async (page: Page): Promise<string> => {
    await page.locator('h1').first().waitFor();
    if (process.env.DEBUG_E2E) console.error(new Date().toISOString(), 'check', page.url());
    problems.push(...(await seriousAccessibilityProblems(page)).map((problem) => `${page.url()} ${problem}`));
    return (await page.locator('h1').first().innerText()).trim();
  };

  /** A virtual authenticator in this page's browser: `internal` (a platform one) or a `usb` security key. */
  const addAuthenticator = async (cdp: CDPSession, transport: 'internal' | 'usb') => {
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport,
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    return authenticatorId;
  };

  /** A new patient, through the pages: account, confirmed email, first login with a phone and its code. */
  const newPatient = async (page: Page, email: string, phone: string) => {
    phones[email] = phone;
    await page.goto(`${stack.issuer}/register`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password').fill(PASSWORD);
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('h1').waitFor();
    await page.goto(
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec(await latest('confirm-email', email))?.[0] ?? '',
    );
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.goto(`${stack.issuer}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('UK mobile phone number').fill(phone);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Security code', { exact: true }).fill(await codeFor(email));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/login\/done$/);
  };

  /** Settings, Passkeys, Set up a passkey (through "Confirm it is you"), Continue: the browser's prompt. */
  const setUpPasskey = async (page: Page, email: string, options: { confirm: boolean }) => {
    await page.goto(`${stack.issuer}/settings`);
    await page.getByRole('link', { name: /Manage\s+passkeys/ }).click();
    expect(await check(page)).toBe('Passkeys');
    await page.getByRole('button', { name: 'Set up a passkey' }).click();
    if (options.confirm) {
      expect(await check(page)).toBe('Enter your password');
      await page.getByLabel('Your password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('Security code', { exact: true }).fill(await codeFor(email));
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    expect(await check(page)).toBe('Set up a passkey');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/settings\/passkeys\?updated=added$/);
    expect(await check(page)).toBe('Passkeys');
  };

  /** Logs out from the settings page, in the same tab (no tab opened or closed: steps with no time limit). */
  const logOut = async (page: Page) => {
    await page.goto(`${stack.issuer}/settings`);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'You have logged out' }).waitFor();
  };

  /**
   * A browser without passkey autofill (conditional mediation), as some still are: the login page's
   * button is its way in. (A virtual authenticator answers an autofill request the moment it is
   * made, which a patient's device does only once they pick the passkey.)
   */
  const withoutAutofill = async () => {
    const context = await browser.newContext();
    if (process.env.DEBUG_E2E)
      context.on('console', (message) => console.error(new Date().toISOString(), 'browser:', message.text()));
    await context.addInitScript(() => {
      const { PublicKeyCredential } = globalThis as unknown as {
        PublicKeyCredential: { isConditionalMediationAvailable: () => Promise<boolean> };
      };
      PublicKeyCredential.isConditionalMediationAvailable = async () => false;
    });
    return context;
  };

  it(
    'sets up a passkey on this device, then logs in with its button at a relying party asking for Cm, which gets vot Cm',
    () =>
      withinTime(110_000, async () => {
        // Prepare
        const context = await withoutAutofill();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        const authenticatorId = await addAuthenticator(cdp, 'internal');
        await newPatient(page, 'passkey-1@example.com', '07700 900401');

        // Act: set up
        await setUpPasskey(page, 'passkey-1@example.com', { confirm: true });
        const listed = await page.locator('main').innerText();
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        await logOut(page);

        // Act: a relying party's request for a passkey login
        const verifier = oidc.randomPKCECodeVerifier();
        const nonce = oidc.randomNonce();
        const state = oidc.randomState();
        const redirectUri = `http://localhost:${stack.demoRelyingPartyPort}/callback`;
        const authorizationUrl = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUri,
          scope: 'openid email',
          state,
          nonce,
          vtr: '["P0.Cm"]',
          code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
          code_challenge_method: 'S256',
        });
        await page.goto(authorizationUrl.href);
        expect(await check(page)).toBe('Log in');
        await page.getByRole('button', { name: 'Log in with a passkey' }).click();
        await page.getByRole('button', { name: 'Agree and continue' }).click();
        await page.waitForURL((url) => url.href.startsWith(redirectUri), { timeout: 20_000 });
        const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
          pkceCodeVerifier: verifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });

        // Assess
        expect(listed).toContain('Your passkey has been set up');
        expect(listed).toContain('Not used yet');
        expect(credentials).toHaveLength(1);
        expect(credentials[0]?.isResidentCredential).toBe(true);
        expect(await latest('passkey-added', 'passkey-1@example.com')).toContain('passkey');
        expect(tokens.claims()?.vot).toBe('P0.Cm');
        expect(problems).toEqual([]);
        await context.close();
      }),
    120_000,
  );

  it(
    'logs in from the email field’s passkey autofill, and by the email-first page',
    () =>
      withinTime(110_000, async () => {
        // Prepare
        const context = await browser.newContext();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        await addAuthenticator(cdp, 'internal');
        await newPatient(page, 'passkey-2@example.com', '07700 900402');
        await setUpPasskey(page, 'passkey-2@example.com', { confirm: true });
        await logOut(page);

        // Act: the login page's email field, where the browser offers its passkeys as it is filled in
        // (the virtual authenticator picks the passkey at once, as a patient would from the list)
        const autocomplete =
          /<input[^>]*id="email"[^>]*>/.exec(await (await fetch(`${stack.issuer}/login`)).text())?.[0] ?? '';
        await page.goto(`${stack.issuer}/login`);
        const autofilled = await page
          .waitForURL(/\/login\/done$/, { timeout: 10_000 })
          .then(() => true)
          .catch(() => false);
        await logOut(page);

        // Act: the email-first route ("Enter your email address and select Continue")
        await page.goto(`${stack.issuer}/login/passkey`);
        const emailFirstHeading = await check(page);
        await page.getByLabel('Email address').fill('passkey-2@example.com');
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/\/login\/done$/);
        const emailFirstDone = await check(page);

        // Assess
        expect(emailFirstHeading).toBe('Log in with a passkey');
        expect(emailFirstDone).toBe('You are logged in');
        expect(autocomplete).toContain('autocomplete="username webauthn"');
        expect(autofilled).toBe(true);
        expect(problems).toEqual([]);
        await context.close();
      }),
    120_000,
  );

  it(
    'sets up a security key, removes a passkey after confirming, and logs in with the password afterwards',
    () =>
      withinTime(110_000, async () => {
        // Prepare
        const context = await withoutAutofill();
        const page = await context.newPage();
        const cdp = await context.newCDPSession(page);
        const securityKey = await addAuthenticator(cdp, 'usb');
        await newPatient(page, 'passkey-3@example.com', '07700 900403');

        // Act: a roaming security key (the other-device route's stand-in)
        await setUpPasskey(page, 'passkey-3@example.com', { confirm: true });
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: securityKey });
        await page.getByRole('link', { name: /^Change name/ }).click();
        const renameHeading = await check(page);
        await page.getByLabel('Name').fill('My security key');
        await page.getByRole('button', { name: 'Save name' }).click();
        await page.waitForURL(/\/settings\/passkeys\?updated=renamed$/);
        const renamed = await page.locator('main').innerText();
        await page.getByRole('button', { name: /^Remove / }).click();
        const confirmHeading = await check(page);
        await page.getByRole('button', { name: 'Remove passkey' }).click();
        await page.waitForURL(/\/settings\/passkeys\?updated=removed$/);
        const afterRemoval = await page.locator('main').innerText();
        await logOut(page);
        // The key still holds the credential, as a device does until it is removed there too.
        await page.goto(`${stack.issuer}/login`);
        await page.getByRole('button', { name: 'Log in with a passkey' }).click();
        await page.locator('.nhsuk-error-summary').waitFor();
        const refused = await page.locator('.nhsuk-error-summary').innerText();
        await page.goto(`${stack.issuer}/login`);
        await page.getByLabel('Email address').fill('passkey-3@example.com');
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByLabel('Security code', { exact: true }).fill(await codeFor('passkey-3@example.com'));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/\/login\/done$/);

        // Assess
        expect(credentials).toHaveLength(1);
        expect(renameHeading).toBe('Change the name of your passkey');
        expect(renamed).toContain('My security key');
        expect(confirmHeading).toBe('Remove this passkey?');
        expect(afterRemoval).toContain('Your passkey has been removed from your account');
        expect(afterRemoval).toContain('You have no passkeys');
        expect(refused).toContain('We could not log you in with that passkey');
        expect(await latest('passkey-removed', 'passkey-3@example.com')).toContain('passkey');
        expect(problems).toEqual([]);
        await context.close();
      }),
    120_000,
  );
  it(
    'sets up an authenticator app with its key, keeps the recovery codes, and logs in with the app’s code',
    () =>
      withinTime(110_000, async () => {
        // Prepare
        const context = await browser.newContext();
        const page = await context.newPage();
        await newPatient(page, 'app-1@example.com', '07700 900404');
        const code = (secret: string, stepsLater = 0) =>
          generate({ secret, epoch: Math.floor(Date.now() / 1000) + stepsLater * 30 });

        // Act: Login and security settings, Authenticator app, Set up (through "Confirm it is you")
        await page.goto(`${stack.issuer}/settings`);
        await page.getByRole('link', { name: /Manage\s+authenticator app/ }).click();
        expect(await check(page)).toBe('Authenticator app');
        await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
        await page.getByLabel('Your password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.getByLabel('Security code', { exact: true }).fill(await codeFor('app-1@example.com'));
        await page.getByRole('button', { name: 'Continue' }).click();
        expect(await check(page)).toBe('Set up an authenticator app');
        const qrCodes = await page.getByRole('img', { name: /QR code for your authenticator app/ }).count();
        const key = (await page.locator('#setup-key').innerText()).replaceAll(' ', '');
        await page.getByLabel('Code from the app').fill(await code(key));
        await page.getByRole('button', { name: 'Continue' }).click();
        expect(await check(page)).toBe('Save your recovery codes');
        const recoveryCodes = await page.locator('#recovery-codes li').count();
        await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
        const settled = await page.locator('main').innerText();
        // Removing asks first (not carried on here)
        await page.getByRole('button', { name: 'Remove authenticator app' }).click();
        const removalHeading = await check(page);
        await logOut(page);

        // Act: the next login asks for the app's code
        await page.goto(`${stack.issuer}/login`);
        await page.getByLabel('Email address').fill('app-1@example.com');
        await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
        await page.getByRole('button', { name: 'Continue' }).click();
        expect(await check(page)).toBe('Enter the security code');
        const asked = await page.locator('main').innerText();
        await page.getByLabel('Security code', { exact: true }).fill(await code(key, 1));
        await page.getByRole('button', { name: 'Continue' }).click();
        await page.waitForURL(/\/login\/done$/);

        // Assess
        expect(qrCodes).toBe(1);
        expect(recoveryCodes).toBe(10);
        expect(settled).toContain('Your authenticator app has been set up');
        expect(removalHeading).toBe('Remove your authenticator app?');
        expect(asked).toContain('Enter the 6-digit code your authenticator app shows');
        expect(problems).toEqual([]);
        await context.close();
      }),
    120_000,
  );
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8 } from 'jose';
import * as oidc from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/browser.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

interface OutboxMessage {
  readonly kind: string;
  readonly text: string;
}

/** openid-client, the relying party we did not write, against the local stack through the hosted pages. */
describe('a relying party using openid-client', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;
  let browser: Browser;
  let config: oidc.Configuration;
  let redirectUri: string;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'relying-party-'));
    [stack, browser] = await Promise.all([startLocalStackProcess(dataDirectory), launchChromium()]);
    redirectUri = `http://localhost:${stack.demoRelyingPartyPort}/callback`;
    const privateKey = await importPKCS8(
      await readFile(join(dataDirectory, 'demo-client', 'private-key.pem'), 'utf8'),
      'RS512',
    );
    config = await oidc.discovery(
      new URL(stack.issuer),
      'demo-service',
      { id_token_signed_response_alg: 'RS512' },
      oidc.PrivateKeyJwt(privateKey),
      { execute: [oidc.allowInsecureRequests] },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const latest = async (kind: string): Promise<string> => {
    const { messages } = (await (await fetch(`${stack.issuer}/_dev/outbox.json`)).json()) as {
      messages: OutboxMessage[];
    };
    return messages.find((message) => message.kind === kind)?.text ?? '';
  };

  it('logs a new patient in, gets tokens with private_key_jwt, reads userinfo, rotates the refresh token and logs out', async () => {
    // Prepare: the authorization URL, as a relying party builds it
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email phone',
      state,
      nonce,
      vtr: '["P0.Cp.Cd"]',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    // The demo service answers at the redirect URI, but without its own login cookie it leaves the
    // code alone: this test takes the code from the address, as its own relying party.
    // Act: the patient's journey in the browser
    await page.goto(authorizationUrl.href);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email address').fill('rp-user@example.com');
    await page.getByLabel('Create a password').fill('correct horse battery');
    await page.getByLabel(/I agree to the terms of use/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec(await latest('confirm-email'))?.[0] ?? '',
    );
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email address').fill('rp-user@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('UK mobile phone number').fill('07700 900321');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec(await latest('security-code'))?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri), { timeout: 20_000 });
    const callback = new URL(page.url());

    // Act: the relying party's back channel
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    const reuse = await oidc
      .refreshTokenGrant(config, tokens.refresh_token ?? '')
      .catch((error: unknown) => error);

    // Assess
    expect(claims).toMatchObject({ iss: stack.issuer, aud: 'demo-service', nonce, vot: 'P0.Cp.Cd' });
    expect(userinfo).toMatchObject({
      sub: claims?.sub,
      email: 'rp-user@example.com',
      email_verified: true,
      phone_number: '+447700900321',
    });
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((reuse as { error?: string }).error).toBe('invalid_grant');

    // Act: logging out through the end-session endpoint, back to the demo service's home page
    const home = `http://localhost:${stack.demoRelyingPartyPort}/`;
    const logoutUrl = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token ?? '',
      post_logout_redirect_uri: home,
      state: 'bye',
    });
    await page.goto(logoutUrl.href);
    await page.waitForURL((url) => url.href.startsWith(home), { timeout: 20_000 });
    const backHome = new URL(page.url());
    await page.goto(`${stack.issuer}/settings`);

    // Assess
    expect(backHome?.searchParams.get('state')).toBe('bye');
    expect(await page.locator('h1').first().innerText()).toBe('Log in');
    await context.close();
  });

  it('runs the demo service: Continue with NHS login, then the validated claims', async () => {
    // Prepare: a patient already set up by the first test, so log in only
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act
    await page.goto(`http://localhost:${stack.demoRelyingPartyPort}/`);
    await page.getByRole('button', { name: 'Continue with NHS login' }).click();
    await page.getByLabel('Email address').fill('rp-user@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec(await latest('security-code'))?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Agree and continue' }).click();

    // Assess
    await expect
      .poll(() => page.locator('h1').first().innerText(), { timeout: 20_000 })
      .toBe('You are logged in to the demo service');
    expect(await page.locator('pre').first().innerText()).toContain('"vot": "P0.Cp.Cd"');
    expect(await page.locator('pre').nth(1).innerText()).toContain('rp-user@example.com');
    await context.close();
  });
});

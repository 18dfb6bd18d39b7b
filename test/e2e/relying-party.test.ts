import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { importPKCS8, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAccessibilityProblems } from '../support/browser.ts';
import { demoClientConfiguration } from '../support/demo-client-configuration.ts';
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
  let callbacks: Server | undefined;

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'relying-party-'));
    [stack, browser] = await Promise.all([
      // PDS's confirmation of an NHS number stands a second, so a test can see the next login check it.
      startLocalStackProcess(dataDirectory, {
        env: { LIMITS: JSON.stringify({ nhsNumberCheckCacheSeconds: 1 }) },
      }),
      launchChromium(),
    ]);
    redirectUri = `http://localhost:${stack.demoRelyingPartyPort}/callback`;
    config = await demoClientConfiguration(stack.issuer, dataDirectory);
  });

  afterAll(async () => {
    await browser?.close();
    callbacks?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  /** The patient the first test created logs in on the page shown (password, texted code) and agrees to share. */
  const logInAndAgree = async (page: Page) => {
    await page.getByLabel('Email address').fill('rp-user@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec(await latest('security-code'))?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Agree and continue' }).click();
  };

  /**
   * A new patient from a relying party's authorization request, through our pages: creates an
   * account, confirms the email, logs in and adds the phone with its texted code.
   */
  const newPatientThroughPages = async (page: Page, authorizationUrl: URL, email: string, phone: string) => {
    await page.goto(authorizationUrl.href);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password').fill('correct horse battery');
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec(await latest('confirm-email'))?.[0] ?? '',
    );
    await page.getByRole('button', { name: 'Confirm email address' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('UK mobile phone number').fill(phone);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec(await latest('security-code'))?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
  };

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
    await newPatientThroughPages(page, authorizationUrl, 'rp-user@example.com', '07700 900321');
    await page.getByRole('button', { name: 'Agree and continue' }).waitFor();
    const consentProblems = await seriousAccessibilityProblems(page);
    const consentText = await page.locator('main').innerText();
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
    // What the dashboards would count (the local stack keeps the same metrics in memory)
    const { metrics } = (await (await fetch(`${stack.issuer}/_dev/metrics.json`)).json()) as {
      metrics: { name: string; dimensions: Record<string, string>; value: number }[];
    };
    const counted = (name: string, dimensions: Record<string, string> = {}) =>
      metrics
        .filter(
          (metric) =>
            metric.name === name &&
            Object.entries(dimensions).every(([key, value]) => metric.dimensions[key] === value),
        )
        .reduce((sum, metric) => sum + metric.value, 0);

    // Assess
    expect(counted('LoginsStarted')).toBeGreaterThanOrEqual(1);
    expect(counted('LoginsCompleted', { vector: 'P0.Cp.Cd' })).toBeGreaterThanOrEqual(1);
    expect(counted('PatientLogins', { method: 'sms' })).toBeGreaterThanOrEqual(1);
    expect(counted('SecurityCodesSent', { channel: 'sms' })).toBeGreaterThanOrEqual(1);
    expect(
      counted('TokenRequests', { grant: 'authorization_code', outcome: 'issued' }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      counted('TokenRequests', { grant: 'refresh_token', outcome: 'invalid_grant' }),
    ).toBeGreaterThanOrEqual(1);
    expect(counted('Responses', { function: 'oidc-token', status: '2xx' })).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(metrics)).not.toMatch(/rp-user|example\.com|7700900321/);
    expect(consentProblems).toEqual([]);
    expect(consentText).toContain(
      'You are sharing the information of the NHS login account for rp-user@example.com.',
    );
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

  it('shows the demo service’s pages in the design system: the choices, the note before proving who you are, and a refusal it can read', async () => {
    // Prepare
    const demo = `http://localhost:${stack.demoRelyingPartyPort}/`;
    const context = await browser.newContext();
    const page = await context.newPage();
    const accessibility: string[] = [];
    const checked = async () => {
      accessibility.push(...(await seriousAccessibilityProblems(page)));
      return (await page.locator('h1').first().innerText()).trim();
    };

    // Act: the start page, then a P9 request, which says first that proving who you are follows
    await page.goto(demo);
    const start = await checked();
    const radios = await page.getByRole('radio').count();
    const testPatients = await page
      .getByRole('link', { name: 'the local stack’s test patients' })
      .getAttribute('href');
    const title = await page.title();
    await page.getByLabel(/P9:/).check();
    await page.getByRole('button', { name: 'Continue with NHS login' }).click();
    const note = await checked();
    await page.getByRole('link', { name: 'Go back' }).click();

    // Act: a P0 login that declines to share
    await page.getByRole('button', { name: 'Continue with NHS login' }).click();
    await page.getByLabel('Email address').fill('rp-user@example.com');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page
      .getByLabel('Security code', { exact: true })
      .fill(/\d{6}/.exec(await latest('security-code'))?.[0] ?? '');
    await page.getByRole('button', { name: 'Continue' }).click();
    const consent = await checked();
    const cannotShare = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Do not agree' }).click();
    await expect
      .poll(() => page.locator('h1').first().innerText(), { timeout: 20_000 })
      .not.toBe('Share your information');
    const declined = await checked();

    // Assess
    expect(start).toBe('Demo GP service');
    expect(title).toBe('Demo GP service');
    expect(radios).toBe(3);
    expect(testPatients).toBe(`${stack.issuer}/_dev/test-patients`);
    expect(note).toBe('You will need to prove who you are');
    expect(consent).toBe('Share your information');
    expect(cannotShare).toContain('What we cannot share');
    expect(cannotShare).toContain('your NHS number');
    expect(declined).toBe('You did not agree to share your information');
    expect(accessibility).toEqual([]);
    await context.close();
  });

  it('runs the demo service: Continue with NHS login, then the validated claims', async () => {
    // Prepare: a patient already set up by the first test, so log in only
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act
    await page.goto(`http://localhost:${stack.demoRelyingPartyPort}/`);
    await page.getByRole('button', { name: 'Continue with NHS login' }).click();
    await logInAndAgree(page);

    // Assess
    await expect
      .poll(() => page.locator('h1').first().innerText(), { timeout: 20_000 })
      .toBe('You are logged in to the demo service');
    expect(await page.locator('pre').first().innerText()).toContain('"vot": "P0.Cp.Cd"');
    expect(await page.locator('pre').nth(1).innerText()).toContain('rp-user@example.com');

    // Act: logging out of the demo service logs out of us too, and says so on its return
    await page.getByRole('link', { name: 'Log out' }).click();
    await expect
      .poll(() => page.locator('h1').first().innerText(), { timeout: 20_000 })
      .toBe('Demo GP service');

    // Assess
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toContain('You have logged out');
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await context.close();
  });

  it('signs a patient in to a second service without a password, by browser session and by asserted_login_identity', async () => {
    // Prepare: two services registered with the command relying-party teams use; the app may hand
    // its patients to the pharmacy
    const app = await registerWithCommand('sso-app', ['--sso-partner', 'sso-pharmacy']);
    const pharmacy = await registerWithCommand('sso-pharmacy');
    const browsing = await browser.newContext();
    const page = await browsing.newPage();

    // Act: the patient logs in to the app
    const appLogin = await authorizationRequest(app);
    await page.goto(appLogin.url.href);
    await logInAndAgree(page);
    const appTokens = await redeem(app, appLogin, await callbackOf(page, app));

    // Act: then opens the pharmacy in the same browser: no password, only its consent page
    const pharmacyLogin = await authorizationRequest(pharmacy);
    await page.goto(pharmacyLogin.url.href);
    const consentHeading = await page.locator('h1').first().innerText();
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    const pharmacyTokens = await redeem(pharmacy, pharmacyLogin, await callbackOf(page, pharmacy));

    // Act: prompt=none in the same browser answers with a code at once
    const silent = await authorizationRequest(pharmacy, { prompt: 'none' });
    await page.goto(silent.url.href);
    const silentTokens = await redeem(pharmacy, silent, await callbackOf(page, pharmacy));

    // Act: a browser that has never seen us, handed over by the app's backend
    const elsewhere = await browser.newContext();
    const handedPage = await elsewhere.newPage();
    const loginIdentity = await new SignJWT({
      code: appTokens.claims()?.jti,
      jti: crypto.randomUUID(),
    })
      .setProtectedHeader({ alg: 'RS512', typ: 'JWT' })
      .setIssuer('sso-app')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(app.privateKey);
    const handOff = await authorizationRequest(pharmacy, {
      prompt: 'none',
      asserted_login_identity: loginIdentity,
    });
    await handedPage.goto(handOff.url.href);
    const handedTokens = await redeem(pharmacy, handOff, await callbackOf(handedPage, pharmacy));

    // Act: prompt=none in another new browser, without a hand-off, and with the same hand-off again
    const stranger = await browser.newContext();
    const strangerPage = await stranger.newPage();
    await strangerPage.goto((await authorizationRequest(pharmacy, { prompt: 'none' })).url.href);
    const notLoggedIn = await callbackOf(strangerPage, pharmacy);
    const replay = await authorizationRequest(pharmacy, {
      prompt: 'none',
      asserted_login_identity: loginIdentity,
    });
    await strangerPage.goto(replay.url.href);
    const replayed = await callbackOf(strangerPage, pharmacy);

    // Assess
    const patient = appTokens.claims()?.sub;
    expect(patient).toBeTruthy();
    expect(consentHeading).toBe('Share your information');
    expect(pharmacyTokens.claims()).toMatchObject({ sub: patient, aud: 'sso-pharmacy', vot: 'P0.Cp.Cd' });
    expect(silentTokens.claims()).toMatchObject({ sub: patient, aud: 'sso-pharmacy' });
    expect(handedTokens.claims()).toMatchObject({
      sub: patient,
      aud: 'sso-pharmacy',
      vot: 'P0.Cp.Cd',
      auth_time: appTokens.claims()?.auth_time,
    });
    expect(Object.fromEntries(notLoggedIn.searchParams)).toMatchObject({
      error: 'login_required',
      state: expect.any(String),
    });
    expect(Object.fromEntries(replayed.searchParams)).toMatchObject({
      error: 'sso_login_required',
      error_description: 'asserted_login_identity has been used already',
    });
    await Promise.all([browsing.close(), elsewhere.close(), stranger.close()]);
  });

  it('refuses what a relying party gets wrong, each with the error the specifications name', async () => {
    // Prepare: two services, and the patient logged in to the first in this browser
    const service = await registerWithCommand('strict-service');
    const other = await registerWithCommand('other-service');
    const context = await browser.newContext();
    const page = await context.newPage();
    const login = await authorizationRequest(service);
    await page.goto(login.url.href);
    await logInAndAgree(page);
    const tokens = await redeem(service, login, await callbackOf(page, service));
    /** A new authorization in this browser: the session and consent make it answer at once. */
    const authorize = async (extra: Record<string, string> = {}) => {
      const request = await authorizationRequest(service, extra);
      await page.goto(request.url.href);
      return { request, callback: await callbackOf(page, service) };
    };
    const refusedWith = (error: string, description: string) =>
      expect.objectContaining({ error, error_description: description });
    const invalidClient = refusedWith('invalid_client', 'Client authentication failed');

    // Act and assess: a redirect_uri that is not registered is never redirected to
    await page.goto(
      (await authorizationRequest(service, { redirect_uri: 'http://127.0.0.1:1/elsewhere' })).url.href,
    );
    expect(await page.locator('h1').first().innerText()).toBe(
      'We cannot send you back to the website or app',
    );
    expect(page.url().startsWith(stack.issuer)).toBe(true);

    // Act and assess: errors the authorization endpoint returns to the registered redirect_uri
    const missingState = await authorizationRequest(service);
    missingState.url.searchParams.delete('state');
    await page.goto(missingState.url.href);
    expect(Object.fromEntries((await callbackOf(page, service)).searchParams)).toEqual({
      error: 'invalid_request',
      error_description: 'state is required: it comes back unchanged so the service can match the response',
      iss: stack.issuer,
    });
    const missingNonce = await authorizationRequest(service);
    missingNonce.url.searchParams.delete('nonce');
    await page.goto(missingNonce.url.href);
    const noNonce = await callbackOf(page, service);
    await expect(redeem(service, missingNonce, noNonce)).rejects.toEqual(
      refusedWith('invalid_request', 'nonce is required: it is put in the ID token; make it unguessable'),
    );
    const wideScope = await authorize({ scope: 'openid profile' });
    await expect(redeem(service, wideScope.request, wideScope.callback)).rejects.toEqual(
      refusedWith('invalid_scope', "scope asks for what this client is not registered for: 'profile'"),
    );
    const unregisteredVector = await authorize({ vtr: '["P9.Cp.Cd"]' });
    await expect(redeem(service, unregisteredVector.request, unregisteredVector.callback)).rejects.toEqual(
      refusedWith('invalid_request', 'vtr asks for P9.Cp.Cd, which this client is not registered for'),
    );

    // Act and assess: codes
    const first = await authorize();
    await redeem(service, first.request, first.callback);
    await expect(redeem(service, first.request, first.callback)).rejects.toEqual(
      refusedWith('invalid_grant', 'The authorization code has been used already.'),
    );
    const forAnother = await authorize();
    await expect(redeem(other, forAnother.request, forAnother.callback)).rejects.toEqual(
      refusedWith('invalid_grant', 'The authorization code was not issued to this client.'),
    );
    const wrongVerifier = await authorize();
    await expect(
      redeem(
        service,
        { ...wrongVerifier.request, verifier: oidc.randomPKCECodeVerifier() },
        wrongVerifier.callback,
      ),
    ).rejects.toEqual(refusedWith('invalid_grant', 'code_verifier does not match the code_challenge.'));

    // Act and assess: client assertions. Each is refused, and the code survives for a proper request.
    const pending = await authorize();
    const now = () => Math.floor(Date.now() / 1000);
    const expired = authenticatingWith(
      service,
      oidc.PrivateKeyJwt(service.privateKey, {
        [oidc.modifyAssertion]: (_header, payload) => {
          payload.iat = now() - 600;
          payload.exp = now() - 300;
        },
      }),
    );
    const signedByAnotherClient = authenticatingWith(service, oidc.PrivateKeyJwt(other.privateKey));
    const unsigned: oidc.ClientAuth = (_server, client, body) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = {
        iss: client.client_id,
        sub: client.client_id,
        aud: service.config.serverMetadata().token_endpoint,
        iat: now(),
        exp: now() + 60,
        jti: crypto.randomUUID(),
      };
      body.set('client_id', client.client_id);
      body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      body.set('client_assertion', `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`);
    };
    for (const config of [expired, signedByAnotherClient, authenticatingWith(service, unsigned)])
      await expect(redeem(service, pending.request, pending.callback, config)).rejects.toEqual(invalidClient);
    const redeemed = await redeem(service, pending.request, pending.callback);
    expect(redeemed.claims()?.sub).toBe(tokens.claims()?.sub);
    const sameJti = crypto.randomUUID();
    const replaying = authenticatingWith(
      service,
      oidc.PrivateKeyJwt(service.privateKey, {
        [oidc.modifyAssertion]: (_header, payload) => {
          payload.jti = sameJti;
        },
      }),
    );
    const once = await authorize();
    await redeem(service, once.request, once.callback, replaying);
    const twice = await authorize();
    await expect(redeem(service, twice.request, twice.callback, replaying)).rejects.toEqual(invalidClient);

    // Act and assess: an access token whose signature is not ours, at userinfo
    const [header, payload] = tokens.access_token.split('.');
    const forged = `${header}.${payload}.${Buffer.alloc(512).toString('base64url')}`;
    const userinfo = await oidc
      .fetchUserInfo(service.config, forged, tokens.claims()?.sub ?? '')
      .catch((error: unknown) => error);
    expect(userinfo).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect((userinfo as oidc.WWWAuthenticateChallengeError).cause).toEqual([
      expect.objectContaining({
        scheme: 'bearer',
        parameters: expect.objectContaining({ error: 'invalid_token' }),
      }),
    ]);
    await context.close();
  });

  /** A service registered with `npm run client -- add`, and its openid-client configuration. */
  interface RegisteredService {
    readonly clientId: string;
    readonly redirectUri: string;
    readonly privateKey: Awaited<ReturnType<typeof importPKCS8>>;
    readonly config: oidc.Configuration;
  }

  const registerWithCommand = async (
    clientId: string,
    extra: readonly string[] = [],
  ): Promise<RegisteredService> => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicKeyFile = join(dataDirectory, `${clientId}.pem`);
    await writeFile(publicKeyFile, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const redirectUri = `${await callbackServer()}/${clientId}/callback`;
    await promisify(execFile)(
      process.execPath,
      [
        'src/local/client-cli.ts',
        'add',
        '--client-id',
        clientId,
        '--name',
        `Service ${clientId}`,
        '--redirect-uri',
        redirectUri,
        '--public-key',
        publicKeyFile,
        '--scope',
        'openid',
        '--scope',
        'email',
        '--vtr',
        'P0.Cp.Cd',
        ...extra,
      ],
      { env: { ...process.env, DYNAMODB_PORT: String(stack.dynamoDbPort), DATA_DIR: dataDirectory } },
    );
    const privateKey = await importPKCS8(
      pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      'RS512',
    );
    const serviceConfig = await oidc.discovery(
      new URL(stack.issuer),
      clientId,
      { id_token_signed_response_alg: 'RS512' },
      oidc.PrivateKeyJwt(privateKey),
      { execute: [oidc.allowInsecureRequests] },
    );
    return { clientId, redirectUri, privateKey, config: serviceConfig };
  };

  /** Where the services' redirect URIs point: a page that says the browser is back, for any path. */
  const callbackServer = async (): Promise<string> => {
    if (!callbacks) {
      callbacks = createServer((_request, response) => response.end('Back at the service'));
      const listening = callbacks;
      await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    }
    return `http://127.0.0.1:${(callbacks.address() as AddressInfo).port}`;
  };

  /** An authorization request as a relying party builds it, with PKCE, state and nonce. */
  it('lets a new patient reach P5 with a test patient’s details, and the relying party gets the NHS number and P5', async () => {
    // Prepare: a service asking for P5 and the profile
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      vtr: '["P5.Cp.Cd"]',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const accessibility: string[] = [];

    // Act: a new account, then "prove who you are" with Jane Smith's NHS number and date of birth
    await newPatientThroughPages(page, authorizationUrl, 'p5-user@example.com', '07700 900001');
    const proveHeading = await page.locator('h1').first().innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    await page.getByRole('button', { name: 'Check your details' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    const errorSummary = await page.locator('.nhsuk-error-summary').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    await page.getByLabel('Day').fill('22');
    await page.getByLabel('Month').fill('10');
    await page.getByLabel('Year').fill('1980');
    await page.getByLabel('Yes').check();
    await page.getByLabel('NHS number').fill('900 000 0009');
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('button', { name: 'Agree and continue' }).waitFor();
    const consentText = await page.locator('main').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri), { timeout: 20_000 });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');

    // Assess
    expect(proveHeading).toBe('Prove who you are');
    expect(errorSummary).toContain('Enter your date of birth');
    expect(consentText).toContain('your NHS number');
    expect(consentText).not.toContain('What we cannot share');
    expect(claims).toMatchObject({
      vot: 'P5.Cp.Cd',
      nhs_number: '9000000009',
      family_name: 'Smith',
      birthdate: '1980-10-22',
      identity_proofing_level: 'P5',
    });
    expect(userinfo).toMatchObject({
      nhs_number: '9000000009',
      family_name: 'Smith',
      birthdate: '1980-10-22',
    });

    // Act: PDS invalidates the record (through the sandbox control); the patient's next login is refused
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const invalidated = await fetch(`${stack.issuer}/_dev/test-patients/9000000009`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ invalidated: true }),
    });
    const again = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      vtr: '["P5.Cp.Cd"]',
    });
    await page.goto(again.href);
    const refusedHeading = await page.locator('h1').first().innerText();
    const refusedText = await page.locator('main').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));

    // Assess
    expect(invalidated.status).toBe(200);
    expect(refusedHeading).toBe('There may be a problem with your NHS number');
    expect(refusedText).toContain('CID2011');
    expect(page.url().startsWith(redirectUri)).toBe(false);
    expect(accessibility).toEqual([]);
    await context.close();
  }, 120_000);

  /** An authorization request for P9 with the GP credentials, as a GP record service sends it. */
  const p9Request = async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile gp_integration_credentials',
      state,
      nonce,
      vtr: '["P9.Cp.Cd"]',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url, verifier, state, nonce };
  };
  /** The GP online-services route on the prove-who-you-are page, with Ali Khan's registration details. */
  const proveWithGpDetails = async (page: Page) => {
    await page.getByRole('button', { name: 'Use your GP surgery’s online services details' }).click();
    await page.getByLabel('Linkage Key').fill('KHN5M2N8B4V1C');
    await page.getByLabel('ODS Code').fill('M85002');
    await page.getByLabel('Account ID').fill('100000149');
    await page.getByLabel('Last name').fill('Khan');
    await page.getByLabel('Day').fill('15');
    await page.getByLabel('Month').fill('6');
    await page.getByLabel('Year').fill('1983');
    await page.getByRole('button', { name: 'Continue' }).click();
  };
  const tokensAtCallback = async (page: Page, request: Awaited<ReturnType<typeof p9Request>>) => {
    await page.waitForURL((url) => url.href.startsWith(redirectUri), { timeout: 20_000 });
    return oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: request.verifier,
      expectedState: request.state,
      expectedNonce: request.nonce,
      idTokenExpected: true,
    });
  };

  it('lets a new patient reach P9 with GP online-services details; a second account for the patient replaces the first', async () => {
    // Prepare
    const first = await p9Request();
    const context = await browser.newContext();
    const page = await context.newPage();
    const accessibility: string[] = [];

    // Act: a new account proves who they are with a test patient's GP details, and agrees to share
    await newPatientThroughPages(page, first.url, 'p9-user@example.com', '07700 900005');
    await proveWithGpDetails(page);
    await page.getByRole('button', { name: 'Agree and continue' }).waitFor();
    const consentText = await page.locator('main').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    const tokens = await tokensAtCallback(page, first);
    const claims = tokens.claims();
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims?.sub ?? '');
    await context.close();

    // Assess
    expect(consentText).toContain('your GP surgery’s online services');
    expect(consentText).not.toContain('What we cannot share');
    expect(claims).toMatchObject({
      vot: 'P9.Cp.Cd',
      nhs_number: '9000000149',
      identity_proofing_level: 'P9',
    });
    expect(userinfo).toMatchObject({
      nhs_number: '9000000149',
      family_name: 'Khan',
      gp_integration_credentials: {
        gp_user_id: '100000149',
        gp_linkage_key: 'KHN5M2N8B4V1C',
        gp_ods_code: 'M85002',
      },
    });

    // Act: the patient cannot get into that account, sets up another and proves who they are again
    const second = await p9Request();
    const newContext = await browser.newContext();
    const again = await newContext.newPage();
    await newPatientThroughPages(again, second.url, 'p9-user.new@example.com', '07700 900006');
    await proveWithGpDetails(again);
    const told = await again.locator('h1').first().innerText();
    accessibility.push(...(await seriousAccessibilityProblems(again)));
    await again.getByLabel('No, I cannot log in to it').check();
    await again.getByRole('button', { name: 'Continue' }).click();
    accessibility.push(...(await seriousAccessibilityProblems(again)));
    await again.getByRole('button', { name: 'Delete my other NHS login and use this one' }).click();
    await again.getByRole('button', { name: 'Agree and continue' }).click();
    const replacing = await tokensAtCallback(again, second);
    const replacingClaims = replacing.claims();
    const replacingInfo = await oidc.fetchUserInfo(
      config,
      replacing.access_token,
      replacingClaims?.sub ?? '',
    );
    const oldToken = await fetch(`${stack.issuer}/userinfo`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    const oldRefresh = oidc.refreshTokenGrant(config, tokens.refresh_token ?? '');
    await newContext.close();

    // Assess: the new account has the NHS number and the GP link, under its own sub; the old one is gone
    expect(told).toBe('You already have an NHS login');
    expect(replacingClaims).toMatchObject({ vot: 'P9.Cp.Cd', nhs_number: '9000000149' });
    expect(replacingClaims?.sub).not.toBe(claims?.sub);
    expect(replacingInfo).toMatchObject({ gp_integration_credentials: { gp_user_id: '100000149' } });
    expect(oldToken.status).toBe(401);
    await expect(oldRefresh).rejects.toMatchObject({ error: 'invalid_grant' });
    expect(accessibility).toEqual([]);
  }, 120_000);

  const authorizationRequest = async (service: RegisteredService, extra: Record<string, string> = {}) => {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(service.config, {
      redirect_uri: service.redirectUri,
      scope: 'openid email',
      state,
      nonce,
      vtr: '["P0.Cp.Cd"]',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...extra,
    });
    return { url, state, nonce, verifier };
  };

  const callbackOf = async (page: Page, service: RegisteredService): Promise<URL> => {
    await page.waitForURL((url) => url.href.startsWith(service.redirectUri), { timeout: 20_000 });
    return new URL(page.url());
  };

  const redeem = (
    service: RegisteredService,
    request: { state: string; nonce: string; verifier: string },
    callback: URL,
    config: oidc.Configuration = service.config,
  ) =>
    oidc.authorizationCodeGrant(config, callback, {
      expectedState: request.state,
      expectedNonce: request.nonce,
      pkceCodeVerifier: request.verifier,
      idTokenExpected: true,
    });

  /** The service's configuration with another way of authenticating at the token endpoint. */
  const authenticatingWith = (service: RegisteredService, clientAuth: oidc.ClientAuth) => {
    const config = new oidc.Configuration(
      service.config.serverMetadata(),
      service.clientId,
      { id_token_signed_response_alg: 'RS512' },
      clientAuth,
    );
    oidc.allowInsecureRequests(config);
    return config;
  };
});

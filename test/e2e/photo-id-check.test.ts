import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as oidc from 'openid-client';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAccessibilityProblems } from '../support/browser.ts';
import { demoClientConfiguration } from '../support/demo-client-configuration.ts';
import { janeSmithPassport } from '../support/id-fixtures.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

interface OutboxMessage {
  readonly kind: string;
  readonly to: string;
  readonly text: string;
}

interface WaitingCheck {
  readonly accountId: string;
  readonly checkId: string;
  readonly waitingForDecision: boolean;
}

/** A small JPEG's worth of bytes: the workflow checks the first bytes, a reviewer the picture. */
const photoOfId = () => ({
  name: 'passport.jpg',
  mimeType: 'image/jpeg',
  buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 7)]),
});

/**
 * Seed 001 in a browser with a fake camera: a patient sends photo ID and a video of the 4
 * numbers, a reviewer added with `npm run staff` logs into the review console in another browser
 * and approves it (or a decision reaches the workflow through the dev control), the patient is
 * emailed, and the relying party then gets P9 and the NHS number.
 */
describe('proving who you are with photo ID and a video, in a browser', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;
  let browser: Browser;
  let config: oidc.Configuration;
  let redirectUri: string;
  const accessibility: string[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'photo-id-check-'));
    [stack, browser] = await Promise.all([
      startLocalStackProcess(dataDirectory),
      launchChromium(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream']),
    ]);
    redirectUri = `http://localhost:${stack.demoRelyingPartyPort}/callback`;
    config = await demoClientConfiguration(stack.issuer, dataDirectory);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const outbox = async (): Promise<OutboxMessage[]> =>
    ((await (await fetch(`${stack.issuer}/_dev/outbox.json`)).json()) as { messages: OutboxMessage[] })
      .messages;
  const latest = async (kind: string, to?: string) =>
    (await outbox()).find((message) => message.kind === kind && (!to || message.to === to))?.text ?? '';

  const check = async (page: Page): Promise<string> => {
    accessibility.push(
      ...(await seriousAccessibilityProblems(page)).map((problem) => `${page.url()} ${problem}`),
    );
    return (await page.locator('h1').first().innerText()).trim();
  };

  const p9Request = async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid profile',
      state,
      nonce,
      vtr: '["P9.Cp.Cd"]',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    return { url, verifier, state, nonce };
  };

  const newPatient = async (page: Page, url: URL, email: string, phone: string) => {
    await page.goto(url.href);
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Create a password').fill('correct horse battery');
    await page.getByLabel(/I accept the NHS login terms and conditions/).check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.goto(
      /http:\/\/\S+\/register\/confirm\?token=\S+/.exec(await latest('confirm-email', email))?.[0] ?? '',
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

  /** The photo-ID route from the prove-who-you-are page, up to the video page. */
  const sendPhoto = async (
    page: Page,
    photo: { name: string; mimeType: string; buffer: Buffer } = photoOfId(),
  ) => {
    await page.getByRole('button', { name: 'Use photo ID and a video' }).click();
    expect(await check(page)).toBe('Prove who you are with photo ID and a video');
    await page.getByRole('button', { name: 'Continue' }).click();
    // Nothing chosen: the error, then the passport
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain(
      'Select the photo ID you will use',
    );
    await page.getByLabel('Passport').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Take a photo of your ID');
    // The design system's file upload puts its own button over the input, which takes the file.
    await page.locator('input[type="file"][name="file"]').setInputFiles(photo);
    await page.getByRole('button', { name: 'Upload photo' }).click();
    await page.waitForURL(/\/photo-id\/video/);
  };

  const recordVideo = async (page: Page) => {
    expect(await check(page)).toBe('Record a short video of your face');
    await page.getByLabel('Say the numbers').check();
    await page.getByRole('button', { name: 'Turn on the camera' }).click();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.waitForTimeout(1500);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByRole('button', { name: 'Use this video' }).click();
    await page.waitForURL(/\/photo-id\/your-details/);
  };

  const waitingChecks = async (): Promise<WaitingCheck[]> =>
    ((await (await fetch(`${stack.issuer}/_dev/photo-id-checks.json`)).json()) as { checks: WaitingCheck[] })
      .checks;

  /** The checks the workflow waits on a reviewer for, once there is one. */
  const waitForDecidable = async (): Promise<WaitingCheck[]> => {
    for (let tries = 0; tries < 100; tries += 1) {
      const waiting = (await waitingChecks()).filter((entry) => entry.waitingForDecision);
      if (waiting.length > 0) return waiting;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('No check waited for a decision');
  };

  /** A reviewer added as ops add one: the staff command, whose output hands over the password and key. */
  const addReviewer = async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'src/local/staff-cli.ts',
        'add',
        '--role',
        'reviewer',
        '--email',
        'rita@staff.test',
        '--name',
        'Rita Reviewer',
      ],
      { env: { ...process.env, DYNAMODB_PORT: String(stack.dynamoDbPort), DATA_DIR: dataDirectory } },
    );
    return {
      email: 'rita@staff.test',
      password: /Password: +(\S+)/.exec(stdout)?.[1] ?? '',
      key: /Authenticator key: +(\S+)/.exec(stdout)?.[1] ?? '',
      stdout,
    };
  };

  /**
   * A real JPEG, drawn by the browser, so the console shows a picture (the workflow checks its
   * bytes), carrying Jane Smith's sandbox marker: her face, and her passport's text and zone.
   */
  const drawnPhotoOfId = async (page: Page) => ({
    name: 'passport.jpg',
    mimeType: 'image/jpeg',
    buffer: janeSmithPassport(
      Buffer.from(
        await page.evaluate(() => {
          // The page's own DOM (the project compiles without DOM types: the shapes used are named here).
          type Drawing = {
            fillStyle: string;
            font: string;
            fillRect(x: number, y: number, w: number, h: number): void;
            fillText(text: string, x: number, y: number): void;
          };
          type Canvas = {
            width: number;
            height: number;
            getContext(kind: '2d'): Drawing;
            toDataURL(type: string, quality: number): string;
          };
          const { document } = globalThis as unknown as {
            document: { createElement(tag: 'canvas'): Canvas };
          };
          const canvas = document.createElement('canvas');
          canvas.width = 320;
          canvas.height = 200;
          const context = canvas.getContext('2d');
          context.fillStyle = '#005eb8';
          context.fillRect(0, 0, 320, 200);
          context.fillStyle = '#ffffff';
          context.font = '28px sans-serif';
          context.fillText('PASSPORT', 24, 110);
          return canvas.toDataURL('image/jpeg', 0.9).split(',')[1] ?? '';
        }),
        'base64',
      ),
    ),
  });

  const emailOf = async (kind: string, to: string) => {
    for (let tries = 0; tries < 100; tries += 1) {
      const text = await latest(kind, to);
      if (text) return text;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`No ${kind} email to ${to}`);
  };

  it('sends photo ID and a video, a reviewer approves it in the review console, the patient is emailed, and the relying party gets P9', async () => {
    // Prepare
    const first = await p9Request();
    const context = await browser.newContext();
    const page = await context.newPage();
    const email = 'photo-id@example.com';

    // Act: the patient's side, in the seed's order
    await newPatient(page, first.url, email, '07700 900801');
    expect(await check(page)).toBe('Prove who you are');
    await sendPhoto(page, await drawnPhotoOfId(page));
    const numbers = (await page.locator('#numbers').innerText()).replace(/\s/g, '');
    await recordVideo(page);
    expect(await check(page)).toBe('Enter your details');
    await page.getByLabel('Day').fill('22');
    await page.getByLabel('Month').fill('10');
    await page.getByLabel('Year').fill('1980');
    await page.getByLabel('Yes').check();
    await page.getByLabel('NHS number').fill('900 000 0009');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await check(page)).toBe('Check your answers before sending them');
    const answers = await page.locator('main').innerText();
    await page.getByRole('button', { name: 'Send for checking' }).click();
    expect(await check(page)).toBe('We are checking your photo ID and video');
    const statusText = await page.locator('main').innerText();
    // One check at a time: the start page shows the status, not a new start
    await page.goto(`${stack.issuer}/prove-who-you-are/photo-id/photo`);
    const again = await check(page);

    // Act: a reviewer, added with the staff command, logs into the console in another browser
    const reviewer = await addReviewer();
    const staffContext = await browser.newContext();
    const staffPage = await staffContext.newPage();
    await staffPage.goto(stack.reviewConsole);
    const loginTitle = await check(staffPage);
    await staffPage.getByLabel('Work email address').fill(reviewer.email);
    await staffPage.getByLabel('Password', { exact: true }).fill(reviewer.password);
    await staffPage.getByRole('button', { name: 'Continue' }).click();
    const codeTitle = await check(staffPage);
    await staffPage
      .getByLabel('Authenticator code')
      .fill(await generate({ secret: reviewer.key, epoch: Math.floor(Date.now() / 1000) }));
    await staffPage.getByRole('button', { name: 'Log in' }).click();
    const queueTitle = await check(staffPage);
    // The check is in the queue once the workflow has checked its media and waits for a reviewer
    const [waiting] = await waitForDecidable();
    await staffPage.reload();
    await staffPage.getByRole('link', { name: waiting?.checkId ?? 'no check' }).click();
    const checkTitle = await check(staffPage);
    const checkPage = await staffPage.locator('main').innerText();
    const automated = await staffPage.locator('#automated-checks').innerText();
    type Picture = { decode(): Promise<void>; naturalWidth: number };
    await staffPage
      .locator('img[src*="photo.reviewed"]')
      .evaluate((image) => (image as unknown as Picture).decode());
    const photoWidth = await staffPage
      .locator('img[src*="photo.reviewed"]')
      .evaluate((image) => (image as unknown as Picture).naturalWidth);
    const videoReady = await staffPage.locator('video').evaluate(
      (element) =>
        new Promise<number>((resolve) => {
          const video = element as unknown as {
            readyState: number;
            addEventListener(event: string, listener: () => void): void;
            load(): void;
          };
          if (video.readyState >= 1) resolve(video.readyState);
          video.addEventListener('loadedmetadata', () => resolve(video.readyState));
          video.addEventListener('error', () => resolve(-1));
          video.load();
        }),
    );
    await staffPage.getByRole('button', { name: /^Approve/ }).click();
    const sent = await staffPage.locator('.nhsuk-notification-banner').innerText();
    await staffContext.close();

    // Act: the patient comes back to the service
    const approvedEmail = await emailOf('identity-check-approved', email);
    const second = await p9Request();
    await page.goto(second.url.href);
    await page.getByRole('button', { name: 'Agree and continue' }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri), { timeout: 20_000 });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), {
      pkceCodeVerifier: second.verifier,
      expectedState: second.state,
      expectedNonce: second.nonce,
      idTokenExpected: true,
    });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()?.sub ?? '');
    await context.close();

    // Assess
    expect(numbers).toMatch(/^\d{4}$/);
    expect(new Set(numbers).size).toBe(4);
    expect(answers).toContain('Passport');
    expect(answers).toContain('Recorded: Say the numbers');
    expect(answers).toContain('9000000009');
    expect(statusText).toContain('We should check them within 2 hours');
    expect(statusText).toContain(email);
    expect(again).toBe('We are checking your photo ID and video');
    expect(reviewer.stdout).toContain('Rita Reviewer');
    expect([loginTitle, codeTitle, queueTitle]).toEqual([
      'Log in to the review console',
      'Enter the code from your authenticator app',
      'Photo-ID checks waiting for review',
    ]);
    expect(checkTitle).toBe(`Photo-ID check ${waiting?.checkId}`);
    expect(checkPage).toContain(numbers.split('').join(' '));
    expect(checkPage).toContain('Matched an NHS record');
    expect(checkPage).toContain('9000000009');
    expect(photoWidth).toBe(320);
    // The page took a still from the recording (the fake camera's frame has no sandbox face) and the zone was read
    expect(automated).toContain('No face found in the still from the video');
    expect(automated).toContain('Read, every check digit right');
    expect(automated).toContain('Surname: Matches. Date of birth: Matches.');
    expect(videoReady).toBeGreaterThanOrEqual(1);
    expect(sent).toContain(`Your decision on check ${waiting?.checkId} was sent`);
    expect(approvedEmail).toContain('You have proved who you are');
    expect(approvedEmail).not.toContain('9000000009');
    expect(tokens.claims()).toMatchObject({ vot: 'P9.Cp.Cd', identity_proofing_level: 'P9' });
    expect(userinfo).toMatchObject({
      nhs_number: '9000000009',
      family_name: 'Smith',
      birthdate: '1980-10-22',
    });
    expect(accessibility).toEqual([]);
  }, 180_000);

  it('keeps the photo when the video upload fails (CID4011), and says when the browser cannot record (CID4017)', async () => {
    // Prepare
    const request = await p9Request();
    const context = await browser.newContext();
    const page = await context.newPage();
    await newPatient(page, request.url, 'photo-id-problems@example.com', '07700 900802');

    // Act: the photo goes up; the video's upload is cut off on the way
    await sendPhoto(page);
    await page.route('**/_dev/media', (route) => route.abort('connectionreset'));
    await page.getByLabel('Sign the numbers in British Sign Language (BSL)').check();
    await page.getByRole('button', { name: 'Turn on the camera' }).click();
    await page.getByRole('button', { name: 'Start recording' }).click();
    await page.waitForTimeout(1000);
    await page.getByRole('button', { name: 'Stop recording' }).click();
    await page.getByRole('button', { name: 'Use this video' }).click();
    await page.locator('#upload-failed').waitFor({ state: 'visible' });
    const failed = await page.locator('#upload-failed').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(page)));
    // The photo was kept: coming back, the journey resumes at the video
    await page.unroute('**/_dev/media');
    await page.goto(`${stack.issuer}/prove-who-you-are/photo-id/check-your-answers`);
    const resumedAt = new URL(page.url()).pathname;

    // Act: a browser that cannot record (no camera the page may use)
    const noCamera = await browser.newContext();
    const cannot = await noCamera.newPage();
    await cannot.addInitScript(() => {
      Object.defineProperty(navigator, 'mediaDevices', { value: undefined });
    });
    await context.storageState().then((state) => noCamera.addCookies(state.cookies));
    await cannot.goto(`${stack.issuer}/prove-who-you-are/photo-id/video`);
    await cannot.locator('#cannot-record').waitFor({ state: 'visible' });
    const cannotRecord = await cannot.locator('#cannot-record').innerText();
    accessibility.push(...(await seriousAccessibilityProblems(cannot)));
    await noCamera.close();
    await context.close();

    // Assess
    expect(failed).toContain('Your video did not upload');
    expect(failed).toContain('CID4011');
    expect(resumedAt).toBe('/prove-who-you-are/photo-id/video');
    expect(cannotRecord).toContain('Your device or browser cannot record video');
    expect(cannotRecord).toContain('CID4017');
    expect(accessibility).toEqual([]);
  }, 180_000);

  it('works without JavaScript up to the video, which says what to do (CID4017); a key from another check is refused (CID4011)', async () => {
    // Prepare: a patient with JavaScript on to create the account, then the same session without it
    const request = await p9Request();
    const setUp = await browser.newContext();
    const page = await setUp.newPage();
    await newPatient(page, request.url, 'photo-id-no-script@example.com', '07700 900803');
    const { cookies } = await setUp.storageState();
    await setUp.close();
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.addCookies(cookies);
    const plain = await context.newPage();

    // Act: the ID and its photo, by plain forms (the photo's straight to the media store and back)
    await plain.goto(`${stack.issuer}/prove-who-you-are/photo-id`);
    await plain.getByLabel('Passport').check();
    await plain.getByRole('button', { name: 'Continue' }).click();
    await plain.locator('input[type="file"][name="file"]').setInputFiles(photoOfId());
    await plain.getByRole('button', { name: 'Upload photo' }).click();
    await plain.waitForURL(/\/photo-id\/video/);
    // (axe needs script in the page: these pages are checked with it in the other tests)
    const noScript = await plain.locator('main').innerText();

    // Act: the media store's way back, with another check's key in it
    await plain.goto(
      `${stack.issuer}/prove-who-you-are/photo-id/photo/uploaded?key=checks/00000000-0000-4000-8000-000000000000/1/photo`,
    );
    const refusedTitle = (await plain.locator('h1').first().innerText()).trim();
    const refused = await plain.locator('main').innerText();
    await context.close();

    // Assess
    expect(noScript).toContain('Turn on JavaScript to record your video');
    expect(noScript).toContain('CID4017');
    expect(refusedTitle).toBe('Your photo or video did not upload');
    expect(refused).toContain('CID4011');
  }, 180_000);
});

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generate } from 'otplib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, seriousAccessibilityProblems } from '../support/browser.ts';
import { type LocalStackProcess, startLocalStackProcess } from '../support/local-stack-process.ts';

/**
 * The review console on `npm start`, in Chromium: a supervisor added with the staff command logs
 * in (a wrong code first), reads the queue and the decisions record, meets the not-found page and
 * logs out; every page passes axe. The console and the patient pages answer on their own origins only.
 */
describe('the review console in a browser', () => {
  let dataDirectory: string;
  let stack: LocalStackProcess;
  let browser: Browser;
  const accessibility: string[] = [];

  beforeAll(async () => {
    dataDirectory = await mkdtemp(join(tmpdir(), 'review-console-'));
    [stack, browser] = await Promise.all([startLocalStackProcess(dataDirectory), launchChromium()]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    await rm(dataDirectory, { recursive: true, force: true });
  });

  const heading = async (page: Page): Promise<string> => {
    accessibility.push(
      ...(await seriousAccessibilityProblems(page)).map((problem) => `${page.url()} ${problem}`),
    );
    return (await page.locator('h1').first().innerText()).trim();
  };

  it('logs a supervisor in with the password and the authenticator code, and every page it shows passes axe', async () => {
    // Prepare: a supervisor, as ops add one
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        'src/local/staff-cli.ts',
        'add',
        '--role',
        'supervisor',
        '--email',
        'sam@staff.test',
        '--name',
        'Sam Supervisor',
      ],
      { env: { ...process.env, DYNAMODB_PORT: String(stack.dynamoDbPort), DATA_DIR: dataDirectory } },
    );
    const password = /Password: +(\S+)/.exec(stdout)?.[1] ?? '';
    const key = /Authenticator key: +(\S+)/.exec(stdout)?.[1] ?? '';
    const context = await browser.newContext();
    const page = await context.newPage();

    // Act: the login, a wrong password, then a wrong code, then the right one
    await page.goto(stack.reviewConsole);
    const login = await heading(page);
    await page.getByLabel('Work email address').fill('sam@staff.test');
    await page.getByLabel('Password', { exact: true }).fill('not the password');
    await page.getByRole('button', { name: 'Continue' }).click();
    const wrongPassword = await page.locator('.nhsuk-error-summary').innerText();
    await heading(page);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Continue' }).click();
    const code = await heading(page);
    await page.getByLabel('Authenticator code').fill('12345');
    await page.getByRole('button', { name: 'Log in' }).click();
    const wrongCode = await page.locator('.nhsuk-error-summary').innerText();
    await heading(page);
    await page
      .getByLabel('Authenticator code')
      .fill(await generate({ secret: key, epoch: Math.floor(Date.now() / 1000) }));
    await page.getByRole('button', { name: 'Log in' }).click();
    const queue = await heading(page);
    const empty = await page.locator('main').innerText();
    await page.getByRole('link', { name: 'Decisions record' }).click();
    const record = await heading(page);
    await page.goto(`${stack.reviewConsole}/no-such-page`);
    const notFound = await heading(page);
    await page.goto(stack.reviewConsole);
    await page.getByRole('button', { name: 'Log out' }).click();
    const afterLogout = await heading(page);
    await context.close();

    // Act: each origin answers its own routes only
    const patientsRecord = await fetch(`${stack.issuer}/record`);
    const consoleDiscovery = await fetch(`${stack.reviewConsole}/.well-known/openid-configuration`);

    // Assess
    expect(login).toBe('Log in to the review console');
    expect(wrongPassword).toContain('The email address or password is not right');
    expect(code).toBe('Enter the code from your authenticator app');
    expect(wrongCode).toContain('The code is not right');
    expect(queue).toBe('Photo-ID checks waiting for review');
    expect(empty).toContain('There are no checks waiting for you.');
    expect(record).toBe('Decisions record');
    expect(notFound).toBe('Page not found');
    expect(afterLogout).toBe('Log in to the review console');
    expect(patientsRecord.status).toBe(404);
    expect(consoleDiscovery.status).toBe(404);
    expect(accessibility).toEqual([]);
  }, 120_000);
});

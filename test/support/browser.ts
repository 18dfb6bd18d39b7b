import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';

/** The browser's last steps (Playwright's API log), newest last: what a stuck test was waiting for. */
const steps: string[] = [];
const STEPS_KEPT = 30;

/** Debian's Chromium, headless, with the flags this closed network needs (no background calls out). */
export const launchChromium = (extraArgs: readonly string[] = []): Promise<Browser> =>
  chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    logger: {
      isEnabled: (name) => name === 'api',
      log: (_name, _severity, message) => {
        steps.push(`${new Date().toISOString()} ${String(message).slice(0, 200)}`);
        if (steps.length > STEPS_KEPT) steps.shift();
      },
    },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });

/** Axe's serious and critical violations on the page, as "rule: target" lines (empty when it passes). */
export const seriousAccessibilityProblems = async (page: Page): Promise<string[]> => {
  // A page that navigates while axe runs can leave it waiting for ever: fail with where, not hang.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`axe did not finish on ${page.url()}`)), 30_000);
  });
  const results = await Promise.race([new AxeBuilder({ page }).analyze(), timeout]).finally(() =>
    clearTimeout(timer),
  );
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
};

/**
 * Runs a browser test's body, failing it before the test's own time limit with the browser's last
 * steps, so that a step with no time limit of its own (a new page, a page closing, a DevTools call)
 * says where it stuck instead of only "timed out".
 */
export const withinTime = async (milliseconds: number, body: () => Promise<void>): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new Error(
            `Still going after ${milliseconds / 1000} s; the browser's last steps:\n${steps.join('\n')}`,
          ),
        ),
      milliseconds,
    );
  });
  await Promise.race([body(), timeout]).finally(() => clearTimeout(timer));
};

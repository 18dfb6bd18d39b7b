import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhotoIdReviewControl } from '../../../src/local/sandboxes/photo-id-review-control.ts';
import { startPhotoIdHarness } from '../../support/photo-id-harness.ts';

type Harness = Awaited<ReturnType<typeof startPhotoIdHarness>>;

/** The local stand-in for the review console, over HTTP as a browser (or another site) reaches it. */
describe('the local photo-ID review control', () => {
  let h: Harness;
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    h = await startPhotoIdHarness();
    let issuer = '';
    const control = (
      request: Parameters<ReturnType<typeof createPhotoIdReviewControl>>[0],
      response: Parameters<ReturnType<typeof createPhotoIdReviewControl>>[1],
    ) => createPhotoIdReviewControl({ checks: h.checks, decisions: h.workflow(), issuer })(request, response);
    server = createServer((request, response) => {
      if (!control(request, response)) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = origin;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.stop();
  });

  const decide = (form: Record<string, string>, headers: Record<string, string> = { origin }) =>
    fetch(`${origin}/_dev/photo-id-checks/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
      redirect: 'manual',
    });

  it('lists the waiting check with its numbers and PDS match, and takes a decision from its own page only', async () => {
    // Prepare
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, (check) => check.taskToken !== undefined);
    const form = { accountId: account.accountId, checkId: submitted.checkId, outcome: 'approved' };

    // Act
    const page = await (await fetch(`${origin}/_dev/photo-id-checks`)).text();
    const fromNowhere = await decide(form, {});
    const fromElsewhere = await decide(form, { origin: 'https://attacker.example' });
    const notADecision = await decide({ ...form, outcome: 'rejected', reason: 'because' });
    const wrongCheck = await decide({ ...form, checkId: 'another-check' });
    const stillWaiting = await h.checks.current(account.accountId);
    const accepted = await decide(form);
    const decided = await h.checkWhen(account, (check) => check.state === 'approved');

    // Assess
    expect(page).toContain(submitted.checkId);
    expect(page).toContain(waiting.video?.numbers as string);
    expect(page).toContain('matched: Jane Smith, born 1980-10-22, NHS number 9000000009');
    expect(page).toMatch(/minutes left|overdue<\/strong> by \d+ minutes/);
    expect(fromNowhere.status).toBe(403);
    expect(fromElsewhere.status).toBe(403);
    expect(notADecision.status).toBe(400);
    expect(wrongCheck.status).toBe(409);
    expect(stillWaiting?.state).toBe('in-review');
    expect(accepted.status).toBe(303);
    expect(decided.decision?.decidedBy).toBe('local-reviewer');
  });
});

import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoIdCheck } from '../../../src/domain/identity/photo-id/photo-id-check.ts';
import { startConsoleHarness } from '../../support/console-harness.ts';
import { janeSmithPassport, markedJpeg } from '../../support/id-fixtures.ts';
import { headingOf } from '../../support/page-client.ts';

type Harness = Awaited<ReturnType<typeof startConsoleHarness>>;

const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();

/** A check the workflow has put in front of the reviewers, written straight to the store. */
const waitingCheck = (overrides: Partial<PhotoIdCheck> = {}): PhotoIdCheck => ({
  checkId: randomUUID(),
  accountId: randomUUID(),
  state: 'in-review',
  attempt: 1,
  createdAt: minutesFromNow(-30),
  idType: 'passport',
  details: { birthDate: '1980-10-22', nhsNumber: '9000000009' },
  submittedAt: minutesFromNow(-30),
  deadline: minutesFromNow(90),
  taskToken: `token-${randomUUID()}`,
  detailsMatch: {
    kind: 'matched',
    nhsNumber: '9000000009',
    givenName: 'Jane',
    familyName: 'Smith',
    birthDate: '1980-10-22',
    checkedAt: minutesFromNow(-29),
  },
  version: 0,
  ...overrides,
});

const rowsOf = (html: string) =>
  [...html.matchAll(/<tr class="nhsuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((row) =>
    (row[1] ?? '')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );

/** The review console's queue, check pages and decisions over HTTP, against the workflow run from its ASL file. */
describe('reviewing photo-ID checks in the console', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startConsoleHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('lists the waiting checks overdue first, then by the stored deadline, with the time left', async () => {
    // Prepare: four checks with their deadlines as the workflow stored them
    const later = waitingCheck({ deadline: minutesFromNow(100) });
    const sooner = waitingCheck({ deadline: minutesFromNow(25) });
    const overdue = waitingCheck({ deadline: minutesFromNow(-70) });
    const marked = waitingCheck({ deadline: minutesFromNow(5), overdue: true });
    for (const check of [later, sooner, overdue, marked]) await h.checks.save(check);
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);

    // Act
    const queue = await client.get('/');
    const rows = rowsOf(queue.html).filter((row) =>
      [later, sooner, overdue, marked].some((check) => row.includes(check.checkId)),
    );

    // Assess: most overdue first, then the one the escalation marked, then by deadline
    expect(
      rows.map((row) => [later, sooner, overdue, marked].find((check) => row.includes(check.checkId))),
    ).toEqual([overdue, marked, sooner, later]);
    expect(rows[0]).toMatch(/Overdue Overdue by 1 hour 1[01] minutes/);
    expect(rows[1]).toContain('Overdue');
    expect(rows[2]).toMatch(/2[34] minutes left/);
    expect(rows[3]).toMatch(/1 hour 3[89] minutes left/);
    expect(rows[3]).not.toContain('Overdue');
  });

  it('lets support see the queue but not open a check or decide, and a reviewer not assign or read the record; each refusal audited', async () => {
    // Prepare
    const check = waitingCheck();
    await h.checks.save(check);
    const support = await h.addStaff('support');
    const reviewer = await h.addStaff('reviewer');
    const asSupport = (await h.logIn(support)).client;
    const asReviewer = (await h.logIn(reviewer)).client;

    // Act
    const supportQueue = await asSupport.get('/');
    const supportOpens = await asSupport.get(`/checks/${check.accountId}`);
    const supportDecides = await asSupport.post(`/checks/${check.accountId}/decision`, {
      checkId: check.checkId,
      attempt: '1',
      outcome: 'approved',
    });
    const reviewerAssigns = await asReviewer.post(`/checks/${check.accountId}/assignment`, {
      reviewer: reviewer.account.staffId,
    });
    const reviewerRecord = await asReviewer.get('/record');
    const stored = await h.checks.current(check.accountId);
    const refusals = await h.staffAudit.onDays([new Date().toISOString().slice(0, 10)], ['access-refused']);

    // Assess
    expect(supportQueue.html).toContain(check.checkId);
    expect(supportQueue.html).not.toContain(`href="/checks/${check.accountId}"`);
    expect(supportOpens.status).toBe(403);
    expect(supportDecides.status).toBe(403);
    expect(reviewerAssigns.status).toBe(403);
    expect(reviewerRecord.status).toBe(403);
    expect(headingOf(reviewerRecord.html)).toBe('That could not be done');
    expect(stored?.decision).toBeUndefined();
    expect(
      refusals
        .filter((event) => [support.account.staffId, reviewer.account.staffId].includes(event.staffId))
        .map((event) => event.detail)
        .sort(),
    ).toEqual(['decide', 'open-check', 'reassign', 'view-decisions']);
  });

  it('refuses to approve a check whose details matched no NHS record, and one that has moved on', async () => {
    // Prepare
    const unmatched = waitingCheck({ detailsMatch: { kind: 'not-matched', checkedAt: minutesFromNow(-29) } });
    const movedOn = waitingCheck({ attempt: 2 });
    await h.checks.save(unmatched);
    await h.checks.save(movedOn);
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);

    // Act
    const page = await client.get(`/checks/${unmatched.accountId}`);
    const approve = await client.post(`/checks/${unmatched.accountId}/decision`, {
      checkId: unmatched.checkId,
      attempt: '1',
      outcome: 'approved',
    });
    const stale = await client.post(`/checks/${movedOn.accountId}/decision`, {
      checkId: movedOn.checkId,
      attempt: '1',
      outcome: 'rejected',
      reason: 'photo-unclear',
    });
    const noReason = await client.post(`/checks/${movedOn.accountId}/decision`, {
      checkId: movedOn.checkId,
      attempt: '2',
      outcome: 'rejected',
    });

    // Assess
    expect(page.html).toContain('This check cannot be approved');
    expect(page.html).not.toContain('value="approved"');
    expect(approve.status).toBe(409);
    expect(approve.html).toContain('did not match an NHS record');
    expect(stale.status).toBe(409);
    expect(stale.html).toContain('The check has moved on');
    expect(noReason.status).toBe(400);
    expect(noReason.html).toContain('Choose why the check is rejected');
    expect((await h.checks.current(unmatched.accountId))?.state).toBe('in-review');
  });

  it('approves a submitted check through the workflow: P9, the email, the audit of the view and the decision, and the record', async () => {
    // Prepare: a patient's check, sent and waiting for a reviewer
    const account = await h.newAccount();
    await h.submitCheck(account);
    const waiting = await h.checkWhen(
      account,
      (check) => check.state === 'in-review' && check.taskToken !== undefined,
    );
    const reviewer = await h.addStaff('reviewer', 'Rita Reviewer');
    const supervisor = await h.addStaff('supervisor', 'Sam Supervisor');
    const { client } = await h.logIn(reviewer);

    // Act
    const queue = await client.get('/');
    const page = await client.get(`/checks/${account.accountId}`);
    const photoUrl = /<img src="([^"]+)"/.exec(page.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const videoUrl = /<video src="([^"]+)"/.exec(page.html)?.[1]?.replaceAll('&amp;', '&') ?? '';
    const photo = await fetch(photoUrl);
    const decided = await client.post(`/checks/${account.accountId}/decision`, {
      checkId: waiting.checkId,
      attempt: String(waiting.attempt),
      outcome: 'approved',
    });
    const done = await h.checkWhen(account, (check) => check.state === 'approved');
    const proven = await h.accounts.findById(account.accountId);
    const trail = await h.staffAudit.forAccount(account.accountId, 10);
    const record = await (await h.logIn(supervisor)).client.get('/record');

    // Assess
    expect(queue.html).toContain(waiting.checkId);
    expect(page.status).toBe(200);
    expect(page.html).toContain((waiting.video?.numbers ?? 'none').split('').join(' '));
    expect(page.html).toContain('Matched an NHS record');
    expect(page.html).toContain('9000000009');
    expect(page.html).not.toContain(waiting.photo?.key ?? 'no key');
    expect(photoUrl).toContain('.reviewed');
    expect(videoUrl).toContain('.reviewed');
    expect(photo.status).toBe(200);
    expect(photo.headers.get('cache-control')).toContain('no-store');
    expect(decided.location).toBe(`/?decided=${waiting.checkId}`);
    expect(decided.next?.html).toContain('Decision sent');
    expect(done.decision?.decidedBy).toBe(reviewer.account.staffId);
    expect(proven?.proofingLevel).toBe('P9');
    expect(h.outbox.latest({ kind: 'identity-check-approved' })?.to).toBe(account.email);
    expect(trail.map((event) => [event.type, event.staffId, event.checkId])).toEqual(
      expect.arrayContaining([
        ['check-viewed', reviewer.account.staffId, waiting.checkId],
        ['check-decided', reviewer.account.staffId, waiting.checkId],
      ]),
    );
    expect(trail.find((event) => event.type === 'check-decided')?.detail).toBe('approved');
    expect(trail.find((event) => event.type === 'check-viewed')?.detail).toBe('with-media');
    expect(rowsOf(record.html).find((row) => row.includes(waiting.checkId))).toContain('Rita Reviewer');
    expect(rowsOf(record.html).find((row) => row.includes(waiting.checkId))).toContain('Approved');
  }, 60_000);

  it('never shows a reviewer a resubmission of a check they decided, until a supervisor assigns it to them', async () => {
    // Prepare: a reviewer asks for a new video; the patient sends one
    const account = await h.newAccount();
    await h.submitCheck(account);
    const first = await h.checkWhen(
      account,
      (check) => check.state === 'in-review' && check.taskToken !== undefined,
    );
    const reviewer = await h.addStaff('reviewer');
    const other = await h.addStaff('reviewer');
    const supervisor = await h.addStaff('supervisor');
    const asReviewer = (await h.logIn(reviewer)).client;
    await asReviewer.get(`/checks/${account.accountId}`);
    await asReviewer.post(`/checks/${account.accountId}/decision`, {
      checkId: first.checkId,
      attempt: '1',
      outcome: 'more-needed',
      needed: 'video',
    });
    await h.checkWhen(account, (check) => check.state === 'more-needed');
    await h.sendVideo(account);
    await h.submission.submit(account, '203.0.113.9');
    const second = await h.checkWhen(
      account,
      (check) => check.attempt === 2 && check.state === 'in-review' && check.taskToken !== undefined,
    );

    // Act
    const hidden = await asReviewer.get('/');
    const opened = await asReviewer.get(`/checks/${account.accountId}`);
    const othersQueue = await (await h.logIn(other)).client.get('/');
    const asSupervisor = (await h.logIn(supervisor)).client;
    await asSupervisor.get(`/checks/${account.accountId}`);
    const assigned = await asSupervisor.post(`/checks/${account.accountId}/assignment`, {
      reviewer: reviewer.account.staffId,
    });
    const shown = await asReviewer.get('/');
    const othersAfter = await (await h.logIn(other)).client.get('/');

    // Assess
    expect(second.checkId).toBe(first.checkId);
    expect(hidden.html).not.toContain(first.checkId);
    expect(opened.status).toBe(403);
    expect(othersQueue.html).toContain(first.checkId);
    expect(assigned.location).toBe(`/checks/${account.accountId}`);
    expect(assigned.next?.html).toContain(`Assigned to ${reviewer.account.name}`);
    expect(shown.html).toContain(first.checkId);
    expect(othersAfter.html).not.toContain(first.checkId);
  }, 60_000);

  it('serves a check page uncached, with a CSP that lets its images and video come from the media origin alone', async () => {
    // Prepare
    const check = waitingCheck();
    await h.checks.save(check);
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const mediaOrigin = new URL(
      await h.media.downloadUrl('x', { expiresInSeconds: 1, contentType: 'image/jpeg' }),
    ).origin;

    // Act
    const response = await fetch(`${h.baseUrl}/checks/${check.accountId}`, { headers: { cookie } });
    const queue = await fetch(`${h.baseUrl}/`, { headers: { cookie } });
    const policy = response.headers.get('content-security-policy') ?? '';
    const queuePolicy = queue.headers.get('content-security-policy') ?? '';

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(policy).toContain(`img-src 'self' data: ${mediaOrigin}`);
    expect(policy).toContain(`media-src 'self' ${mediaOrigin}`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("form-action 'self'");
    expect(queuePolicy).not.toContain(mediaOrigin);
    expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
    expect(response.headers.get('permissions-policy')).toContain('camera=()');
  });

  it('shows the automated checks’ sandbox results with their confidence, flagging what needs a closer look', async () => {
    // Prepare: Jane Smith's passport, with a still of somebody else's face
    const account = await h.newAccount();
    await h.submitCheck(
      account,
      janeSmithPassport(),
      markedJpeg({ face: 'ann-jones', faceConfidence: 97.3 }),
    );
    await h.checkWhen(account, (check) => check.state === 'in-review' && check.taskToken !== undefined);
    const reviewer = await h.addStaff('reviewer');
    const { client } = await h.logIn(reviewer);

    // Act
    const page = await client.get(`/checks/${account.accountId}`);
    const results = (
      /<dl class="nhsuk-summary-list" id="automated-checks">([\s\S]*?)<\/dl>/.exec(page.html)?.[1] ?? ''
    )
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ');

    // Assess
    expect(results).toContain('Look closely 2.4% similar');
    expect(results).toContain('Faces found with 99.7% confidence on the ID and 97.3% in the still');
    expect(results).toContain('6 lines read Lowest confidence 98.4%');
    expect(results).toContain('Read, every check digit right');
    expect(results).toContain('SMITH, JANE; born 1980-10-22; document 123456789; expires 2031-05-01');
    expect(results).toContain('Surname: Matches. Date of birth: Matches.');
    expect(results).toContain('In date (expires 2031-05-01)');
    expect(results).toMatch(/Age 4[56] years From the NHS record/);
    expect(page.html).toContain('alt="A still of the patient’s face from their video"');
    expect(page.html).toContain('<code>P&lt;GBRSMITH&lt;&lt;JANE');
  });

  it('answers tampered or foreign ids with a page, never a server error, and decides nothing', async () => {
    // Prepare
    const check = waitingCheck();
    await h.checks.save(check);
    const reviewer = await h.addStaff('reviewer');
    const supervisor = await h.addStaff('supervisor');
    const { client } = await h.logIn(reviewer);
    const asSupervisor = (await h.logIn(supervisor)).client;

    // Act
    const notANumber = await client.post(`/checks/${check.accountId}/decision`, {
      checkId: check.checkId,
      attempt: 'abc',
      outcome: 'approved',
    });
    const longCheckId = await client.post(`/checks/${check.accountId}/decision`, {
      checkId: 'x'.repeat(3000),
      attempt: '1',
      outcome: 'approved',
    });
    const longPath = await client.get(`/checks/${'a'.repeat(3000)}`);
    const oddPath = await client.get('/checks/not%20an%20id');
    const longReviewer = await asSupervisor.post(`/checks/${check.accountId}/assignment`, {
      reviewer: 'r'.repeat(5000),
    });
    const foreignBanner = await client.get('/?decided=%3Cb%3EYour%20account%20is%20suspended');

    // Assess
    expect(notANumber.status).toBe(400);
    expect(notANumber.html).toContain('That is not a decision on a check.');
    expect(longCheckId.status).toBe(400);
    expect([404, 400]).toContain(longPath.status);
    expect(oddPath.status).toBe(404);
    expect(longReviewer.status).toBe(404);
    expect(foreignBanner.html).not.toContain('Decision sent');
    expect((await h.checks.current(check.accountId))?.state).toBe('in-review');
  });

  it('ignores an assignment to someone disabled since, or to an earlier submission: the check is back for every reviewer', async () => {
    // Prepare: a supervisor gives a check to a reviewer, who then leaves
    const check = waitingCheck();
    await h.checks.save(check);
    const leaver = await h.addStaff('reviewer');
    const other = await h.addStaff('reviewer');
    const asSupervisor = (await h.logIn(await h.addStaff('supervisor'))).client;
    await asSupervisor.get(`/checks/${check.accountId}`);
    await asSupervisor.post(`/checks/${check.accountId}/assignment`, { reviewer: leaver.account.staffId });
    const asOther = (await h.logIn(other)).client;
    const whileAssigned = await asOther.get('/');

    // Act
    await h.staff.setDisabled(leaver.account.staffId, true);
    const afterLeaving = await asOther.get('/');
    // The account's next submission: an assignment of the last one is not carried over
    const next = waitingCheck({ accountId: randomUUID() });
    await h.checks.save(next);
    await asSupervisor.post(`/checks/${next.accountId}/assignment`, { reviewer: other.account.staffId });
    const stored = await h.checks.current(next.accountId);
    await h.checks.save({ ...(stored as PhotoIdCheck), attempt: 2 });
    const nextAttempt = await (await h.logIn(await h.addStaff('reviewer'))).client.get('/');

    // Assess
    expect(whileAssigned.html).not.toContain(check.checkId);
    expect(afterLeaving.html).toContain(check.checkId);
    expect(nextAttempt.html).toContain(next.checkId);
  });
});

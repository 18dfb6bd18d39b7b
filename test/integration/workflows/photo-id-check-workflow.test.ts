import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../../../src/adapters/dynamodb/keys.ts';
import { MediaStoreUnavailableError } from '../../../src/domain/identity/photo-id/media-store.ts';
import type { PhotoIdCheck } from '../../../src/domain/identity/photo-id/photo-id-check.ts';
import {
  InvalidDecisionError,
  TaskTokenUnusableError,
} from '../../../src/domain/identity/photo-id/photo-id-workflow.ts';
import { MessageNotSentError } from '../../../src/domain/messaging/message-errors.ts';
import { janeSmithPassport, markedJpeg } from '../../support/id-fixtures.ts';
import { jpegBytes, postUpload, startPhotoIdHarness } from '../../support/photo-id-harness.ts';

type Harness = Awaited<ReturnType<typeof startPhotoIdHarness>>;

const harnesses: Harness[] = [];
const harness = async (options: Parameters<typeof startPhotoIdHarness>[0] = {}) => {
  const started = await startPhotoIdHarness(options);
  harnesses.push(started);
  return started;
};
afterEach(async () => {
  for (const each of harnesses.splice(0)) await each.stop();
});

/** The wait a reviewer decides: the check's current token, and the check and submission it is for. */
const waitOf = (check: PhotoIdCheck | undefined) => ({
  taskToken: check?.taskToken as string,
  checkId: check?.checkId as string,
  attempt: check?.attempt as number,
});

const waitingWithToken = (check: { state: string; taskToken?: string }) =>
  check.state === 'in-review' && check.taskToken !== undefined;

describe('the photo-ID check workflow, run from its ASL file', () => {
  it('approves: the account is proven at P9 with the NHS number, the patient is emailed, the media deleted', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const check = await h.checks.current(account.accountId);
    expect(check).toMatchObject({
      state: 'approved',
      outcomeEmail: 'sent',
      detailsMatch: { kind: 'matched', nhsNumber: '9000000009' },
      decision: { decision: { outcome: 'approved' }, decidedBy: 'reviewer-1' },
    });
    expect(check?.taskToken).toBeUndefined();
    expect(check?.mediaDeletedAt).toBeDefined();
    expect(await h.accounts.findById(account.accountId)).toMatchObject({
      proofingLevel: 'P9',
      identity: { nhsNumber: '9000000009', familyName: 'Smith', birthdate: '1980-10-22' },
    });
    expect(h.outbox.latest({ to: account.email })?.kind).toBe('identity-check-approved');
    expect(await h.media.describe(submitted.photo?.key as string)).toBeUndefined();
    expect(await h.media.describe(submitted.video?.key as string)).toBeUndefined();
    expect(await h.media.describe(waiting.validation?.photo.key as string)).toBeUndefined();
    expect(await h.media.describe(waiting.validation?.video.key as string)).toBeUndefined();
    expect(await h.checks.waiting()).toEqual([]);
  });

  it('runs the automated checks before the review: the face on the ID against the still, the zone against the record, expiry and age', async () => {
    // Prepare: Jane Smith's passport and a still of her face, as the sandboxes read them
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(
      account,
      janeSmithPassport(),
      markedJpeg({ face: 'jane-smith', faceConfidence: 99.2 }),
    );

    // Act
    const waiting = await h.checkWhen(account, waitingWithToken);
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    await h.outcomeOf(submitted);

    // Assess
    expect(waiting.validation?.still?.key).toBe(`${submitted.video?.stillKey}.reviewed`);
    expect(waiting.automatedChecks).toMatchObject({
      face: { kind: 'compared', similarity: 98.6, photoFaceConfidence: 99.7, stillFaceConfidence: 99.2 },
      text: { kind: 'read' },
      mrz: { kind: 'read', valid: true, surname: 'SMITH', surnameMatches: true, birthDateMatches: true },
      expiry: { kind: 'in-date', expiryDate: '2031-05-01' },
      age: { from: 'nhs-record' },
    });
    expect(waiting.automatedChecks?.text.kind === 'read' && waiting.automatedChecks.text.lines[0]).toEqual({
      text: 'PASSPORT',
      confidence: 98.4,
    });
    // The still goes with the rest of the media once decided
    expect(await h.media.describe(submitted.video?.stillKey as string)).toBeUndefined();
    expect(await h.media.describe(waiting.validation?.still?.key as string)).toBeUndefined();
  });

  it('goes on to the review when the automated checks cannot run: each says why, none holds the check back', async () => {
    // Prepare: the services are down for these images, and no still came
    const h = await harness();
    const down = await h.newAccount();
    const noStill = await h.newAccount();
    await h.submitCheck(down, markedJpeg({ unavailable: true }), markedJpeg({ unavailable: true }));
    await h.submitCheck(noStill, janeSmithPassport());

    // Act
    const [first, second] = await Promise.all([
      h.checkWhen(down, waitingWithToken),
      h.checkWhen(noStill, waitingWithToken),
    ]);

    // Assess
    expect(first.automatedChecks).toMatchObject({
      face: { kind: 'not-run', why: 'unavailable' },
      text: { kind: 'not-run', why: 'unavailable' },
      mrz: { kind: 'not-found' },
      expiry: { kind: 'unknown' },
    });
    expect(second.automatedChecks?.face).toEqual({ kind: 'not-run', why: 'no-still' });
    expect(second.automatedChecks?.mrz).toMatchObject({ kind: 'read', valid: true });
  });

  it('rejects with the reason: the email says why and what to do, and the account stays as it was', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h
      .workflow()
      .decide(waitOf(waiting), { outcome: 'rejected', reason: 'face-not-matching' }, 'reviewer-2');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(await h.checks.current(account.accountId)).toMatchObject({
      state: 'rejected',
      outcomeEmail: 'sent',
    });
    expect((await h.accounts.findById(account.accountId))?.proofingLevel).toBe('P0');
    const email = h.outbox.latest({ to: account.email });
    expect(email?.kind).toBe('identity-check-rejected');
    expect(email?.text).toContain('We could not match the face in your video to the photo on your ID.');
    expect(await h.media.describe(submitted.photo?.key as string)).toBeUndefined();
  });

  it('asks for a new video: the photo is kept, and the resubmission runs as the next attempt of the same check', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const first = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'more-needed', needed: 'video' }, 'reviewer-1');
    const firstOutcome = await h.outcomeOf(first);
    const moreNeeded = await h.checks.current(account.accountId);
    await h.sendVideo(account);
    const second = await h.submission.submit(account, '203.0.113.9');
    const secondWaiting = await h.checkWhen(account, waitingWithToken);
    await h.workflow().decide(waitOf(secondWaiting), { outcome: 'approved' }, 'reviewer-1');
    const secondOutcome = await h.outcomeOf(second);

    // Assess
    expect(firstOutcome.status).toBe('SUCCEEDED');
    expect(moreNeeded).toMatchObject({ state: 'more-needed', needed: 'video', photo: first.photo });
    expect(moreNeeded?.video).toBeUndefined();
    expect(h.outbox.messages().map((message) => message.kind)).toContain('identity-check-more-needed');
    expect(await h.media.describe(first.video?.key as string)).toBeUndefined();
    expect(second).toMatchObject({ checkId: first.checkId, attempt: 2, photo: first.photo });
    expect(second.video?.key).toMatch(new RegExp(`^checks/${first.checkId}/2/video-[0-9a-f-]{36}$`));
    expect(secondOutcome.status).toBe('SUCCEEDED');
    expect((await h.accounts.findById(account.accountId))?.proofingLevel).toBe('P9');
    expect(await h.media.describe(first.photo?.key as string)).toBeUndefined();
  });

  it('escalates past the deadline: marked overdue, ops alerted, the patient told once, and the wait goes on with a new token', async () => {
    // Prepare: the workflow sees a day on, past any deadline (at most 14 hours after a submission
    // at 20:59, with the default hours); alerts repeat every second.
    const h = await harness({
      workflowClock: () => new Date(Date.now() + 24 * 3600_000),
      settings: { escalationRepeatSeconds: 1, sendDelayedEmail: true },
      // The retention's end is on the workflow's clock, a day ahead of the runner's.
      waitTimeOverrides: { WaitForRetention: 0 },
    });
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const firstWait = await h.checkWhen(account, waitingWithToken);

    // Act
    const escalated = await h.checkWhen(
      account,
      (check) => (check.escalations ?? 0) >= 2 && waitingWithToken(check),
    );
    const stale = await h
      .workflow()
      .decide(waitOf(firstWait), { outcome: 'approved' }, 'reviewer-1')
      .catch((error: unknown) => error);
    // As the console does: the check's current token, read again if an escalation replaced it meanwhile.
    for (let tries = 0; ; tries += 1) {
      const current = await h.checkWhen(account, waitingWithToken);
      const sent = await h
        .workflow()
        .decide(waitOf(current), { outcome: 'approved' }, 'reviewer-1')
        .then(() => true)
        .catch((error: unknown) =>
          error instanceof TaskTokenUnusableError && tries < 20 ? false : Promise.reject(error),
        );
      if (sent) break;
    }
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(stale).toBeInstanceOf(TaskTokenUnusableError);
    expect(escalated).toMatchObject({ overdue: true, delayedEmailSent: true });
    expect(escalated.taskToken).not.toBe(firstWait.taskToken);
    expect(h.alerts.filter((alert) => alert.code === 'overdue').length).toBeGreaterThanOrEqual(2);
    expect(h.alerts[0]?.detail).toMatchObject({ checkId: submitted.checkId, escalations: 1 });
    expect(h.outbox.messages().filter((message) => message.kind === 'identity-check-delayed')).toHaveLength(
      1,
    );
    expect(outcome.status).toBe('SUCCEEDED');
    expect(await h.checks.current(account.accountId)).toMatchObject({ state: 'approved', overdue: true });
  });

  it('retries the outcome email when SES fails, and sends it once it goes through', async () => {
    // Prepare: the first two sends fail.
    let failures = 2;
    let attempts = 0;
    const h = await harness({
      retryIntervalOverrides: { SendOutcomeEmail: 0 },
      email: (outbox) => ({
        send: async (message) => {
          attempts += 1;
          if (failures-- > 0)
            throw new MessageNotSentError('email', { logDetail: 'Throttling', retryable: true });
          await outbox.send(message);
        },
      }),
    });
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(attempts).toBe(3);
    expect(await h.checks.current(account.accountId)).toMatchObject({
      state: 'approved',
      outcomeEmail: 'sent',
    });
    expect(h.outbox.latest({ to: account.email })?.kind).toBe('identity-check-approved');
  });

  it('records an email that never goes through where ops see it, and still finishes the check', async () => {
    // Prepare
    const h = await harness({
      retryIntervalOverrides: { SendOutcomeEmail: 0 },
      email: () => ({
        send: async () => {
          throw new MessageNotSentError('email', { logDetail: 'MessageRejected' });
        },
      }),
    });
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    const check = await h.checks.current(account.accountId);
    expect(check).toMatchObject({ state: 'approved', outcomeEmail: 'failed' });
    expect(check?.mediaDeletedAt).toBeDefined();
    expect(h.alerts).toContainEqual({ code: 'email-failed', detail: { checkId: submitted.checkId } });
    expect((await h.accounts.findById(account.accountId))?.proofingLevel).toBe('P9');
  });

  it('fails a check whose task keeps crashing: the check is marked failed with the step, and ops alerted', async () => {
    // Prepare: the media store the workflow reads is down.
    const h = await harness({
      retryIntervalOverrides: { ValidateSubmission: 0 },
      workflowMedia: (media) => ({
        ...media,
        createUpload: (request) => media.createUpload(request),
        downloadUrl: (key, options) => media.downloadUrl(key, options),
        delete: (keys) => media.delete(keys),
        keep: (key, etag) => media.keep(key, etag),
        deleteUnder: (prefix) => media.deleteUnder(prefix),
        describe: async () => {
          throw new MediaStoreUnavailableError('down');
        },
      }),
    });
    const account = await h.newAccount();

    // Act
    const submitted = await h.submitCheck(account);
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome).toEqual({ status: 'FAILED', error: 'PhotoIdCheckFailed' });
    const check = await h.checks.current(account.accountId);
    expect(check).toMatchObject({
      state: 'failed',
      failure: { step: 'ValidateSubmission', error: 'MediaStoreUnavailableError' },
    });
    expect(h.alerts).toContainEqual({
      code: 'failed',
      detail: { checkId: submitted.checkId, step: 'ValidateSubmission', error: 'MediaStoreUnavailableError' },
    });
    // A failed check is closed: the patient can start again.
    expect((await h.submission.chooseIdType(account, 'passport')).checkId).not.toBe(submitted.checkId);
  });

  it('survives a restart while waiting: the wait is re-created from the store, and the old token no longer works', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const before = await h.checkWhen(account, waitingWithToken);

    // Act
    const after = await h.restart();
    const resumed = await after.resume();
    const rewaiting = await h.checkWhen(
      account,
      (check) => waitingWithToken(check) && check.taskToken !== before.taskToken,
    );
    const stale = await after
      .decide(waitOf(before), { outcome: 'approved' }, 'reviewer-1')
      .catch((error: unknown) => error);
    await after.decide(waitOf(rewaiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(resumed).toBe(1);
    expect(stale).toBeInstanceOf(TaskTokenUnusableError);
    expect(outcome.status).toBe('SUCCEEDED');
    expect(rewaiting).toMatchObject({ deadline: before.deadline, validation: before.validation });
    expect((await h.accounts.findById(account.accountId))?.proofingLevel).toBe('P9');
  });

  it('asks for a new photo itself when the upload is not an image, without a reviewer', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();

    // Act
    const submitted = await h.submitCheck(account, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'));
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(await h.checks.current(account.accountId)).toMatchObject({
      state: 'more-needed',
      needed: 'photo',
      decision: { decidedBy: 'workflow', decision: { outcome: 'more-needed', needed: 'photo' } },
    });
    expect(h.outbox.latest({ to: account.email })?.kind).toBe('identity-check-more-needed');
  });

  it('ends quietly when the account is deleted while its check waits', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);
    await h.accounts.delete(account.accountId);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(await h.table.get(keys.photoIdCheck(account.accountId))).toBeUndefined();
    expect(h.outbox.latest({ to: account.email })).toBeUndefined();
  });

  it('refuses a decision the workflow does not know: nothing is decided and the check keeps waiting', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    const refused = h
      .workflow()
      .decide(waitOf(waiting), { outcome: 'rejected', reason: 'not-a-reason' } as never, 'reviewer-1');

    // Assess
    await expect(refused).rejects.toBeInstanceOf(InvalidDecisionError);
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    expect((await h.checkWhen(account, (check) => check.state === 'approved')).decision?.decidedBy).toBe(
      'reviewer-1',
    );
  });

  it('reviews the upload as it was checked: a file replaced after submission is not what the reviewer sees', async () => {
    // Prepare: a second form for the photo's key (S3 takes a form until it expires)
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);
    const replacing = await h.media.createUpload({
      key: submitted.photo?.key as string,
      contentType: 'image/jpeg',
      maxBytes: 10_000,
      expiresInSeconds: 60,
    });

    // Act
    await postUpload(replacing, Buffer.concat([jpegBytes(), Buffer.from('someone else')]));
    const reviewed = await h.media.describe(waiting.validation?.photo.key as string);
    const replaced = await h.media.describe(submitted.photo?.key as string);

    // Assess
    expect(waiting.validation?.photo.key).toBe(`${submitted.photo?.key}.reviewed`);
    expect(reviewed?.etag).toBe(waiting.validation?.photo.etag);
    expect(replaced?.etag).not.toBe(waiting.validation?.photo.etag);
  });

  it('refuses an approval for another submission than the one waiting, and fails the check for ops', async () => {
    // Prepare
    const h = await harness();
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide({ ...waitOf(waiting), attempt: 2 }, { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome).toEqual({ status: 'FAILED', error: 'PhotoIdCheckFailed' });
    expect(await h.checks.current(account.accountId)).toMatchObject({
      state: 'failed',
      failure: { step: 'ApplyDecision', error: 'CheckState' },
    });
    expect((await h.accounts.findById(account.accountId))?.proofingLevel).toBe('P0');
  });

  it('does not prove an account with another NHS number than it proved before: it is suspended for ops', async () => {
    // Prepare: the account proved Sam's NHS number (P5) before; the photo ID check names Jane's
    const h = await harness();
    const account = await h.newAccount();
    await h.accounts.setIdentity(account.accountId, 'P5', { nhsNumber: '9000000017', familyName: 'Jones' });
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'approved' }, 'reviewer-1');
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('FAILED');
    const after = await h.accounts.findById(account.accountId);
    expect(after?.identity?.nhsNumber).toBe('9000000017');
    expect(after?.proofingLevel).toBe('P5');
    expect(after?.disabled?.reason).toBe('suspended');
    expect(await h.checks.current(account.accountId)).toMatchObject({ state: 'failed' });
  });

  it('emails the outcome and deletes the media even when the patient starts again at once', async () => {
    // Prepare: the email waits until the patient has started a new check
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const h = await harness({
      email: (outbox) => ({
        send: async (message) => {
          await held;
          await outbox.send(message);
        },
      }),
    });
    const account = await h.newAccount();
    const submitted = await h.submitCheck(account);
    const waiting = await h.checkWhen(account, waitingWithToken);

    // Act
    await h.workflow().decide(waitOf(waiting), { outcome: 'rejected', reason: 'id-expired' }, 'reviewer-1');
    await h.checkWhen(account, (check) => check.state === 'rejected');
    const next = await h.submission.chooseIdType(account, 'uk-driving-licence');
    release();
    const outcome = await h.outcomeOf(submitted);

    // Assess
    expect(outcome.status).toBe('SUCCEEDED');
    expect(next.checkId).not.toBe(submitted.checkId);
    expect(
      h.outbox
        .messages()
        .filter((message) => message.to === account.email)
        .map((message) => message.kind),
    ).toEqual(['identity-check-rejected']);
    expect(await h.media.describe(submitted.photo?.key as string)).toBeUndefined();
    expect(await h.media.describe(waiting.validation?.video.key as string)).toBeUndefined();
    expect(await h.checks.current(account.accountId)).toMatchObject({
      checkId: next.checkId,
      state: 'collecting',
    });
  });
});

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoAccountStore } from '../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoPhotoIdCheckStore } from '../../src/adapters/dynamodb/dynamo-photo-id-check-store.ts';
import { DynamoSpokenNumbersStore } from '../../src/adapters/dynamodb/dynamo-spoken-numbers-store.ts';
import type { DynamoTable } from '../../src/adapters/dynamodb/dynamo-table.ts';
import { LocalMediaStore } from '../../src/adapters/local/local-media-store.ts';
import { LocalOutbox } from '../../src/adapters/local/outbox.ts';
import { SandboxDocumentText } from '../../src/adapters/local/sandbox-document-text.ts';
import { SandboxFaceComparison } from '../../src/adapters/local/sandbox-face-comparison.ts';
import type { Account } from '../../src/domain/accounts/account.ts';
import type { Clock } from '../../src/domain/clock.ts';
import type { MediaStore, MediaUpload } from '../../src/domain/identity/photo-id/media-store.ts';
import type { PhotoIdCheck } from '../../src/domain/identity/photo-id/photo-id-check.ts';
import { PhotoIdSubmission } from '../../src/domain/identity/photo-id/photo-id-submission.ts';
import {
  defaultPhotoIdWorkflowSettings,
  type PhotoIdWorkflowSettings,
  PhotoIdWorkflowTasks,
} from '../../src/domain/identity/photo-id/photo-id-workflow.ts';
import { defaultStaffedHours } from '../../src/domain/identity/photo-id/review-deadline.ts';
import { SpokenNumbers } from '../../src/domain/identity/photo-id/spoken-numbers.ts';
import type { EmailSender } from '../../src/domain/messaging/message-senders.ts';
import { type ExecutionOutcome, LocalPhotoIdWorkflow } from '../../src/local/local-photo-id-workflow.ts';
import { startPdsSandbox } from './pds-sandbox-server.ts';
import { createTestTable } from './test-table.ts';

/** A JPEG's and a WebM's first bytes, then filler: the workflow checks the bytes, not the label. */
export const jpegBytes = () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);
export const webmBytes = () => Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(4000, 2)]);

/** Posts a file to an upload form as the browser does. */
export const postUpload = async (upload: MediaUpload, bytes: Buffer): Promise<number> => {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append('file', new Blob([bytes], { type: upload.contentType }));
  const response = await fetch(upload.url, { method: 'POST', body: form, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
};

export type Alert = { readonly code: string; readonly detail: Record<string, string | number> };

/**
 * The photo-ID check end to end below the pages: DynamoDB Local, the local media store on its
 * endpoint, the PDS sandbox, the outbox, and the workflow run from the ASL file by the local
 * runner. The patient's side and the workflow have clocks of their own, so a test can submit
 * "now" and have the workflow see a time past the deadline.
 */
export const startPhotoIdHarness = async (
  options: {
    readonly settings?: Partial<PhotoIdWorkflowSettings>;
    /** What the workflow's steps see as now (the patient's side sees the real time). */
    readonly workflowClock?: Clock;
    /** Sends the workflow's email (the outbox by default): a test may make it fail. */
    readonly email?: (outbox: LocalOutbox) => EmailSender;
    /** The media store the workflow reads (the local one by default): a test may make it fail. */
    readonly workflowMedia?: (media: MediaStore) => MediaStore;
    readonly retryIntervalOverrides?: Record<string, number>;
    readonly waitTimeOverrides?: Record<string, number>;
  } = {},
) => {
  const clock: Clock = () => new Date();
  const table: DynamoTable = await createTestTable(clock);
  const directory = await mkdtemp(join(tmpdir(), 'photo-id-'));
  let media: LocalMediaStore | undefined;
  const server = createServer((request, response) => {
    if (!media?.handle(request, response)) response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  media = await LocalMediaStore.open({
    directory: join(directory, 'media'),
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clock,
  });
  const pds = await startPdsSandbox(clock);
  const outbox = await LocalOutbox.open({ directory: join(directory, 'outbox') });
  const accounts = new DynamoAccountStore(table);
  const checks = new DynamoPhotoIdCheckStore(table);
  const audit = new DynamoAuditLog(table);
  const alerts: Alert[] = [];
  const outcomes = new Map<string, ExecutionOutcome>();
  const tasks = new PhotoIdWorkflowTasks({
    checks,
    media: options.workflowMedia ? options.workflowMedia(media) : media,
    faceComparison: new SandboxFaceComparison(),
    documentText: new SandboxDocumentText(),
    demographics: pds.demographics,
    accounts,
    email: options.email ? options.email(outbox) : outbox,
    audit,
    clock: options.workflowClock ?? clock,
    service: {
      serviceName: 'Patient Login',
      contactLink: 'http://localhost/contact',
      startLink: 'http://localhost/prove-who-you-are/photo-id',
    },
    settings: { ...defaultPhotoIdWorkflowSettings, ...options.settings },
    alert: (code, detail) => alerts.push({ code, detail }),
  });
  const newWorkflow = () =>
    new LocalPhotoIdWorkflow({
      tasks,
      checks,
      retryIntervalOverrides: options.retryIntervalOverrides ?? {},
      waitTimeOverrides: options.waitTimeOverrides ?? {},
      onOutcome: (name, outcome) => outcomes.set(name, outcome),
    });
  const workflows = [newWorkflow()];
  const workflow = () => workflows.at(-1) as LocalPhotoIdWorkflow;
  const submission = new PhotoIdSubmission({
    checks,
    media,
    spokenNumbers: new SpokenNumbers({
      store: new DynamoSpokenNumbersStore(table),
      clock,
      lifetimeSeconds: 600,
    }),
    workflow: { start: (check) => workflow().start(check) },
    audit,
    clock,
    staffedHours: defaultStaffedHours,
  });

  const newAccount = async (): Promise<Account> => {
    const account: Account = {
      accountId: randomUUID(),
      subject: randomUUID(),
      email: `patient-${randomUUID()}@example.com`,
      passwordHash: 'hash',
      proofingLevel: 'P0',
      createdAt: new Date().toISOString(),
    };
    await accounts.create(account);
    return account;
  };

  /** Uploads a video as the page does: new numbers, the form, the file, then the record of it. */
  const sendVideo = async (account: Account, bytes: Buffer = webmBytes(), still?: Buffer) => {
    const { challenge, uploads, stillUpload } = await submission.videoUpload(account);
    const upload = uploads[0] as MediaUpload;
    await postUpload(upload, bytes);
    if (still) await postUpload(stillUpload, still);
    return submission.videoUploaded(account, {
      key: upload.key,
      challengeId: challenge.challengeId,
      method: 'say',
      ...(still ? { stillKey: stillUpload.key } : {}),
    });
  };
  const sendPhoto = async (account: Account, bytes: Buffer = jpegBytes()) => {
    const upload = await submission.photoUpload(account, {});
    await postUpload(upload, bytes);
    return submission.photoUploaded(account, upload.key);
  };

  /** Jane Smith of the test patients (9000000009) sends a complete check. */
  const submitCheck = async (
    account: Account,
    photo: Buffer = jpegBytes(),
    still?: Buffer,
  ): Promise<PhotoIdCheck> => {
    await submission.chooseIdType(account, 'passport');
    await sendPhoto(account, photo);
    await sendVideo(account, webmBytes(), still);
    await submission.enterDetails(account, { birthDate: '1980-10-22', nhsNumber: '9000000009' });
    return submission.submit(account, '203.0.113.9');
  };

  /** The check once `until` holds of it (the workflow runs on its own). */
  const checkWhen = async (
    account: Account,
    until: (check: PhotoIdCheck) => boolean,
    timeoutMs = 15_000,
  ): Promise<PhotoIdCheck> => {
    const started = Date.now();
    for (;;) {
      const check = await checks.current(account.accountId);
      if (check && until(check)) return check;
      if (Date.now() - started > timeoutMs)
        throw new Error(`The check did not get there; it is ${JSON.stringify(check)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  /** The execution's end, as recorded once it ended. */
  const outcomeOf = async (check: PhotoIdCheck, timeoutMs = 15_000): Promise<ExecutionOutcome> => {
    const name = `${check.checkId}-${check.attempt}`;
    const started = Date.now();
    while (!outcomes.has(name)) {
      if (Date.now() - started > timeoutMs) throw new Error(`The execution ${name} did not end`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return outcomes.get(name) as ExecutionOutcome;
  };

  return {
    table,
    accounts,
    checks,
    media,
    outbox,
    alerts,
    submission,
    workflow,
    /** A second runner over the same store, as after a restart of `npm start` (the first is stopped). */
    restart: async () => {
      await workflow().stop();
      outcomes.clear();
      workflows.push(newWorkflow());
      return workflow();
    },
    newAccount,
    sendPhoto,
    sendVideo,
    submitCheck,
    checkWhen,
    outcomeOf,
    stop: async () => {
      for (const each of workflows) await each.stop();
      await pds.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(directory, { recursive: true, force: true });
    },
  };
};

import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type DetailsMatch,
  type PhotoIdCheck,
  type PhotoIdCheckStore,
  photoIdTypes,
  readReviewDecision,
  videoMethods,
} from '../../domain/identity/photo-id/photo-id-check.ts';
import type { ReviewDecisions } from '../../domain/identity/photo-id/photo-id-workflow.ts';
import { reviewQueue } from '../../domain/identity/photo-id/review-queue.ts';
import { identityCheckRejectionReasons } from '../../domain/messaging/email-templates.ts';
import { escapeHtml } from '../../domain/messaging/escape-html.ts';

export const PHOTO_ID_REVIEW_PATH = '/_dev/photo-id-checks';
const DECIDE_PATH = `${PHOTO_ID_REVIEW_PATH}/decide`;
const MAX_FORM_BYTES = 4096;

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Photo-ID checks waiting (local)</title></head><body>${body}</body></html>`;

const send = (response: ServerResponse, status: number, html: string) => {
  response.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  });
  response.end(page(html));
};

const pdsCell = (match: DetailsMatch | undefined): string =>
  match?.kind === 'matched'
    ? `matched: ${match.givenName ?? ''} ${match.familyName ?? ''}, born ${match.birthDate ?? ''}, NHS number ${match.nhsNumber}`
    : (match?.kind ?? 'not checked yet');

const decisionForm = (accountId: string, checkId: string) => {
  const hidden = `<input type="hidden" name="accountId" value="${escapeHtml(accountId)}"><input type="hidden" name="checkId" value="${escapeHtml(checkId)}">`;
  const reasons = Object.keys(identityCheckRejectionReasons)
    .map((reason) => `<option value="${reason}">${reason}</option>`)
    .join('');
  return [
    `<form method="post" action="${DECIDE_PATH}">${hidden}<input type="hidden" name="outcome" value="approved"><button>Approve</button></form>`,
    `<form method="post" action="${DECIDE_PATH}">${hidden}<input type="hidden" name="outcome" value="rejected"><select name="reason" aria-label="Reason">${reasons}</select><button>Reject</button></form>`,
    `<form method="post" action="${DECIDE_PATH}">${hidden}<input type="hidden" name="outcome" value="more-needed"><select name="needed" aria-label="What is needed"><option value="photo">a new photo</option><option value="video">a new video</option></select><button>Ask for more</button></form>`,
  ].join('');
};

/**
 * A stand-in for the review console on `npm start` (it comes with issue 15): the checks waiting
 * for a reviewer, soonest deadline first, and a decision for each, sent through the same port
 * the console uses (`ReviewDecisions.decide`, SendTaskSuccess in AWS) with the check's current
 * task token. Served by the local stack only, to the local hosts, and only to forms of its own
 * origin (a page elsewhere cannot post a decision).
 */
export const createPhotoIdReviewControl =
  (deps: {
    readonly checks: PhotoIdCheckStore;
    readonly decisions: ReviewDecisions;
    readonly issuer: string;
  }) =>
  (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = (request.url ?? '/').split('?')[0];
    if (path === `${PHOTO_ID_REVIEW_PATH}.json` && request.method === 'GET') {
      request.resume();
      void deps.checks.waiting().then(
        (checks) => {
          response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
          response.end(
            JSON.stringify({
              checks: reviewQueue(checks, new Date()).map((entry) => ({
                accountId: entry.accountId,
                checkId: entry.checkId,
                attempt: entry.attempt,
                deadline: entry.deadline,
                minutesLeft: entry.minutesLeft,
                overdue: entry.overdue,
                waitingForDecision: entry.decidable,
              })),
            }),
          );
        },
        () => send(response, 503, '<p>The store could not be read.</p>'),
      );
      return true;
    }
    if (path === PHOTO_ID_REVIEW_PATH && request.method === 'GET') {
      request.resume();
      void deps.checks.waiting().then(
        (checks) => {
          const byId = new Map(checks.map((check) => [check.checkId, check]));
          const rows = reviewQueue(checks, new Date()).map((entry) => {
            const check = byId.get(entry.checkId) as PhotoIdCheck;
            const details = check.details;
            const entered = details
              ? 'nhsNumber' in details
                ? `born ${details.birthDate}, NHS number ${details.nhsNumber}`
                : `born ${details.birthDate}, ${details.givenName} ${details.familyName}, ${details.postcode}`
              : '';
            return `<tr><td>${escapeHtml(check.checkId)}</td><td>${escapeHtml(entry.deadline)} (${entry.overdue ? `<strong>overdue</strong> by ${-entry.minutesLeft} minutes` : `${entry.minutesLeft} minutes left`})</td><td>${check.idType ? escapeHtml(photoIdTypes[check.idType]) : ''}</td><td>${escapeHtml(check.video?.numbers ?? '')} (${check.video ? escapeHtml(videoMethods[check.video.method]) : ''})</td><td>${escapeHtml(entered)}</td><td>${escapeHtml(pdsCell(check.detailsMatch))}</td><td>${entry.decidable ? decisionForm(check.accountId, check.checkId) : 'starting'}</td></tr>`;
          });
          send(
            response,
            200,
            `<h1>Photo-ID checks waiting for a reviewer</h1><p>Local only: decisions go through the workflow's decision port, as the review console's will.</p><table><thead><tr><th>Check</th><th>Due</th><th>ID</th><th>Numbers</th><th>Entered</th><th>PDS</th><th>Decision</th></tr></thead><tbody>${rows.join('') || '<tr><td colspan="7">None waiting</td></tr>'}</tbody></table>`,
          );
        },
        () => send(response, 503, '<p>The store could not be read.</p>'),
      );
      return true;
    }
    if (path === DECIDE_PATH && request.method === 'POST') {
      // Only a form of this server may decide: a page on another site cannot post here.
      if (request.headers.origin !== new URL(deps.issuer).origin) {
        request.resume();
        send(response, 403, '<p>Decisions are taken from this page only.</p>');
        return true;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_FORM_BYTES) chunks.push(chunk);
      });
      request.on('end', () => {
        const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
        const decision = readReviewDecision(Object.fromEntries(form));
        const accountId = form.get('accountId') ?? '';
        if (size > MAX_FORM_BYTES || !decision) return send(response, 400, '<p>That is not a decision.</p>');
        void deps.checks
          .current(accountId)
          .then(async (check) => {
            if (!check?.taskToken || check.checkId !== form.get('checkId'))
              return send(response, 409, '<p>The check is not waiting for a decision.</p>');
            await deps.decisions.decide(
              { taskToken: check.taskToken, checkId: check.checkId, attempt: check.attempt },
              decision,
              'local-reviewer',
            );
            response.writeHead(303, { location: PHOTO_ID_REVIEW_PATH, 'cache-control': 'no-store' });
            response.end();
          })
          .catch(() => send(response, 409, '<p>The check moved on meanwhile: look again.</p>'));
      });
      return true;
    }
    return false;
  };

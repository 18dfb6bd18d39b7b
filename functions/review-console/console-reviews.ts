import { consoleUrlFor } from '../../src/console-routes.ts';
import { InvalidRequestError, NotFoundError } from '../../src/domain/errors.ts';
import type { AutomatedCheckResults } from '../../src/domain/identity/photo-id/automated-checks.ts';
import {
  type DetailsMatch,
  type PhotoIdCheck,
  photoIdTypes,
  readReviewDecision,
  videoMethods,
} from '../../src/domain/identity/photo-id/photo-id-check.ts';
import type {
  PhotoIdReviews,
  QueueEntry,
  RecordedStep,
} from '../../src/domain/identity/photo-id/photo-id-reviews.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import { identityCheckRejectionReasons } from '../../src/domain/messaging/email-templates.ts';
import { type StaffAccount, staffMay } from '../../src/domain/staff/staff-account.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import type { createConsolePageRoutes, StaffRequest } from '../../src/web/console/console-page-routes.ts';
import type { ContentSecurityAdditions } from '../../src/web/page-response.ts';
import { textFields } from '../../src/web/page-routes.ts';

export interface ConsoleReviewDependencies {
  readonly reviews: PhotoIdReviews;
  /** Where the media links point (S3's origin in AWS, the dev server's locally): the check page's CSP allows it. */
  readonly mediaOrigin: string;
}

const londonTime = (iso: string): string =>
  new Date(iso).toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
    timeZone: 'Europe/London',
  });

const duration = (minutes: number): string => {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return [
    hours > 0 ? `${hours} hour${hours === 1 ? '' : 's'}` : '',
    rest > 0 || hours === 0 ? `${rest} minute${rest === 1 ? '' : 's'}` : '',
  ]
    .filter(Boolean)
    .join(' ');
};

/** "45 minutes left" or "Overdue by 1 hour 5 minutes": by the stored deadline the workflow's timer uses. */
const timeLeft = (entry: Pick<QueueEntry, 'minutesLeft' | 'overdue'>): string =>
  entry.overdue
    ? `Overdue by ${duration(Math.max(0, -entry.minutesLeft))}`
    : `${duration(entry.minutesLeft)} left`;

const nameOf = (members: readonly StaffAccount[], staffId: string | undefined): string | undefined =>
  staffId === undefined
    ? undefined
    : (members.find((member) => member.staffId === staffId)?.name ?? 'Unknown');

const enteredDetails = (check: PhotoIdCheck) => {
  const details = check.details;
  if (!details) return [];
  const born = { key: 'Date of birth', value: details.birthDate };
  return 'nhsNumber' in details
    ? [born, { key: 'NHS number', value: details.nhsNumber }]
    : [
        { key: 'Name', value: `${details.givenName} ${details.familyName}` },
        born,
        { key: 'Postcode', value: details.postcode },
      ];
};

const pdsRecord = (match: DetailsMatch | undefined) => {
  if (!match) return { matched: false, summary: 'Not checked yet' };
  if (match.kind === 'not-matched')
    return {
      matched: false,
      summary: 'No NHS record matched the details entered: this check cannot be approved',
    };
  if (match.kind === 'unavailable')
    return {
      matched: false,
      summary: 'PDS could not be reached when the details were checked: this check cannot be approved',
    };
  return {
    matched: true,
    summary: 'Matched an NHS record',
    rows: [
      {
        key: 'Name on the NHS record',
        value: [match.givenName, match.familyName].filter(Boolean).join(' ') || 'Not recorded',
      },
      { key: 'Date of birth on the NHS record', value: match.birthDate ?? 'Not recorded' },
      { key: 'NHS number', value: match.nhsNumber },
    ],
  };
};

const percent = (value: number) => `${value.toFixed(1)}%`;

/** A similarity this high is more often the same picture than two pictures of one person. */
const NEAR_IDENTICAL = 99.5;

const notRunReasons = {
  'no-still': 'Not run: the patient’s browser sent no still from the video',
  'too-large': 'Not run: the image is larger than the service takes',
  unavailable: 'Not run: the service could not be reached; check by eye',
} as const;

const yesNo = (value: boolean | undefined, what: string) =>
  value === undefined ? `No ${what} to compare with` : value ? 'Matches' : 'Does not match';

/** The automated checks as rows for the reviewer, each with its confidence: advisory, never a decision. */
const automatedRows = (results: AutomatedCheckResults | undefined) => {
  if (!results) return undefined;
  const { face, text, mrz, expiry, age } = results;
  const faceRow =
    face.kind === 'compared'
      ? {
          value: `${percent(face.similarity)} similar`,
          detail: [
            `Faces found with ${percent(face.photoFaceConfidence)} confidence on the ID and ${percent(face.stillFaceConfidence)} in the still (which the patient’s browser sent).`,
            // Two photos of one face are rarely this alike: the still may be the ID's photo itself.
            ...(face.similarity >= NEAR_IDENTICAL
              ? ['Nearly identical: check the still is a frame of the video, not the ID.']
              : []),
          ].join(' '),
          flag: face.similarity < 90 || face.similarity >= NEAR_IDENTICAL,
        }
      : face.kind === 'no-face'
        ? {
            value: `No face found in the ${face.in === 'photo' ? 'photo of the ID' : 'still from the video'}`,
            flag: true,
          }
        : { value: notRunReasons[face.why], flag: true };
  const lines = text.kind === 'read' ? text.lines : [];
  const textRow =
    text.kind === 'read'
      ? {
          value: `${lines.length} line${lines.length === 1 ? '' : 's'} read`,
          detail:
            lines.length > 0
              ? `Lowest confidence ${percent(Math.min(...lines.map((line) => line.confidence)))}`
              : 'No text found on the photo of the ID',
          flag: lines.length === 0,
        }
      : { value: notRunReasons[text.why], flag: true };
  const mrzRow =
    mrz.kind === 'not-on-this-id'
      ? { value: 'This ID has no machine-readable zone: compare its printed details by eye', flag: false }
      : mrz.kind === 'not-found'
        ? { value: 'No machine-readable zone could be read', flag: true }
        : {
            value: mrz.valid ? 'Read, every check digit right' : 'Read, with check digits or fields wrong',
            detail: [
              `${mrz.surname ?? '?'}, ${mrz.givenNames ?? '?'}; born ${mrz.birthDate ?? '?'}; document ${mrz.documentNumber ?? '?'}; expires ${mrz.expiryDate ?? '?'}`,
              `Surname: ${yesNo(mrz.surnameMatches, 'surname')}. Date of birth: ${yesNo(mrz.birthDateMatches, 'date of birth')}.`,
              ...mrz.checks.filter((check) => !check.valid).map((check) => `Wrong: ${check.label}`),
            ].join(' '),
            flag: !mrz.valid || mrz.surnameMatches === false || mrz.birthDateMatches === false,
          };
  const expiryRow =
    expiry.kind === 'unknown'
      ? { value: 'Not found on the ID: check the expiry date by eye', flag: true }
      : {
          value:
            expiry.kind === 'in-date'
              ? `In date (expires ${expiry.expiryDate})`
              : expiry.kind === 'in-grace'
                ? `Expired ${expiry.expiryDate}, within the 12 months allowed`
                : `Expired ${expiry.expiryDate}, more than 12 months ago`,
          flag: expiry.kind === 'expired',
        };
  return {
    ranAt: londonTime(results.ranAt),
    rows: [
      { key: 'Face on the ID and in the video', ...faceRow },
      { key: 'Text on the ID', ...textRow },
      { key: 'Machine-readable zone', ...mrzRow },
      { key: 'Expiry', ...expiryRow },
      ...(age
        ? [
            {
              key: 'Age',
              value: `${age.years} years`,
              detail: age.from === 'nhs-record' ? 'From the NHS record' : 'From the date of birth entered',
              flag: age.years < 13,
            },
          ]
        : []),
    ],
    lines: lines.map((line) => ({ text: line.text, confidence: percent(line.confidence) })),
  };
};

const describeStep = (step: RecordedStep): string => {
  if (step.type === 'check-assigned') return 'Assigned the check';
  const [outcome, why] = (step.detail ?? '').split(':');
  if (outcome === 'approved') return 'Approved';
  if (outcome === 'rejected')
    return `Rejected: ${identityCheckRejectionReasons[why as keyof typeof identityCheckRejectionReasons]?.why ?? why}`;
  if (outcome === 'more-needed') return `Asked for a new ${why}`;
  return step.type;
};

const rejectionReasons = Object.entries(identityCheckRejectionReasons).map(([value, reason]) => ({
  value,
  text: reason.why,
}));

/** Ids in paths and forms are ours (UUIDs): anything else is no check of ours, never a store key. */
const ID = /^[A-Za-z0-9-]{1,64}$/;
const idOf = (value: string | undefined, what: string): string => {
  if (value === undefined || !ID.test(value)) throw new NotFoundError(`There is no such ${what}.`);
  return value;
};

const decisionFields = textFields('checkId', 'attempt', 'outcome', 'reason', 'needed');
const assignmentFields = textFields('reviewer');

/** The queue, a check's page with its decision and assignment, and the supervisors' record. */
export const consoleReviewPages = (
  deps: ConsoleReviewDependencies,
  { staffPage }: ReturnType<typeof createConsolePageRoutes>,
): Record<
  'console-queue' | 'console-check' | 'console-decision' | 'console-assignment' | 'console-record',
  RouteDefinition
> => {
  const contentSecurity: ContentSecurityAdditions = {
    imageSources: [deps.mediaOrigin],
    mediaSources: [deps.mediaOrigin],
  };

  /** The check page's data: opening it is the audited view. */
  const checkPage = async ({ staff, path, sourceIp }: StaffRequest<unknown>) => {
    const accountId = idOf(path.accountId, 'check');
    const review = await deps.reviews.open(staff, accountId, sourceIp);
    const { check, reviewers, history } = review;
    return {
      title: `Photo-ID check ${check.checkId}`,
      check: {
        id: check.checkId,
        attempt: check.attempt,
        state: check.state,
        submittedAt: check.submittedAt && londonTime(check.submittedAt),
        deadline: check.deadline && londonTime(check.deadline),
        idType: check.idType && photoIdTypes[check.idType],
        videoMethod: check.video && videoMethods[check.video.method],
        numbers: check.video?.numbers.split('').join(' '),
        details: enteredDetails(check),
      },
      pds: pdsRecord(check.detailsMatch),
      photoUrl: review.photoUrl,
      videoUrl: review.videoUrl,
      stillUrl: review.stillUrl,
      automated: automatedRows(check.automatedChecks),
      decidable: review.decidable && staffMay(staff.role, 'decide'),
      approvable: review.approvable,
      rejectionReasons,
      decisionAction: consoleUrlFor('console-decision', { accountId }),
      assignmentAction: consoleUrlFor('console-assignment', { accountId }),
      canAssign: staffMay(staff.role, 'reassign') && ['submitted', 'in-review'].includes(check.state),
      reviewers: reviewers.map((member) => ({
        value: member.staffId,
        text: `${member.name} (${member.role})`,
        selected: member.staffId === review.assignedTo,
      })),
      assignedTo: nameOf(reviewers, review.assignedTo),
      history: history.map((step) => ({
        at: londonTime(step.at),
        who: step.staffName,
        what:
          step.type === 'check-decided' || step.type === 'check-assigned'
            ? describeStep(step)
            : step.type === 'check-viewed'
              ? `Viewed (attempt ${step.attempt ?? ''})`
              : step.type,
      })),
    };
  };

  return {
    'console-queue': staffPage({
      handle: async ({ staff, query, sourceIp }) => {
        const entries = await deps.reviews.queue(staff, sourceIp);
        const members = staffMay(staff.role, 'reassign') ? await deps.reviews.reviewers(staff) : [];
        return {
          view: 'console/queue.njk',
          data: {
            title: 'Photo-ID checks waiting for review',
            decided: query.decided && ID.test(query.decided) ? query.decided : undefined,
            canOpen: staffMay(staff.role, 'open-check'),
            checks: entries.map((entry) => ({
              checkId: entry.checkId,
              attempt: entry.attempt,
              href: consoleUrlFor('console-check', { accountId: entry.accountId }),
              submittedAt: londonTime(entry.submittedAt),
              deadline: londonTime(entry.deadline),
              timeLeft: timeLeft(entry),
              overdue: entry.overdue,
              status: entry.decidable ? 'Waiting for a reviewer' : 'Being prepared',
              assignedTo: entry.assignedTo && (nameOf(members, entry.assignedTo) ?? 'Another reviewer'),
            })),
          },
        };
      },
    }),
    'console-check': staffPage({
      contentSecurity,
      handle: async (request) => ({ view: 'console/check.njk', data: await checkPage(request) }),
    }),
    'console-decision': staffPage({
      fields: decisionFields,
      formView: 'console/check.njk',
      formData: checkPage,
      contentSecurity,
      handle: async ({ staff, form, path, sourceIp }) => {
        const decision = readReviewDecision(form);
        if (!decision) {
          throw new InvalidInputError([
            form.outcome === 'rejected'
              ? { field: 'reason', message: 'Choose why the check is rejected' }
              : form.outcome === 'more-needed'
                ? { field: 'needed', message: 'Choose what the patient needs to send again' }
                : { field: 'outcome', message: 'Choose a decision' },
          ]);
        }
        // The hidden fields name the submission the page showed: anything else is not a decision of ours.
        if (!/^\d{1,4}$/.test(form.attempt) || !ID.test(form.checkId))
          throw new InvalidRequestError('That is not a decision on a check.');
        await deps.reviews.decide(
          staff,
          { accountId: idOf(path.accountId, 'check'), checkId: form.checkId, attempt: Number(form.attempt) },
          decision,
          sourceIp,
        );
        return { redirect: consoleUrlFor('console-queue', {}, { decided: form.checkId }) };
      },
    }),
    'console-assignment': staffPage({
      fields: assignmentFields,
      handle: async ({ staff, form, path, sourceIp }) => {
        const accountId = idOf(path.accountId, 'check');
        await deps.reviews.assign(staff, accountId, idOf(form.reviewer, 'reviewer'), sourceIp);
        return { redirect: consoleUrlFor('console-check', { accountId }) };
      },
    }),
    'console-record': staffPage({
      handle: async ({ staff, sourceIp }) => {
        const steps = await deps.reviews.record(staff, sourceIp);
        return {
          view: 'console/record.njk',
          data: {
            title: 'Decisions record',
            steps: steps.map((step) => ({
              at: londonTime(step.at),
              who: step.staffName,
              what: describeStep(step),
              checkId: step.checkId,
              attempt: step.attempt,
            })),
          },
        };
      },
    }),
  };
};

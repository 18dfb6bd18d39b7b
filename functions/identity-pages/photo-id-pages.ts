import { DateTime } from 'luxon';
import type { Account } from '../../src/domain/accounts/account.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { readDetailsForm } from '../../src/domain/identity/details-check.ts';
import {
  type PhotoIdCheck,
  photoIdTypes,
  videoMethods,
} from '../../src/domain/identity/photo-id/photo-id-check.ts';
import {
  CheckIncompleteError,
  CheckInProgressError,
  type PhotoIdSubmission,
  UploadMissingError,
} from '../../src/domain/identity/photo-id/photo-id-submission.ts';
import { SpokenNumbersUnusableError } from '../../src/domain/identity/photo-id/spoken-numbers.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import { identityCheckRejectionReasons } from '../../src/domain/messaging/email-templates.ts';
import { PatientProblemError } from '../../src/domain/patient-problems.ts';
import type { BrowserSession } from '../../src/domain/sessions/browser-session.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import { type RouteId, urlFor } from '../../src/routes.ts';
import {
  type PageDefinition,
  type PageOutcome,
  type PageRequest,
  textFields,
} from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';

export interface PhotoIdPagesDependencies {
  readonly photoIdSubmission: Pick<
    PhotoIdSubmission,
    | 'current'
    | 'chooseIdType'
    | 'photoUpload'
    | 'photoUploaded'
    | 'videoUpload'
    | 'videoUploaded'
    | 'enterDetails'
    | 'submit'
  >;
  /** Where the browser uploads the media (the S3 bucket's origin; the dev server's own locally). */
  readonly mediaOrigin: string;
  /** Our issuer: the photo upload form comes back to one of our pages, by absolute URL. */
  readonly issuer: string;
  /** The staffed hours' zone, in which the deadline is shown. */
  readonly staffedZone: string;
  readonly clock: Clock;
}

/** The "check your details" form's fields: the P5 check's page and the photo-ID details page. */
export const detailsFields = textFields(
  'day',
  'month',
  'year',
  'knowsNhsNumber',
  'nhsNumber',
  'givenName',
  'familyName',
  'postcode',
);

/** The next thing the check needs, by its route: the order of seed 001's journey. */
const nextStep = (check: PhotoIdCheck): RouteId => {
  if (!check.idType) return 'prove-identity-photo-id';
  if (!check.photo) return 'prove-identity-photo-id-photo';
  if (!check.video) return 'prove-identity-photo-id-video';
  if (!check.details) return 'prove-identity-photo-id-details';
  return 'prove-identity-photo-id-check';
};

const idTypeItems = (chosen?: string) =>
  Object.entries(photoIdTypes).map(([value, text]) => ({ value, text, checked: value === chosen }));

const methodItems = (chosen?: string) =>
  Object.entries(videoMethods).map(([value, text]) => ({ value, text, checked: value === chosen }));

/** "10:30am on Thursday 3 December", in the staffed hours' zone. */
const whenDue = (deadline: string, zone: string) => {
  const at = DateTime.fromISO(deadline, { zone });
  return `${at.toFormat('h:mma').toLowerCase()} on ${at.toFormat('cccc d LLLL')}`;
};

/**
 * The photo-ID pages (seed 001): the ID, its photo (a plain file input that posts straight to the
 * media store, with `capture`, so it works without JavaScript), the video of the 4 numbers (the
 * camera and microphone, on that page alone), the details, the answers to check, and the check's
 * status while it is with the reviewers. One check at a time: with one in progress, every page
 * shows its status instead.
 */
export const createPhotoIdPages = (
  deps: PhotoIdPagesDependencies,
  helpers: {
    readonly page: Page;
    readonly loggedIn: (request: PageRequest) => Promise<Account | undefined>;
    readonly toLogin: (session: BrowserSession) => PageOutcome;
  },
) => {
  const { page, loggedIn, toLogin } = helpers;
  const media = [deps.mediaOrigin];
  const status = { redirect: urlFor('prove-identity-photo-id') } as const;

  /** A page of the journey for a logged-in patient whose check is open; the status page otherwise. */
  const journeyPage = (
    definition: Omit<PageDefinition, 'handle' | 'fields'> & {
      readonly fields?: PageDefinition['fields'];
      handle(request: PageRequest, account: Account): Promise<PageOutcome>;
    },
  ): RouteDefinition =>
    page({
      ...definition,
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        try {
          return await definition.handle(request, account);
        } catch (error) {
          if (error instanceof CheckInProgressError) return status;
          if (error instanceof UploadMissingError)
            throw new PatientProblemError('photo-id-upload-failed', { logDetail: error.logDetail });
          if (error instanceof CheckIncompleteError) return { redirect: urlFor('prove-identity-photo-id') };
          throw error;
        }
      },
    });

  const startData = (check: PhotoIdCheck | undefined): Record<string, unknown> => {
    const decision = check?.state === 'rejected' ? check.decision?.decision : undefined;
    return {
      title: 'Prove who you are with photo ID and a video',
      idTypes: idTypeItems(check?.state === 'collecting' ? check.idType : undefined),
      lastCheck:
        decision?.outcome === 'rejected' ? identityCheckRejectionReasons[decision.reason] : undefined,
      lastFailed: check?.state === 'failed',
      values: {},
    };
  };
  const startPage = (check: PhotoIdCheck | undefined): PageOutcome => ({
    view: 'pages/photo-id-start.njk',
    data: startData(check),
  });

  return {
    'prove-identity-photo-id': page({
      handle: async (request) => {
        const account = await loggedIn(request);
        if (!account) return toLogin(request.session);
        const check = await deps.photoIdSubmission.current(account);
        if (check && (check.state === 'submitted' || check.state === 'in-review'))
          return {
            view: 'pages/photo-id-status.njk',
            data: {
              title: 'We are checking your photo ID and video',
              submittedAt: check.submittedAt && whenDue(check.submittedAt, deps.staffedZone),
              due: check.deadline && whenDue(check.deadline, deps.staffedZone),
              email: account.email,
            },
          };
        if (check?.state === 'more-needed')
          return {
            view: 'pages/photo-id-more-needed.njk',
            data: {
              title:
                check.needed === 'video' ? 'We need a new video of you' : 'We need a new photo of your ID',
              needed: check.needed,
            },
          };
        if (check?.state === 'approved' && account.proofingLevel === 'P9')
          return {
            view: 'pages/message.njk',
            data: {
              title: 'You have proved who you are',
              paragraphs: [
                'We checked your photo ID and video. Services that need your NHS number can now use your NHS login.',
              ],
            },
          };
        return startPage(check);
      },
    }),
    'prove-identity-photo-id-submit': journeyPage({
      bindsToAuthorization: true,
      fields: textFields('idType'),
      formView: 'pages/photo-id-start.njk',
      formData: () => startData(undefined),
      handle: async (request, account) => {
        const idType = request.form.idType ?? '';
        if (!Object.hasOwn(photoIdTypes, idType))
          throw new InvalidInputError([{ field: 'idType', message: 'Select the photo ID you will use' }]);
        const check = await deps.photoIdSubmission.chooseIdType(account, idType as keyof typeof photoIdTypes);
        return { redirect: urlFor(nextStep(check)) };
      },
    }),
    'prove-identity-photo-id-photo': journeyPage({
      contentSecurity: { formTargets: media, connectSources: media },
      handle: async (_request, account) => {
        const check = await deps.photoIdSubmission.current(account);
        if (!check?.idType && check?.state !== 'more-needed')
          return { redirect: urlFor('prove-identity-photo-id') };
        const upload = await deps.photoIdSubmission.photoUpload(account, {
          returnTo: `${deps.issuer}${urlFor('prove-identity-photo-id-photo-uploaded')}`,
        });
        return {
          view: 'pages/photo-id-photo.njk',
          data: {
            title: 'Take a photo of your ID',
            idType: check?.idType ? photoIdTypes[check.idType] : 'photo ID',
            upload,
            maxMegabytes: Math.floor(upload.maxBytes / (1024 * 1024)),
          },
        };
      },
    }),
    // The media store sends the browser here after a photo upload, with the object's key.
    'prove-identity-photo-id-photo-uploaded': journeyPage({
      handle: async (request, account) => {
        const check = await deps.photoIdSubmission.photoUploaded(account, request.query.key ?? '');
        return { redirect: urlFor(nextStep(check)) };
      },
    }),
    'prove-identity-photo-id-video': journeyPage({
      contentSecurity: { connectSources: media, mediaSources: ['blob:'] },
      handle: async (request, account) => {
        const check = await deps.photoIdSubmission.current(account);
        if (!check?.photo) return { redirect: urlFor('prove-identity-photo-id') };
        const { challenge, uploads, stillUpload } = await deps.photoIdSubmission.videoUpload(account);
        return {
          view: 'pages/photo-id-video.njk',
          data: {
            title: 'Record a short video of your face',
            numbers: challenge.numbers.split(''),
            challengeId: challenge.challengeId,
            uploads,
            uploadsJson: JSON.stringify(
              uploads.map(({ url, fields, contentType, maxBytes, key }) => ({
                url,
                fields,
                contentType,
                maxBytes,
                key,
              })),
            ),
            stillUploadJson: JSON.stringify({
              url: stillUpload.url,
              fields: stillUpload.fields,
              contentType: stillUpload.contentType,
              maxBytes: stillUpload.maxBytes,
              key: stillUpload.key,
            }),
            methods: methodItems(request.query.method),
            numbersReplaced: request.query.numbers === 'replaced',
          },
        };
      },
    }),
    'prove-identity-photo-id-video-submit': journeyPage({
      bindsToAuthorization: true,
      fields: textFields('key', 'challengeId', 'method', 'stillKey'),
      handle: async (request, account) => {
        const { key, challengeId, method, stillKey } = request.form;
        if (!Object.hasOwn(videoMethods, method ?? ''))
          return { redirect: urlFor('prove-identity-photo-id-video') };
        try {
          const check = await deps.photoIdSubmission.videoUploaded(account, {
            key: key ?? '',
            challengeId: challengeId ?? '',
            method: method as keyof typeof videoMethods,
            stillKey,
          });
          return { redirect: urlFor(nextStep(check)) };
        } catch (error) {
          // The numbers were replaced (another tab) or expired: record again with the new ones.
          if (error instanceof SpokenNumbersUnusableError)
            return { redirect: urlFor('prove-identity-photo-id-video', { numbers: 'replaced' }) };
          throw error;
        }
      },
    }),
    'prove-identity-photo-id-details': journeyPage({
      handle: async (_request, account) => {
        const check = await deps.photoIdSubmission.current(account);
        if (!check?.video) return { redirect: urlFor('prove-identity-photo-id') };
        return {
          view: 'pages/check-details.njk',
          data: {
            title: 'Enter your details',
            action: urlFor('prove-identity-photo-id-details'),
            photoId: true,
            values: {},
          },
        };
      },
    }),
    'prove-identity-photo-id-details-submit': journeyPage({
      bindsToAuthorization: true,
      fields: detailsFields,
      formView: 'pages/check-details.njk',
      formData: () => ({
        title: 'Enter your details',
        action: urlFor('prove-identity-photo-id-details'),
        photoId: true,
      }),
      handle: async (request, account) => {
        const details = readDetailsForm(
          request.form as unknown as Parameters<typeof readDetailsForm>[0],
          deps.clock(),
        );
        const check = await deps.photoIdSubmission.enterDetails(account, details);
        return { redirect: urlFor(nextStep(check)) };
      },
    }),
    'prove-identity-photo-id-check': journeyPage({
      handle: async (_request, account) => {
        const check = await deps.photoIdSubmission.current(account);
        if (check?.state !== 'collecting') return status;
        if (nextStep(check) !== 'prove-identity-photo-id-check') return { redirect: urlFor(nextStep(check)) };
        const details = check.details;
        const row = (key: string, value: string | undefined, change: RouteId) => ({
          key: { text: key },
          value: { text: value ?? '' },
          actions: {
            items: [{ href: urlFor(change), text: 'Change', visuallyHiddenText: key.toLowerCase() }],
          },
        });
        return {
          view: 'pages/photo-id-check.njk',
          data: {
            title: 'Check your answers before sending them',
            rows: [
              row('Photo ID', check.idType && photoIdTypes[check.idType], 'prove-identity-photo-id'),
              row('Photo of your ID', 'Uploaded', 'prove-identity-photo-id-photo'),
              row(
                'Video',
                check.video && `Recorded: ${videoMethods[check.video.method]}`,
                'prove-identity-photo-id-video',
              ),
              row(
                'Date of birth',
                details && DateTime.fromISO(details.birthDate).toFormat('d LLLL yyyy'),
                'prove-identity-photo-id-details',
              ),
              ...(details && 'nhsNumber' in details
                ? [row('NHS number', details.nhsNumber, 'prove-identity-photo-id-details')]
                : details
                  ? [
                      row(
                        'Name',
                        `${details.givenName} ${details.familyName}`,
                        'prove-identity-photo-id-details',
                      ),
                      row('Postcode', details.postcode, 'prove-identity-photo-id-details'),
                    ]
                  : []),
            ],
          },
        };
      },
    }),
    'prove-identity-photo-id-check-submit': journeyPage({
      bindsToAuthorization: true,
      handle: async (request, account) => {
        await deps.photoIdSubmission.submit(account, request.sourceIp);
        return status;
      },
    }),
  };
};

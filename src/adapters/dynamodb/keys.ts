import { createHash } from 'node:crypto';

/**
 * Every item key of the single table is built here, by kind, so prefixes are never typed twice.
 * Values that could contain the separator are not used as keys unencoded.
 */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/**
 * A fixed-length stand-in for an identifier that is personal data (an IP address, a phone number)
 * or may hold the separator, so such values never appear in keys (or in key-based metrics).
 */
const digest = (value: string): string => createHash('sha256').update(value).digest('base64url');

/** The partition of one day's (UTC, YYYY-MM-DD) staff audit events. */
export const staffAuditDay = (day: string): string => `STAFF_AUDIT#${day}`;

export const keys = {
  client: (clientId: string): ItemKey => ({ pk: `CLIENT#${clientId}`, sk: 'CLIENT' }),
  /** One fixed window of a rate limit's count (scope e.g. `password-ip`), starting at epoch seconds. */
  counter: (scope: string, id: string, windowStart: number): ItemKey => ({
    pk: `COUNTER#${scope}#${digest(id)}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** One shard of a service-wide counter (scope e.g. `new-number-texts`), in one fixed window: no single hot item. */
  shardedCounter: (scope: string, shard: number, windowStart: number): ItemKey => ({
    pk: `SHARDED_COUNTER#${scope}#${shard}`,
    sk: `WINDOW#${windowStart}`,
  }),
  /** A phone number the service has texted before (digested: the number is personal data). */
  knownPhoneNumber: (e164: string): ItemKey => ({ pk: `PHONE#${digest(e164)}`, sk: 'TEXTED' }),
  /** The consecutive failures of one key of a scope (e.g. `code-failures` of an account), forgotten after a while. */
  failures: (scope: string, id: string): ItemKey => ({
    pk: `FAILURES#${scope}#${digest(id)}`,
    sk: 'FAILURES',
  }),
  /** The wrong passwords counted against one account key (a hash of an address), by source. */
  passwordFailures: (accountKey: string): ItemKey => ({
    pk: `PASSWORD_FAILURES#${digest(accountKey)}`,
    sk: 'PASSWORD_FAILURES',
  }),
  /** A lock on one key of a scope (e.g. `password-account`), expiring when the lock ends. */
  lockout: (scope: string, id: string): ItemKey => ({ pk: `LOCKOUT#${scope}#${digest(id)}`, sk: 'LOCKOUT' }),
  /** The current security code of an account for one purpose (a new code replaces it). */
  securityCode: (accountId: string, purpose: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `SECURITY_CODE#${purpose}`,
  }),
  /** A patient's account; every item of the account shares its partition, so deleting it all is one query. */
  account: (accountId: string): ItemKey => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  /** The claim that makes an email address one account's (digested: the address is personal data). */
  emailClaim: (normalisedEmail: string): ItemKey => ({ pk: `EMAIL#${digest(normalisedEmail)}`, sk: 'EMAIL' }),
  /** The claim that makes an NHS number one account's (digested: the number is personal data). */
  nhsNumberClaim: (nhsNumber: string): ItemKey => ({
    pk: `NHS_NUMBER#${digest(nhsNumber)}`,
    sk: 'NHS_NUMBER',
  }),
  /** The claim that makes one set of GP online-services details one account's: they can be used once. */
  gpLinkClaim: (gpLink: string): ItemKey => ({ pk: `GP_LINK#${digest(gpLink)}`, sk: 'GP_LINK' }),
  /** An account this one replaced, whose clean-up is not finished yet (see `AccountStore.replace`). */
  replacedAccount: (accountId: string, replacedAccountId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `REPLACED#${replacedAccountId}`,
  }),
  /** The numbers an account's photo-ID video must show: the current challenge, single use. */
  spokenNumbers: (accountId: string): ItemKey => ({ pk: `ACCOUNT#${accountId}`, sk: 'SPOKEN_NUMBERS' }),
  /** An account's photo-ID check: the current one, or the last until a new one starts. */
  photoIdCheck: (accountId: string): ItemKey => ({ pk: `ACCOUNT#${accountId}`, sk: 'PHOTO_ID_CHECK' }),
  /** The review queue's partition in gsi1: checks waiting for a reviewer, by deadline. */
  photoIdReviewQueue: 'PHOTO_ID_REVIEW_QUEUE',
  /** A single-use link, by the digest of its token. */
  link: (purpose: string, tokenDigest: string): ItemKey => ({
    pk: `LINK#${purpose}#${tokenDigest}`,
    sk: 'LINK',
  }),
  /** The one working link of a purpose an account may have (it names the link's token digest). */
  accountLinkSlot: (accountId: string, purpose: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `LINK_SLOT#${purpose}`,
  }),
  /** The one working link of a purpose an email address may have, whether or not it has an account. */
  addressLinkSlot: (normalisedEmail: string, purpose: string): ItemKey => ({
    pk: `ADDRESS#${digest(normalisedEmail)}`,
    sk: `LINK_SLOT#${purpose}`,
  }),
  /** An audit event of an email address without an account (a failed login, a reset asked for it). */
  addressEvent: (normalisedEmail: string, at: string, eventId: string): ItemKey => ({
    pk: `ADDRESS#${digest(normalisedEmail)}`,
    sk: `AUDIT#${at}#${eventId}`,
  }),
  /** A browser session, by the digest of its id. */
  session: (idHash: string): ItemKey => ({ pk: `SESSION#${idHash}`, sk: 'SESSION' }),
  /** What a patient agreed to share with one relying party. */
  consent: (accountId: string, clientId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `CONSENT#${clientId}`,
  }),
  /** A remembered device of an account. */
  device: (accountId: string, deviceId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `DEVICE#${deviceId}`,
  }),
  /** One audit event of an account; the sort key orders events by time. */
  auditEvent: (accountId: string, at: string, eventId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `AUDIT#${at}#${eventId}`,
  }),
  /** The replay claim on one client assertion's jti (digested: the client chooses it, any length). */
  clientAssertion: (clientId: string, jti: string): ItemKey => ({
    pk: `CLIENT_ASSERTION#${clientId}#${digest(jti)}`,
    sk: 'CLIENT_ASSERTION',
  }),
  /** An ID token issued to a client, by the digest of its jti, for single sign-on hand-offs. */
  loginIdentity: (clientId: string, idTokenJti: string): ItemKey => ({
    pk: `LOGIN_IDENTITY#${clientId}#${digest(idTokenJti)}`,
    sk: 'LOGIN_IDENTITY',
  }),
  /** An authorization code, by the digest of the code. */
  authorizationCode: (codeDigest: string): ItemKey => ({ pk: `AUTH_CODE#${codeDigest}`, sk: 'AUTH_CODE' }),
  /** A refresh token, by its digest: it names the family (grant) it belongs to. */
  refreshToken: (tokenDigest: string): ItemKey => ({
    pk: `REFRESH_TOKEN#${tokenDigest}`,
    sk: 'REFRESH_TOKEN',
  }),
  /** The refresh token family of one grant: its current token and whether it is revoked. */
  refreshTokenFamily: (grantId: string): ItemKey => ({ pk: `GRANT#${grantId}`, sk: 'REFRESH_FAMILY' }),
  /** The `client_user_metadata` one client keeps for an account, under the account so it goes with it. */
  clientMetadata: (accountId: string, clientId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `CLIENT_METADATA#${clientId}`,
  }),
  /** The console's record of who reviewed an account's photo-ID checks and who its waiting one is given to. */
  photoIdReviewers: (accountId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: 'PHOTO_ID_REVIEWERS',
  }),
  /** A passkey of an account, by the digest of its credential id (which may be up to 1023 bytes). */
  passkey: (accountId: string, credentialId: string): ItemKey => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `PASSKEY#${digest(credentialId)}`,
  }),
  /** The claim that makes a credential id one account's: a login names only the credential. */
  passkeyClaim: (credentialId: string): ItemKey => ({
    pk: `PASSKEY_CREDENTIAL#${digest(credentialId)}`,
    sk: 'PASSKEY_CREDENTIAL',
  }),
  /** A passkey ceremony's challenge, single use. */
  passkeyChallenge: (id: string): ItemKey => ({ pk: `PASSKEY_CHALLENGE#${id}`, sk: 'PASSKEY_CHALLENGE' }),
  /** A member of staff (the review console), apart from every patient item. */
  staffMember: (staffId: string): ItemKey => ({ pk: `STAFF#${staffId}`, sk: 'STAFF' }),
  /** The claim that makes a work email address one staff account's (digested). */
  staffEmailClaim: (normalisedEmail: string): ItemKey => ({
    pk: `STAFF_EMAIL#${digest(normalisedEmail)}`,
    sk: 'STAFF_EMAIL',
  }),
  /** A review console session, by the digest of its id. */
  staffSession: (idHash: string): ItemKey => ({ pk: `STAFF_SESSION#${idHash}`, sk: 'STAFF_SESSION' }),
  /** One staff audit event, under its day (UTC), ordered by time. */
  staffAuditEvent: (day: string, at: string, eventId: string): ItemKey => ({
    pk: staffAuditDay(day),
    sk: `${at}#${eventId}`,
  }),
} as const;

/** Sort-key prefixes of the items kept under an account's partition. */
export const accountItems = {
  device: 'DEVICE#',
  audit: 'AUDIT#',
  replaced: 'REPLACED#',
  passkey: 'PASSKEY#',
} as const;

/** Secondary index keys for listing items of one kind. */
export const listings = {
  clients: 'CLIENTS',
  /** The sessions of one account, so they can all be ended at once. */
  accountSessions: (accountId: string) => `ACCOUNT_SESSIONS#${accountId}`,
  /** The account of a subject (`sub`), for the UserInfo endpoint. */
  subject: (subject: string) => `SUBJECT#${subject}`,
  /** The pending links of one account, so deleting the account deletes them too. */
  accountLinks: (accountId: string) => `ACCOUNT_LINKS#${accountId}`,
  /** Every member of staff, by email address. */
  staffMembers: 'STAFF_MEMBERS',
  /** The staff audit events about one patient account's photo-ID checks. */
  staffAuditOfAccount: (accountId: string) => `STAFF_AUDIT_ACCOUNT#${accountId}`,
} as const;

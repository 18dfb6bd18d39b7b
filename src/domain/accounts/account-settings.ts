import type { AuditEventType, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { CommonPasswordList } from '../credentials/common-passwords.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { checkNewPassword } from '../credentials/password-policy.ts';
import type { RememberedDevices } from '../devices/remembered-devices.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { EmailSendThrottle } from '../limits/email-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import type { TextMessageCaps } from '../limits/text-message-caps.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import {
  BrokenLinkError,
  LinkExpiredError,
  LinkReplacedError,
  LinkUsedError,
  type OneTimeLinks,
  UnknownLinkError,
} from '../links/one-time-links.ts';
import {
  accountDeletedMessage,
  confirmNewEmailMessage,
  emailChangedMessage,
  emailChangeRequestedMessage,
  passwordChangedMessage,
  phoneChangedMessage,
} from '../messaging/email-templates.ts';
import type { EmailSender, SmsSender } from '../messaging/message-senders.ts';
import { phoneChangedTextMessage } from '../messaging/sms-templates.ts';
import { type PatientProblem, PatientProblemError } from '../patient-problems.ts';
import type { SecondFactorChallenge, SecondFactors } from '../second-factors/second-factor.ts';
import type { Sessions } from '../sessions/sessions.ts';
import { type Account, type AccountStore, normaliseEmail, passwordThrottleKey } from './account.ts';
import { EmailAlreadyRegisteredError } from './account-errors.ts';
import type { AccountLinks } from './account-links.ts';
import { checkNewEmailAddress } from './email-address.ts';
import type { NewPhoneNumbers } from './new-phone-numbers.ts';
import type { PatientServiceSettings } from './patient-service.ts';

export interface AccountSettingsDependencies {
  readonly accounts: AccountStore;
  readonly links: OneTimeLinks;
  readonly accountLinks: AccountLinks;
  readonly hasher: PasswordHasher;
  readonly commonPasswords: CommonPasswordList;
  readonly email: EmailSender;
  readonly sms: SmsSender;
  readonly newPhones: NewPhoneNumbers;
  readonly secondFactors: SecondFactors;
  readonly textCaps: TextMessageCaps;
  readonly throttle: PasswordThrottle;
  readonly emailThrottle: EmailSendThrottle;
  readonly sessions: Sessions;
  readonly devices: RememberedDevices;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
}

/** What a wrong link is for each kind of settings link. */
const linkProblems = {
  'confirm-new-email': { expired: 'email-change-link-expired', used: 'email-change-link-used' },
  'report-email-change': { expired: 'email-change-report-expired', used: 'email-change-report-expired' },
  'cancel-phone-change': { expired: 'phone-cancel-link-expired', used: 'phone-cancel-link-used' },
} as const satisfies Record<string, { expired: PatientProblem; used: PatientProblem }>;

const settingsLinkProblem = (purpose: keyof typeof linkProblems, error: unknown): unknown => {
  if (error instanceof LinkUsedError) return new PatientProblemError(linkProblems[purpose].used);
  if (
    error instanceof LinkReplacedError ||
    error instanceof LinkExpiredError ||
    error instanceof UnknownLinkError ||
    error instanceof BrokenLinkError
  ) {
    return new PatientProblemError(linkProblems[purpose].expired, { logDetail: error.code });
  }
  return error;
};

/** What a "this was not me" link can do when it is opened. */
export interface EmailReport {
  readonly linkDigest: string;
  readonly state: 'pending' | 'made' | 'nothing';
  /** Whether the account's second factor is needed first (to put an old address back). */
  readonly needsSecondFactor: boolean;
}

/** How a change of mobile number was authorised, besides the password given again. */
export type PhoneChangeAuthority = 'old-phone-code' | 'old-phone-lost';

/**
 * Login and security settings: email address, password, mobile number, remembered devices,
 * deleting the account. Every change that matters is confirmed to the patient by email, and
 * changes that could lock the patient out are told to the old address or number too.
 */
export class AccountSettings {
  readonly #deps: AccountSettingsDependencies;

  constructor(deps: AccountSettingsDependencies) {
    this.#deps = deps;
  }

  /**
   * Emails a confirmation link to the new address (the change happens when it is opened) and tells
   * the current address, with a link to report that it was not the patient. Capped per account,
   * per network and per target address, so nobody can use it to flood a mailbox. Only the newest
   * request's link works.
   */
  async requestEmailChange(
    account: Account,
    newEmail: string,
    password: string,
    sourceIp: string,
  ): Promise<void> {
    const problems = [
      ...checkNewEmailAddress(newEmail, { emptyMessage: 'Enter your new email address' }),
      ...(await this.#passwordProblems(account, password, sourceIp)),
    ];
    if (normaliseEmail(newEmail) === normaliseEmail(account.email)) {
      problems.push({
        field: 'email',
        message: 'Enter an email address that is different from your current one',
      });
    }
    if (problems.length > 0) throw new InvalidInputError(problems);
    const target = newEmail.trim();
    await this.#deps.emailThrottle.admitEmailChange(account.accountId, normaliseEmail(target), sourceIp);
    const { links, service, limits } = this.#deps;
    const lifetime = limits.confirmationLinkLifetimeSeconds;
    const owner = { accountId: account.accountId };
    const token = await links.issue(
      'confirm-new-email',
      { accountId: account.accountId, newEmail: target, email: normaliseEmail(account.email) },
      lifetime,
      owner,
    );
    const reportToken = await this.#reportLink(account, lifetime);
    await this.#deps.email.send(
      confirmNewEmailMessage({
        to: target,
        serviceName: service.serviceName,
        link: service.pageUrl('settings-email-confirm', { token }),
        validForMinutes: lifetime / 60,
      }),
    );
    await this.#deps.email.send(
      emailChangeRequestedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
        reportLink: service.pageUrl('settings-email-report', { token: reportToken }),
        validForMinutes: lifetime / 60,
      }),
    );
    await this.#audit(account.accountId, 'email-change-requested', sourceIp);
  }

  /**
   * Opens the link sent to a new address: the account moves to it, every other pending link of
   * the account stops working, and the old address is told.
   */
  async confirmEmailChange(token: string | undefined, sourceIp: string): Promise<void> {
    const payload = await this.#redeem('confirm-new-email', token);
    const account = await this.#deps.accounts.findById(payload.accountId ?? '');
    // The link was for the address the account had then: a change since (undone or not) ends it.
    if (!account || normaliseEmail(account.email) !== payload.email)
      throw new PatientProblemError('email-change-link-expired', { logDetail: 'account-changed' });
    const newEmail = payload.newEmail ?? '';
    try {
      await this.#deps.accounts.changeEmail(account.accountId, newEmail);
    } catch (error) {
      if (error instanceof EmailAlreadyRegisteredError) throw new PatientProblemError('email-address-taken');
      throw error;
    }
    await this.#deps.accountLinks.endPending(account);
    await this.#audit(account.accountId, 'email-changed', sourceIp);
    const lifetime = this.#deps.limits.confirmationLinkLifetimeSeconds;
    const reportToken = await this.#reportLink(account, lifetime);
    await this.#deps.email.send(
      emailChangedMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        contactLink: this.#deps.service.contactLink,
        reportLink: this.#deps.service.pageUrl('settings-email-report', { token: reportToken }),
        validForMinutes: lifetime / 60,
      }),
    );
  }

  /**
   * The old address's "this was not me" link. Like the phone undo link it is nobody's slot, so
   * nothing the account does next (a confirmed change, another request) ends it early.
   */
  async #reportLink(account: Account, lifetimeSeconds: number): Promise<string> {
    return this.#deps.links.issue(
      'report-email-change',
      { accountId: account.accountId, oldEmail: account.email },
      lifetimeSeconds,
    );
  }

  /**
   * What the old address's "this was not me" link can do now: cancel a change still pending,
   * put the old address back once the change was made (after the account's second factor, so
   * whoever holds an old mailbox cannot drag a patient back to it), or nothing.
   */
  async openEmailReport(token: string | undefined): Promise<EmailReport> {
    const linkDigest = this.#reportDigest(token);
    const { account, oldEmail } = await this.#reportedAccount(linkDigest);
    const made = normaliseEmail(account.email) !== normaliseEmail(oldEmail);
    if (made) return { linkDigest, state: 'made', needsSecondFactor: this.#deps.secondFactors.has(account) };
    const pending = await this.#deps.links.inUse({
      purpose: 'confirm-new-email',
      owner: { accountId: account.accountId },
    });
    return { linkDigest, state: pending ? 'pending' : 'nothing', needsSecondFactor: false };
  }

  /**
   * Cancels a pending change: its link stops, and every session of the account ends and every
   * remembered device is forgotten (whoever asked was logged in and knew the password).
   */
  async cancelReportedChange(linkDigest: string, sourceIp: string): Promise<void> {
    const { account, oldEmail } = await this.#reportedAccount(linkDigest);
    const slot = { purpose: 'confirm-new-email', owner: { accountId: account.accountId } } as const;
    // Nothing pending, nothing to do: an old mailbox alone must not be able to log the patient out.
    if (normaliseEmail(account.email) !== normaliseEmail(oldEmail) || !(await this.#deps.links.inUse(slot)))
      throw new PatientProblemError('email-change-report-expired', { logDetail: 'nothing-pending' });
    await this.#deps.links.redeem('report-email-change', { digest: linkDigest }).catch((error: unknown) => {
      throw settingsLinkProblem('report-email-change', error);
    });
    await this.#deps.links.end([slot]);
    await this.#lockOut(account.accountId, sourceIp);
  }

  /** Sends the account's second factor challenge before an old address is put back. */
  async sendRestoreCode(linkDigest: string, sourceIp: string): Promise<SecondFactorChallenge> {
    const { account } = await this.#reportedAccount(linkDigest);
    return this.#deps.secondFactors.of(account).challenge(account, 'restore-email', sourceIp);
  }

  /** Checks the code; the link then records it, for this browser's step. */
  async verifyRestoreCode(linkDigest: string, code: string, sourceIp: string): Promise<void> {
    const { account } = await this.#reportedAccount(linkDigest);
    await this.#deps.secondFactors.of(account).verify(account, 'restore-email', code, sourceIp);
    await this.#deps.links.recordSecondFactor('report-email-change', { digest: linkDigest });
  }

  /**
   * Puts the old address back once the second factor was passed for this link in this browser:
   * the account moves back, the pending links of both addresses end, every session ends and every
   * remembered device is forgotten.
   */
  async putBackEmail(
    step: { linkDigest: string; secondFactorPassed: boolean },
    sourceIp: string,
  ): Promise<void> {
    const { account, oldEmail, secondFactorAt } = await this.#reportedAccount(step.linkDigest);
    if (normaliseEmail(account.email) === normaliseEmail(oldEmail))
      throw new PatientProblemError('email-change-report-expired', { logDetail: 'already-back' });
    const passed = secondFactorAt !== undefined && step.secondFactorPassed;
    if (this.#deps.secondFactors.has(account) && !passed)
      throw new PatientProblemError('recovery-needs-second-factor');
    await this.#deps.links
      .redeem('report-email-change', { digest: step.linkDigest })
      .catch((error: unknown) => {
        throw settingsLinkProblem('report-email-change', error);
      });
    try {
      await this.#deps.accounts.changeEmail(account.accountId, oldEmail);
    } catch (error) {
      if (error instanceof EmailAlreadyRegisteredError)
        throw new PatientProblemError('email-change-report-expired', { logDetail: 'old-address-taken' });
      throw error;
    }
    await this.#deps.accountLinks.endPending(account);
    await this.#deps.accountLinks.endPending({ accountId: account.accountId, email: oldEmail });
    await this.#lockOut(account.accountId, sourceIp);
  }

  /** After a reported change: every session ends, every remembered device is forgotten, and it is recorded. */
  async #lockOut(accountId: string, sourceIp: string): Promise<void> {
    await this.#endEverySession(accountId);
    await this.#deps.devices.forgetAll(accountId);
    await this.#audit(accountId, 'email-change-reported', sourceIp);
  }

  async #reportedAccount(linkDigest: string) {
    const record = await this.#deps.links
      .check('report-email-change', { digest: linkDigest })
      .catch((error: unknown) => {
        throw settingsLinkProblem('report-email-change', error);
      });
    const account = await this.#deps.accounts.findById(record.payload.accountId ?? '');
    const oldEmail = record.payload.oldEmail ?? '';
    if (!account || oldEmail === '')
      throw new PatientProblemError('email-change-report-expired', { logDetail: 'account-gone' });
    return { account, oldEmail, secondFactorAt: record.secondFactorAt };
  }

  #reportDigest(token: string | undefined): string {
    try {
      return this.#deps.links.digestOf({ token });
    } catch (error) {
      throw settingsLinkProblem('report-email-change', error);
    }
  }

  /** Changes the password after checking the current one; other sessions end, remembered devices stay. */
  /** Returns the account's new session generation, for the one session that stays. */
  async changePassword(account: Account, current: string, next: string, sourceIp: string): Promise<number> {
    const problems = [
      ...(await this.#passwordProblems(account, current, sourceIp, 'currentPassword')),
      ...checkNewPassword(next, { email: account.email, commonPasswords: this.#deps.commonPasswords }).map(
        (problem) => ({
          field: 'newPassword',
          message: problem.message,
        }),
      ),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);
    // Only once the current password is known right: saying so tells nothing to anyone else.
    if (next === current)
      throw new InvalidInputError([
        {
          field: 'newPassword',
          message: 'Your new password is the same as your current password. Enter a different password',
        },
      ]);
    await this.#deps.accounts.updatePasswordHash(account.accountId, await this.#deps.hasher.hash(next));
    const generation = await this.#endEverySession(account.accountId);
    await this.#deps.accountLinks.endPending(account);
    await this.#audit(account.accountId, 'password-changed', sourceIp);
    const { service } = this.#deps;
    await this.#deps.email.send(
      passwordChangedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
        resetPasswordLink: service.pageUrl('password-forgotten'),
      }),
    );
    return generation;
  }

  /**
   * Checks the current password again, as changing the number needs (with the old phone's code
   * or the patient's word that it is lost, which the re-authentication gate asks for).
   */
  async confirmPassword(account: Account, password: string, sourceIp: string): Promise<void> {
    const problems = await this.#passwordProblems(account, password, sourceIp);
    if (problems.length > 0) throw new InvalidInputError(problems);
  }

  /** Texts a code to the new mobile number; returns it (E.164) to keep until the code is entered. */
  async requestPhoneChange(account: Account, input: string, sourceIp: string): Promise<string> {
    return this.#deps.newPhones.sendCode(account, input, 'change-phone', sourceIp);
  }

  /** Texts the code for a number change again (the send caps apply). */
  async resendPhoneCode(account: Account, newPhone: string, sourceIp: string): Promise<void> {
    await this.#deps.newPhones.resendCode(account, newPhone, 'change-phone', sourceIp);
  }

  /**
   * Keeps the new number once its code is right; texts the old number to say so and emails a link
   * that undoes the change (24 hours), whether the old phone confirmed the change or was lost.
   */
  async confirmPhoneChange(
    account: Account,
    newPhone: string,
    code: string,
    authority: PhoneChangeAuthority,
    sourceIp: string,
  ): Promise<void> {
    await this.#deps.newPhones.checkCode(account, newPhone, code, 'change-phone', sourceIp);
    const now = this.#deps.clock();
    const lifetime = this.#deps.limits.phoneChangeCancelLinkLifetimeSeconds;
    // Within an earlier change's undo window, the number to put back stays the one from before it.
    const pending = account.phoneBeforeChanges;
    const restore =
      pending && new Date(pending.until) > now ? pending.phoneNumber : (account.phoneNumber ?? '');
    const until = new Date(now.getTime() + lifetime * 1000).toISOString();
    await this.#deps.accounts.setPhoneNumber(account.accountId, newPhone, { phoneNumber: restore, until });
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'phone-changed',
      at: now.toISOString(),
      sourceIp,
      detail: authority,
    });
    // The number just replaced, and the one from before a run of changes, both hear of it.
    const told = new Set([account.phoneNumber, restore].filter((number) => number && number !== newPhone));
    for (const number of told) await this.#textNotice(account, number as string, sourceIp);
    const { service } = this.#deps;
    const token = await this.#deps.links.issue(
      'cancel-phone-change',
      { accountId: account.accountId, previousPhone: restore, newPhone },
      lifetime,
    );
    await this.#deps.email.send(
      phoneChangedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
        cancelLink: service.pageUrl('settings-phone-cancel', { token }),
        validForMinutes: lifetime / 60,
      }),
    );
  }

  /**
   * A notice to an old number. It counts against the text caps like any text, but a cap never
   * stops it: it is the patient's warning, and each needs a phone change (and its code) to happen.
   */
  async #textNotice(account: Account, phoneNumber: string, sourceIp: string) {
    const reservation = await this.#deps.textCaps
      .reserve({ accountId: account.accountId, phoneNumber, sourceIp })
      .catch((error: unknown) => {
        if (error instanceof TooManyAttemptsError) return undefined;
        throw error;
      });
    await this.#deps.sms.send(
      phoneChangedTextMessage({ to: phoneNumber, serviceName: this.#deps.service.serviceName }),
    );
    if (reservation) await this.#deps.textCaps.recordSent(phoneNumber, reservation);
  }

  /** The emailed link to undo a change of mobile number: the previous number comes back. */
  async cancelPhoneChange(token: string | undefined, sourceIp: string): Promise<void> {
    const payload = await this.#redeem('cancel-phone-change', token);
    const account = await this.#deps.accounts.findById(payload.accountId ?? '');
    if (!account) throw new PatientProblemError('phone-cancel-link-expired', { logDetail: 'account-gone' });
    if (payload.previousPhone) {
      // Put back, and no earlier number pending any more: this run of changes is over.
      const over = { phoneNumber: payload.previousPhone, until: this.#deps.clock().toISOString() };
      await this.#deps.accounts.setPhoneNumber(account.accountId, payload.previousPhone, over);
    }
    await this.#deps.devices.forgetAll(account.accountId);
    await this.#endEverySession(account.accountId);
    await this.#audit(account.accountId, 'phone-change-cancelled', sourceIp);
  }

  /** Removes one of the account's own remembered devices; false when it has no such device. */
  async removeDevice(account: Account, deviceId: string, sourceIp: string): Promise<boolean> {
    const removed = await this.#deps.devices.forget(account.accountId, deviceId);
    if (!removed) return false;
    // A login made on the device ends with it: whoever has the device is logged out of it too.
    await Promise.all([
      this.#deps.sessions.endAllOnDevice(account.accountId, deviceId),
      this.#audit(account.accountId, 'device-removed', sourceIp),
    ]);
    return true;
  }

  /** Deletes the account and everything kept for it, after checking the password. */
  async deleteAccount(account: Account, password: string, sourceIp: string): Promise<void> {
    const problems = await this.#passwordProblems(account, password, sourceIp);
    if (problems.length > 0) throw new InvalidInputError(problems);
    await this.#endEverySession(account.accountId);
    await this.#deps.accounts.delete(account.accountId);
    const { service } = this.#deps;
    await this.#deps.email.send(
      accountDeletedMessage({
        to: account.email,
        serviceName: service.serviceName,
        contactLink: service.contactLink,
      }),
    );
  }

  /** Ends every session of the account: deleted from the store, and refused if one is written back. */
  async #endEverySession(accountId: string): Promise<number> {
    const generation = await this.#deps.accounts.revokeSessions(accountId);
    await this.#deps.sessions.endAllFor(accountId);
    return generation;
  }

  /** Checks the current password under the same throttle as logging in. */
  async #passwordProblems(account: Account, password: string, sourceIp: string, field = 'password') {
    if (password === '') return [{ field, message: 'Enter your password' }];
    const attempt = await this.#deps.throttle.admitAttempt(passwordThrottleKey(account.email), {
      kind: 'network',
      ip: sourceIp,
    });
    if (await this.#deps.hasher.verify(account.passwordHash, password)) {
      await this.#deps.throttle.recordSuccess(attempt);
      return [];
    }
    await this.#audit(account.accountId, 'password-check-failed', sourceIp);
    await this.#deps.throttle.recordFailure(attempt);
    return [{ field, message: 'The password is not right' }];
  }

  /** Whether a settings link can still be used, without using it (its page asks for a click first). */
  async checkLink(purpose: keyof typeof linkProblems, token: string | undefined): Promise<void> {
    await this.#deps.links.check(purpose, { token }).catch((error: unknown) => {
      throw settingsLinkProblem(purpose, error);
    });
  }

  async #redeem(purpose: keyof typeof linkProblems, token: string | undefined) {
    return this.#deps.links.redeem(purpose, { token }).catch((error: unknown) => {
      throw settingsLinkProblem(purpose, error);
    });
  }

  async #audit(accountId: string, type: AuditEventType, sourceIp: string) {
    await this.#deps.audit.record({ accountId, type, at: this.#deps.clock().toISOString(), sourceIp });
  }
}

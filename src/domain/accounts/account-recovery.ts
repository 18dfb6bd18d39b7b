import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AuditEventType, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { EmailSendThrottle } from '../limits/email-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import {
  BrokenLinkError,
  LinkExpiredError,
  type LinkPayload,
  type LinkPurpose,
  LinkReplacedError,
  LinkUsedError,
  type OneTimeLinks,
  UnknownLinkError,
} from '../links/one-time-links.ts';
import {
  resetNoAccountMessage,
  resetPasswordMessage,
  unlockAccountMessage,
  unlockNoAccountMessage,
} from '../messaging/email-templates.ts';
import type { EmailMessage, EmailSender } from '../messaging/message-senders.ts';
import type { Passkeys } from '../passkeys/passkeys.ts';
import { type PatientProblem, PatientProblemError } from '../patient-problems.ts';
import type {
  SecondFactorChallenge,
  SecondFactorKind,
  SecondFactors,
} from '../second-factors/second-factor.ts';
import { type Account, type AccountStore, normaliseEmail, passwordThrottleKey } from './account.ts';
import { checkEmailAddress } from './email-address.ts';
import type { PatientServiceSettings } from './patient-service.ts';

/** What an emailed recovery link lets the patient do, once the second factor is passed too. */
export type RecoveryPurpose = Extract<LinkPurpose, 'reset-password' | 'unlock-account'>;

export interface AccountRecoveryDependencies {
  readonly accounts: AccountStore;
  readonly links: OneTimeLinks;
  readonly secondFactors: SecondFactors;
  /** A passkey of the account may stand for its second factor. */
  readonly passkeys: Pick<Passkeys, 'hasAny' | 'confirmIdentity'>;
  readonly email: EmailSender;
  readonly emailThrottle: EmailSendThrottle;
  readonly throttle: Pick<PasswordThrottle, 'isKnownNetwork'>;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
}

/** A recovery in progress in the browser that opened its link: kept in the session, never the token. */
export interface RecoveryStep {
  readonly purpose: RecoveryPurpose;
  readonly linkDigest: string;
  /** Set once this browser has passed the second factor for this link. */
  readonly secondFactorPassed?: boolean | undefined;
}

/** What the page opened by a recovery link needs to say. */
export interface OpenedRecovery {
  readonly step: RecoveryStep;
  /** Whether a security code must be sent to the account's phone first (false: the account has no second factor yet). */
  readonly needsSecondFactor: boolean;
  /** The factor that will be asked for: a text, or the authenticator app's code (nothing is sent). */
  readonly factor?: SecondFactorKind | undefined;
}

/** The problem pages of each purpose's links: expired, used, broken, replaced. */
const problems: Record<
  RecoveryPurpose,
  Record<'expired' | 'used' | 'broken' | 'replaced', PatientProblem>
> = {
  'reset-password': {
    expired: 'reset-link-expired',
    used: 'reset-link-used',
    broken: 'reset-link-broken',
    replaced: 'reset-link-replaced',
  },
  'unlock-account': {
    expired: 'unlock-link-expired',
    used: 'unlock-link-used',
    broken: 'unlock-link-expired',
    replaced: 'unlock-link-expired',
  },
};

const linkProblem = (purpose: RecoveryPurpose, error: unknown): unknown => {
  const pages = problems[purpose];
  if (error instanceof LinkUsedError) return new PatientProblemError(pages.used);
  if (error instanceof LinkReplacedError) return new PatientProblemError(pages.replaced);
  if (error instanceof LinkExpiredError || error instanceof UnknownLinkError) {
    return new PatientProblemError(pages.expired, { logDetail: error.code });
  }
  if (error instanceof BrokenLinkError) return new PatientProblemError(pages.broken);
  return error;
};

/**
 * Getting back into an account by its email address: a password reset, or unlocking password
 * login after too many wrong passwords. Neither rests on the mailbox alone: the emailed link must
 * be followed by the account's second factor (a code to the phone on file), never a remembered
 * device and never a code by email. An account that has no second factor yet (never finished its
 * first login) has only the link. Asking for a link does the same work whether or not the
 * address has an account, and only its newest link works.
 */
export class AccountRecovery {
  readonly #deps: AccountRecoveryDependencies;

  constructor(deps: AccountRecoveryDependencies) {
    this.#deps = deps;
  }

  /**
   * Emails a link if the address has an account, and otherwise an email saying there is none.
   * The same page, one email, and the same store calls either way: the link is issued (and only
   * its owner's newest works) and the request recorded, against the account or the address.
   */
  async request(purpose: RecoveryPurpose, email: string, sourceIp: string): Promise<void> {
    const problemsFound = checkEmailAddress(email);
    if (problemsFound.length > 0) throw new InvalidInputError(problemsFound);
    const address = normaliseEmail(email);
    const fromKnownNetwork = await this.#deps.throttle.isKnownNetwork(passwordThrottleKey(email), sourceIp);
    if (!(await this.#deps.emailThrottle.admit(address, sourceIp, { fromKnownNetwork }))) return;
    const account = await this.#deps.accounts.findByEmail(email);
    const token = await this.issueLink(purpose, address, account);
    const at = this.#deps.clock().toISOString();
    const type: AuditEventType =
      purpose === 'reset-password' ? 'password-reset-requested' : 'unlock-requested';
    if (account) await this.#deps.audit.record({ accountId: account.accountId, type, at, sourceIp });
    else await this.#deps.audit.recordForAddress({ address, type, at, sourceIp });
    await this.#deps.email.send(this.#message(purpose, email.trim(), account, token));
  }

  /**
   * A new link of the purpose for the address, replacing its earlier one. For an address without
   * an account the link leads nowhere and is never sent; it is made all the same so the work done
   * is the same.
   */
  async issueLink(purpose: RecoveryPurpose, address: string, account: Account | undefined): Promise<string> {
    const lifetime = this.#lifetime(purpose);
    const payload: LinkPayload = account
      ? { accountId: account.accountId, email: normaliseEmail(account.email) }
      : {};
    return this.#deps.links.issue(purpose, payload, lifetime, { address });
  }

  /** The lifetime of a purpose's links, in minutes, for emails that carry one. */
  lifetimeMinutes(purpose: RecoveryPurpose): number {
    return this.#lifetime(purpose) / 60;
  }

  /** Opens a link from an email without using it: what the page shows next. */
  async open(purpose: RecoveryPurpose, token: string | undefined): Promise<OpenedRecovery> {
    const linkDigest = this.#digest(purpose, token);
    const step = { purpose, linkDigest };
    const { account } = await this.#resolve(step);
    const needsSecondFactor = this.#deps.secondFactors.has(account);
    return {
      step,
      needsSecondFactor,
      factor: needsSecondFactor ? this.#deps.secondFactors.of(account).kind : undefined,
    };
  }

  /** Sends the account's second factor challenge for this recovery. */
  async sendCode(step: RecoveryStep, sourceIp: string): Promise<SecondFactorChallenge> {
    const { account } = await this.#resolve(step);
    return this.#deps.secondFactors.of(account).challenge(account, step.purpose, sourceIp);
  }

  /**
   * Checks the second factor; once right, the link records it and the step (kept by this browser's
   * session) says so: the recovery can then finish with this link, in this browser only.
   */
  async verifyCode(step: RecoveryStep, code: string, sourceIp: string): Promise<RecoveryStep> {
    const { account } = await this.#resolve(step);
    await this.#deps.secondFactors.of(account).verify(account, step.purpose, code, sourceIp);
    await this.#deps.links.recordSecondFactor(step.purpose, { digest: step.linkDigest });
    return { ...step, secondFactorPassed: true };
  }

  /** Whether the account has a passkey that may stand for its code in this recovery. */
  async passkeyOffered(step: RecoveryStep): Promise<boolean> {
    const { account } = await this.#resolve(step);
    return this.#deps.passkeys.hasAny(account);
  }

  /** A passkey of the account in place of its code: then as `verifyCode`. PasskeyNotVerifiedError when refused. */
  async verifyPasskey(
    step: RecoveryStep,
    challengeId: string,
    response: AuthenticationResponseJSON,
    sourceIp: string,
  ): Promise<RecoveryStep> {
    const { account } = await this.#resolve(step);
    await this.#deps.passkeys.confirmIdentity(account, challengeId, response, sourceIp, step.purpose);
    await this.#deps.links.recordSecondFactor(step.purpose, { digest: step.linkDigest });
    return { ...step, secondFactorPassed: true };
  }

  /**
   * Whether the recovery may finish now: its link still works and, if the account has a second
   * factor, it was passed for this link and in this browser (someone else who has the link cannot
   * ride on the patient's code).
   */
  async ready(step: RecoveryStep): Promise<Account> {
    const { account, secondFactorAt } = await this.#resolve(step);
    const passed = secondFactorAt !== undefined && step.secondFactorPassed === true;
    if (this.#deps.secondFactors.has(account) && !passed)
      throw new PatientProblemError('recovery-needs-second-factor');
    return account;
  }

  /** Uses the link up, once the recovery is ready; returns the account to finish it on. */
  async finish(step: RecoveryStep): Promise<Account> {
    const account = await this.ready(step);
    await this.#deps.links.redeem(step.purpose, { digest: step.linkDigest }).catch((error: unknown) => {
      throw linkProblem(step.purpose, error);
    });
    return account;
  }

  async #resolve(step: RecoveryStep): Promise<{ account: Account; secondFactorAt?: Date | undefined }> {
    const record = await this.#deps.links
      .check(step.purpose, { digest: step.linkDigest })
      .catch((error: unknown) => {
        throw linkProblem(step.purpose, error);
      });
    const account = await this.#deps.accounts.findById(record.payload.accountId ?? '');
    // The address the link went to must still be the account's: an email change ends it too.
    if (!account || normaliseEmail(account.email) !== record.payload.email) {
      throw new PatientProblemError(problems[step.purpose].expired, { logDetail: 'account-changed' });
    }
    return { account, secondFactorAt: record.secondFactorAt };
  }

  #digest(purpose: RecoveryPurpose, token: string | undefined): string {
    try {
      return this.#deps.links.digestOf({ token });
    } catch (error) {
      throw linkProblem(purpose, error);
    }
  }

  #lifetime(purpose: RecoveryPurpose): number {
    return purpose === 'reset-password'
      ? this.#deps.limits.resetLinkLifetimeSeconds
      : this.#deps.limits.unlockLinkLifetimeSeconds;
  }

  #message(purpose: RecoveryPurpose, to: string, account: Account | undefined, token: string): EmailMessage {
    const { service } = this.#deps;
    const registerLink = service.pageUrl('register');
    const serviceName = service.serviceName;
    const validForMinutes = this.lifetimeMinutes(purpose);
    if (purpose === 'reset-password') {
      return account
        ? resetPasswordMessage({
            to: account.email,
            serviceName,
            link: service.pageUrl('password-reset', { token }),
            validForMinutes,
          })
        : resetNoAccountMessage({ to, serviceName, registerLink });
    }
    return account
      ? unlockAccountMessage({
          to: account.email,
          serviceName,
          link: service.pageUrl('unlock-confirm', { token }),
          validForMinutes,
        })
      : unlockNoAccountMessage({ to, serviceName, registerLink });
  }
}

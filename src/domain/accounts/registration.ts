import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import type { CommonPasswordList } from '../credentials/common-passwords.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import { checkNewPassword } from '../credentials/password-policy.ts';
import { type FieldProblem, InvalidInputError } from '../invalid-input-error.ts';
import type { EmailSendThrottle } from '../limits/email-send-throttle.ts';
import type { Limits } from '../limits/limits.ts';
import type { PasswordThrottle } from '../limits/password-throttle.ts';
import {
  BrokenLinkError,
  LinkExpiredError,
  type LinkRecord,
  LinkReplacedError,
  LinkUsedError,
  type OneTimeLinks,
  UnknownLinkError,
} from '../links/one-time-links.ts';
import { alreadyRegisteredMessage, confirmEmailMessage } from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import { PatientProblemError } from '../patient-problems.ts';
import { type Account, type AccountStore, normaliseEmail, passwordThrottleKey } from './account.ts';
import { EmailAlreadyRegisteredError } from './account-errors.ts';
import type { AccountRecovery } from './account-recovery.ts';
import { checkNewEmailAddress } from './email-address.ts';
import type { PatientServiceSettings } from './patient-service.ts';

export interface RegistrationDependencies {
  readonly accounts: AccountStore;
  readonly links: OneTimeLinks;
  readonly recovery: AccountRecovery;
  readonly hasher: PasswordHasher;
  readonly throttle: PasswordThrottle;
  readonly commonPasswords: CommonPasswordList;
  readonly email: EmailSender;
  readonly audit: AuditLog;
  readonly emailThrottle: EmailSendThrottle;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly service: PatientServiceSettings;
  readonly newId?: () => string;
}

export interface RegistrationRequest {
  readonly email: string;
  readonly password: string;
  readonly termsAccepted: boolean;
  readonly sourceIp: string;
  /** A random secret the registering browser keeps in a cookie: that browser can confirm with a click. */
  readonly browserSecret: string;
}

/** What opening a confirmation link proves besides the mailbox: the browser that registered, or the password chosen. */
export interface ConfirmationProof {
  readonly browserSecret?: string | undefined;
  readonly password?: string | undefined;
}

/** An unknown well-formed token is almost always one deleted after it expired, so it reads as expired. */
const confirmationLinkProblem = (error: unknown): unknown => {
  if (error instanceof LinkUsedError) return new PatientProblemError('confirmation-link-used');
  if (error instanceof LinkReplacedError) return new PatientProblemError('confirmation-link-replaced');
  if (
    error instanceof LinkExpiredError ||
    error instanceof UnknownLinkError ||
    error instanceof BrokenLinkError
  ) {
    return new PatientProblemError('confirmation-link-expired', { logDetail: error.code });
  }
  return error;
};

const digestOf = (secret: string): Buffer => createHash('sha256').update(secret).digest();

/**
 * Creating an account: the form is checked, then a confirmation link is emailed; the account
 * exists once the link is confirmed. Each address has at most one pending registration: a newer
 * one replaces it and only the newest link works. Confirming needs more than the mailbox: the
 * browser that registered, or the password chosen at registration, so whoever registers someone
 * else's address first cannot have them confirm an account with the stranger's password.
 * Whether the address is registered already is never revealed: its owner is emailed instead (with
 * a reset link), and the page and the work done are the same either way.
 */
export class Registration {
  readonly #deps: RegistrationDependencies;

  constructor(deps: RegistrationDependencies) {
    this.#deps = deps;
  }

  /** Throws InvalidInputError with every problem of the form; otherwise emails the address. */
  async start(request: RegistrationRequest): Promise<void> {
    const email = request.email.trim();
    const problems: FieldProblem[] = [
      ...checkNewEmailAddress(email),
      ...checkNewPassword(request.password, { email, commonPasswords: this.#deps.commonPasswords }).map(
        (problem) => ({ field: 'password', message: problem.message }),
      ),
      ...(request.termsAccepted
        ? []
        : [{ field: 'terms', message: 'Confirm that you accept the terms and conditions' }]),
    ];
    if (problems.length > 0) throw new InvalidInputError(problems);

    // Hashed whether or not the address is registered, so the time taken gives nothing away.
    const passwordHash = await this.#deps.hasher.hash(request.password);
    const address = normaliseEmail(email);
    const fromKnownNetwork = await this.#deps.throttle.isKnownNetwork(
      passwordThrottleKey(email),
      request.sourceIp,
    );
    if (!(await this.#deps.emailThrottle.admit(address, request.sourceIp, { fromKnownNetwork }))) return;
    const { service, audit } = this.#deps;
    const at = this.#deps.clock().toISOString();
    const account = await this.#deps.accounts.findByEmail(email);
    if (account) {
      // The same work as a new registration: one link issued, one event recorded, one email.
      const token = await this.#deps.recovery.issueLink('reset-password', address, account);
      await audit.record({
        accountId: account.accountId,
        type: 'registration-attempted',
        at,
        sourceIp: request.sourceIp,
      });
      await this.#deps.email.send(
        alreadyRegisteredMessage({
          // The account's own address, never the one typed: two spellings can normalise alike.
          to: account.email,
          serviceName: service.serviceName,
          link: service.pageUrl('password-reset', { token }),
          validForMinutes: this.#deps.recovery.lifetimeMinutes('reset-password'),
        }),
      );
      return;
    }
    const lifetime = this.#deps.limits.confirmationLinkLifetimeSeconds;
    const browserDigest = digestOf(request.browserSecret).toString('base64url');
    const token = await this.#deps.links.issue(
      'confirm-email',
      { email, passwordHash, browserDigest },
      lifetime,
      {
        address,
      },
    );
    await audit.recordForAddress({ address, type: 'registration-started', at, sourceIp: request.sourceIp });
    await this.#deps.email.send(
      confirmEmailMessage({
        to: email,
        serviceName: service.serviceName,
        link: service.pageUrl('register-confirm', { token }),
        validForMinutes: lifetime / 60,
      }),
    );
  }

  /**
   * Whether a confirmation link can still be used, without using it (the page asks for a click
   * first), and whether this browser must also give the password chosen at registration.
   */
  async checkLink(
    token: string | undefined,
    browserSecret: string | undefined,
  ): Promise<{ needsPassword: boolean }> {
    const record = await this.#check(token);
    return { needsPassword: !sameBrowser(record, browserSecret) };
  }

  /** Uses a confirmation link: creates the account, or says why the link cannot be used (CID1002, CID1003). */
  async confirm(token: string | undefined, proof: ConfirmationProof, sourceIp: string): Promise<Account> {
    const record = await this.#check(token);
    const { payload } = record;
    if (!sameBrowser(record, proof.browserSecret))
      await this.#checkPassword(payload, proof.password, sourceIp);
    await this.#deps.links.redeem('confirm-email', { token }).catch((error: unknown) => {
      throw confirmationLinkProblem(error);
    });
    const newId = this.#deps.newId ?? randomUUID;
    const account: Account = {
      accountId: newId(),
      subject: newId(),
      email: payload.email ?? '',
      passwordHash: payload.passwordHash ?? '',
      proofingLevel: 'P0',
      createdAt: this.#deps.clock().toISOString(),
    };
    try {
      await this.#deps.accounts.create(account);
    } catch (error) {
      // Two links for one address, both opened: the first made the account.
      if (error instanceof EmailAlreadyRegisteredError)
        throw new PatientProblemError('confirmation-link-used');
      throw error;
    }
    await this.#deps.audit.record({
      accountId: account.accountId,
      type: 'registered',
      at: account.createdAt,
      sourceIp,
    });
    return account;
  }

  async #check(token: string | undefined): Promise<LinkRecord> {
    return this.#deps.links.check('confirm-email', { token }).catch((error: unknown) => {
      throw confirmationLinkProblem(error);
    });
  }

  /** The password chosen at registration, under the same throttle as logging in to the address. */
  async #checkPassword(payload: LinkRecord['payload'], password: string | undefined, sourceIp: string) {
    if (!password) {
      throw new InvalidInputError([
        { field: 'password', message: 'Enter the password you chose when you set up your account' },
      ]);
    }
    const { throttle, hasher } = this.#deps;
    const attempt = await throttle.admitAttempt(passwordThrottleKey(payload.email ?? ''), {
      kind: 'network',
      ip: sourceIp,
    });
    if (await hasher.verify(payload.passwordHash ?? '', password)) {
      await throttle.recordSuccess(attempt);
      return;
    }
    await throttle.recordFailure(attempt);
    throw new InvalidInputError([
      { field: 'password', message: 'The password is not the one chosen when this account was set up' },
    ]);
  }
}

/** Whether the browser holds the secret of the browser that registered. */
const sameBrowser = (record: LinkRecord, browserSecret: string | undefined): boolean => {
  const expected = Buffer.from(record.payload.browserDigest ?? '', 'base64url');
  if (!browserSecret || expected.length === 0) return false;
  const given = digestOf(browserSecret);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

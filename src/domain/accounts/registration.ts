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
  type LinkPayload,
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

/** A registration whose email is not confirmed yet: its newest link, by digest, and the password chosen. */
export interface PendingRegistration {
  readonly email: string;
  readonly passwordHash: string;
  readonly linkDigest: string;
}

/** Asking for a registration's confirmation email again, from the browser that registered or proved its password. */
export interface ResendRequest {
  readonly email: string;
  readonly sourceIp: string;
  /** This browser's registration secret; the new link is tied to it. */
  readonly browserSecret: string;
  /** The secret this browser held when it registered, if it did. */
  readonly registeringSecret?: string | undefined;
  /** The digest of the link whose password this browser gave at login, if it did. */
  readonly provenLinkDigest?: string | undefined;
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
    const account = await this.#deps.accounts.findByEmail(email);
    // The same work either way: one link issued, one event recorded, one email.
    if (account) await this.#sendAlreadyRegistered(account, address, request.sourceIp);
    else {
      const browserDigest = digestOf(request.browserSecret).toString('base64url');
      await this.#sendConfirmation(email, { email, passwordHash, browserDigest }, request.sourceIp);
    }
  }

  /** The owner of a registered address is emailed a reset link instead of a confirmation. */
  async #sendAlreadyRegistered(account: Account, address: string, sourceIp: string): Promise<void> {
    const { service, audit } = this.#deps;
    const token = await this.#deps.recovery.issueLink('reset-password', address, account);
    await audit.record({
      accountId: account.accountId,
      type: 'registration-attempted',
      at: this.#deps.clock().toISOString(),
      sourceIp,
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
  }

  /** A confirmation link, the only one of its address that works, emailed; returns its digest. */
  async #sendConfirmation(email: string, payload: LinkPayload, sourceIp: string): Promise<string> {
    const { service, audit } = this.#deps;
    const address = normaliseEmail(email);
    const lifetime = this.#deps.limits.confirmationLinkLifetimeSeconds;
    const token = await this.#deps.links.issue('confirm-email', payload, lifetime, { address });
    await audit.recordForAddress({
      address,
      type: 'registration-started',
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
    await this.#deps.email.send(
      confirmEmailMessage({
        to: email,
        serviceName: service.serviceName,
        link: service.pageUrl('register-confirm', { token }),
        validForMinutes: lifetime / 60,
      }),
    );
    return this.#deps.links.digestOf({ token });
  }

  /** The address's registration waiting for its email to be confirmed, if there is one. */
  async pendingFor(email: string): Promise<PendingRegistration | undefined> {
    const newest = await this.#deps.links.newest({
      purpose: 'confirm-email',
      owner: { address: normaliseEmail(email) },
    });
    if (!newest?.payload.passwordHash) return undefined;
    return {
      email: newest.payload.email ?? email,
      passwordHash: newest.payload.passwordHash,
      linkDigest: newest.tokenDigest,
    };
  }

  /**
   * Sends the confirmation email again, within the same caps as registering: a new link that
   * replaces the old one, tied to this browser. For an address with an account, what registering
   * sends instead is sent again, so the page gives away no more than registering did. The
   * browser must be the one that registered or one that gave the registration's password at
   * login; otherwise (the link expired, or someone registered the address again since) it throws
   * `PatientProblemError('confirmation-resend-expired')`. Says whether the caps let an email go
   * (silently, as registering does: the same either way), and the new link's digest, if one was made.
   */
  async sendAgain(request: ResendRequest): Promise<{ admitted: boolean; linkDigest?: string }> {
    const email = request.email.trim();
    const address = normaliseEmail(email);
    const fromKnownNetwork = await this.#deps.throttle.isKnownNetwork(
      passwordThrottleKey(email),
      request.sourceIp,
    );
    const [admitted, account, pending] = await Promise.all([
      this.#deps.emailThrottle.admit(address, request.sourceIp, { fromKnownNetwork }),
      this.#deps.accounts.findByEmail(email),
      this.#deps.links.newest({ purpose: 'confirm-email', owner: { address } }),
    ]);
    if (account) {
      if (admitted) await this.#sendAlreadyRegistered(account, address, request.sourceIp);
      return { admitted };
    }
    const proven =
      pending &&
      (pending.tokenDigest === request.provenLinkDigest ||
        sameBrowser(pending.payload, request.registeringSecret));
    if (!pending || !proven) throw new PatientProblemError('confirmation-resend-expired');
    if (!admitted) return { admitted };
    const linkDigest = await this.#sendConfirmation(
      email,
      { ...pending.payload, browserDigest: digestOf(request.browserSecret).toString('base64url') },
      request.sourceIp,
    );
    return { admitted, linkDigest };
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
    return { needsPassword: !sameBrowser(record.payload, browserSecret) };
  }

  /** Uses a confirmation link: creates the account, or says why the link cannot be used (CID1002, CID1003). */
  async confirm(token: string | undefined, proof: ConfirmationProof, sourceIp: string): Promise<Account> {
    const record = await this.#check(token);
    const { payload } = record;
    if (!sameBrowser(record.payload, proof.browserSecret))
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
const sameBrowser = (payload: LinkPayload, browserSecret: string | undefined): boolean => {
  const expected = Buffer.from(payload.browserDigest ?? '', 'base64url');
  if (!browserSecret || expected.length === 0) return false;
  const given = digestOf(browserSecret);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

import { createHash, randomInt } from 'node:crypto';
import type { Account, AccountStore, AuthenticatorApp } from '../accounts/account.ts';
import type { AuditEventType, AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import {
  authenticatorAppAddedMessage,
  authenticatorAppRemovedMessage,
} from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import type { SecondFactorChallenge, SecondFactorMethod, SecondFactorPurpose } from './second-factor.ts';
import type { SecurityCodeDelivery } from './security-code-delivery.ts';
import { newTotpSecret, totpStepOf, totpUri } from './totp.ts';

/** How many recovery codes a set-up gives; each works once. */
export const recoveryCodeCount = 10;
/** Lower-case letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i). */
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

/** An app secret is sealed to its purpose and its account: copied to another account, it does not open. */
const secretContext = (accountId: string) => ({ purpose: 'authenticator-app-secret', account: accountId });

/** A recovery code as the patient may type it: any case, spaces and hyphens ignored. */
const normaliseRecoveryCode = (entry: string): string => entry.toLowerCase().replace(/[\s-]/g, '');
const isRecoveryCodeShaped = (entry: string): boolean =>
  new RegExp(`^[${RECOVERY_ALPHABET}]{${RECOVERY_LENGTH}}$`).test(normaliseRecoveryCode(entry));
const digestOf = (code: string): string =>
  createHash('sha256').update(normaliseRecoveryCode(code)).digest('base64url');

/** New recovery codes, shown once as "abcde-fghjk"; only their digests are kept. */
const newRecoveryCodes = (): string[] =>
  Array.from({ length: recoveryCodeCount }, () => {
    const code = Array.from(
      { length: RECOVERY_LENGTH },
      () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
    ).join('');
    return `${code.slice(0, 5)}-${code.slice(5)}`;
  });

/** The set-up was not started in this session's account, or has been finished or replaced since. */
export class NoPendingAppError extends DomainError {
  readonly code = 'no_pending_app';
  readonly status = 409;
}

export interface AuthenticatorAppDependencies {
  readonly accounts: Pick<
    AccountStore,
    'findById' | 'setPendingAuthenticatorApp' | 'setAuthenticatorApp' | 'recordAuthenticatorAppUse'
  >;
  readonly secrets: SecretBox;
  readonly delivery: Pick<SecurityCodeDelivery, 'verifyAnswer'>;
  readonly audit: AuditLog;
  readonly email: EmailSender;
  readonly clock: Clock;
  readonly service: { readonly serviceName: string; readonly contactLink: string };
}

/**
 * An authenticator app (TOTP, RFC 6238) as the second factor: beyond NHS login, which has no
 * option without a mobile phone (seed 000). Set up in settings with a QR code or its key,
 * confirmed by a first code, with recovery codes shown once; then asked for before texts at
 * login, in a reset and at re-authentication. Its codes and recovery codes count towards the same
 * attempt limits as texted ones; each time step's code, and each recovery code, works once.
 */
export class AuthenticatorApps implements SecondFactorMethod {
  readonly kind = 'app';
  readonly #deps: AuthenticatorAppDependencies;

  constructor(deps: AuthenticatorAppDependencies) {
    this.#deps = deps;
  }

  isSetUp(account: Account): boolean {
    return account.authenticatorApp !== undefined;
  }

  /** Nothing is sent: the app shows its code. */
  async challenge(): Promise<SecondFactorChallenge> {
    return { kind: 'app', sentTo: 'your authenticator app' };
  }

  /**
   * A 6-digit code of the app's current time step (not one taken already), or one of the unused
   * recovery codes, which is then used up. InvalidInputError (field `code`) or TooManyAttemptsError.
   */
  async verify(account: Account, purpose: SecondFactorPurpose, answer: string, sourceIp: string) {
    const app = account.authenticatorApp;
    if (!app)
      throw new InvalidInputError([{ field: 'code', message: 'Enter the code from your authenticator app' }]);
    const isTotp = /^\d{6}$/.test(answer.replace(/\s/g, ''));
    await this.#deps.delivery.verifyAnswer({
      account,
      purpose: `app-${purpose}`,
      sourceIp,
      wellFormed: isTotp || isRecoveryCodeShaped(answer),
      malformedMessage: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes',
      check: () =>
        isTotp ? this.#useCode(account, app, answer) : this.#useRecoveryCode(account, app, answer, sourceIp),
    });
  }

  /**
   * Starts a set-up: a new secret, kept sealed on the account until confirmed, and what the page
   * shows (the otpauth URI for the QR code, and the key to type in instead).
   */
  async beginSetUp(account: Account): Promise<{ readonly key: string; readonly uri: string }> {
    const { secret, uri } = await newTotpSecret(this.#deps.service.serviceName, account.email);
    await this.#deps.accounts.setPendingAuthenticatorApp(account.accountId, {
      sealedSecret: await this.#deps.secrets.seal(secret, secretContext(account.accountId)),
      startedAt: this.#deps.clock().toISOString(),
    });
    return { key: secret, uri };
  }

  /** The pending set-up's key and URI again (the page shown again after a wrong first code). */
  async pendingSetUp(account: Account): Promise<{ readonly key: string; readonly uri: string } | undefined> {
    const pending = account.pendingAuthenticatorApp;
    if (!pending) return undefined;
    const secret = await this.#deps.secrets.open(pending.sealedSecret, secretContext(account.accountId));
    return { key: secret, uri: await totpUri(this.#deps.service.serviceName, account.email, secret) };
  }

  /**
   * Finishes a set-up with a first code from the app (counted as any code): the app becomes the
   * account's second factor, the patient is emailed, and the recovery codes are returned to be
   * shown once. NoPendingAppError when no set-up is waiting.
   */
  async confirmSetUp(account: Account, code: string, sourceIp: string): Promise<readonly string[]> {
    const pending = account.pendingAuthenticatorApp;
    if (!pending) throw new NoPendingAppError('No authenticator app is being set up.');
    const secret = await this.#deps.secrets.open(pending.sealedSecret, secretContext(account.accountId));
    let step: number | undefined;
    await this.#deps.delivery.verifyAnswer({
      account,
      purpose: 'app-set-up',
      sourceIp,
      wellFormed: /^\d{6}$/.test(code.replace(/\s/g, '')),
      malformedMessage: 'Enter the 6-digit code from your authenticator app',
      check: async () => {
        step = await totpStepOf(secret, code, this.#deps.clock());
        return step !== undefined;
      },
    });
    const recoveryCodes = newRecoveryCodes();
    await this.#deps.accounts.setAuthenticatorApp(account.accountId, {
      sealedSecret: pending.sealedSecret,
      addedAt: this.#deps.clock().toISOString(),
      lastTimeStep: step ?? 0,
      recoveryCodes: recoveryCodes.map(digestOf),
    });
    await this.#audit(account, 'authenticator-app-added', sourceIp);
    await this.#deps.email.send(
      authenticatorAppAddedMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        contactLink: this.#deps.service.contactLink,
      }),
    );
    return recoveryCodes;
  }

  /** Removes the app (the phone's texts are the second factor again); the patient is emailed. */
  async remove(account: Account, sourceIp: string): Promise<void> {
    await this.#deps.accounts.setAuthenticatorApp(account.accountId, undefined);
    await this.#audit(account, 'authenticator-app-removed', sourceIp);
    await this.#deps.email.send(
      authenticatorAppRemovedMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        contactLink: this.#deps.service.contactLink,
      }),
    );
  }

  async #useCode(account: Account, app: AuthenticatorApp, code: string): Promise<boolean> {
    const secret = await this.#deps.secrets.open(app.sealedSecret, secretContext(account.accountId));
    const step = await totpStepOf(secret, code, this.#deps.clock());
    // A step's code works once: one seen over a shoulder, or entered twice, is refused.
    if (step === undefined || step <= app.lastTimeStep) return false;
    return this.#deps.accounts.recordAuthenticatorAppUse(
      account.accountId,
      account.authenticatorAppUses ?? 0,
      {
        ...app,
        lastTimeStep: step,
      },
    );
  }

  async #useRecoveryCode(account: Account, app: AuthenticatorApp, code: string, sourceIp: string) {
    const digest = digestOf(code);
    if (!app.recoveryCodes.includes(digest)) return false;
    const used = await this.#deps.accounts.recordAuthenticatorAppUse(
      account.accountId,
      account.authenticatorAppUses ?? 0,
      {
        ...app,
        recoveryCodes: app.recoveryCodes.filter((candidate) => candidate !== digest),
      },
    );
    if (used) await this.#audit(account, 'recovery-code-used', sourceIp);
    return used;
  }

  async #audit(account: Account, type: AuditEventType, sourceIp: string): Promise<void> {
    await this.#deps.audit.record({
      accountId: account.accountId,
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
    });
  }
}

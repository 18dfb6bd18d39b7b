import { randomBytes } from 'node:crypto';
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Account, AccountStore } from '../accounts/account.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import { DomainError } from '../errors.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import type { Limits } from '../limits/limits.ts';
import type { RateLimiter } from '../limits/rate-limiter.ts';
import { TooManyAttemptsError } from '../limits/too-many-attempts-error.ts';
import { passkeyAddedMessage, passkeyRemovedMessage } from '../messaging/email-templates.ts';
import type { EmailSender } from '../messaging/message-senders.ts';
import { PatientProblemError } from '../patient-problems.ts';
import type { Sessions } from '../sessions/sessions.ts';
import {
  ClonedAuthenticatorError,
  counterVerdict,
  type Passkey,
  type PasskeyChallengeStore,
  PasskeyNotVerifiedError,
  type PasskeyStore,
} from './passkey.ts';
import {
  authenticationOptions,
  type PasskeyRelyingParty,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
} from './passkey-ceremonies.ts';

/** The account has as many passkeys as it may (`passkeysPerAccount`): one has to be removed first. */
export class TooManyPasskeysError extends DomainError {
  readonly code = 'too_many_passkeys';
  readonly status = 409;
}

export interface PasskeysDependencies {
  readonly passkeys: PasskeyStore;
  readonly challenges: PasskeyChallengeStore;
  readonly accounts: Pick<AccountStore, 'findById'>;
  readonly sessions: Pick<Sessions, 'endAllWithPasskey'>;
  readonly rateLimiter: RateLimiter;
  readonly audit: AuditLog;
  readonly email: EmailSender;
  readonly clock: Clock;
  readonly limits: Pick<
    Limits,
    'passkeysPerAccount' | 'passkeySetUpsPerAccount' | 'passkeyChallengeLifetimeSeconds'
  >;
  readonly relyingParty: PasskeyRelyingParty;
  readonly service: {
    readonly serviceName: string;
    readonly contactLink: string;
    readonly settingsLink: string;
  };
}

/** The longest name a patient may give a passkey. */
export const passkeyNameLength = 50;

const newChallenge = (): Uint8Array<ArrayBuffer> => new Uint8Array(randomBytes(32));

/**
 * Passkeys for patients (issue 16): setting one up (behind the settings' re-authentication), logging
 * in with one, and removing one. Each ceremony's challenge is kept server-side and taken once; the
 * counter rule refuses a cloned authenticator; every step is audited, and the patient emailed when
 * a passkey is added or removed.
 */
export class Passkeys {
  readonly #deps: PasskeysDependencies;

  constructor(deps: PasskeysDependencies) {
    this.#deps = deps;
  }

  /** The options to set up a passkey, and the id of their challenge (the page carries it back). */
  async beginSetUp(
    account: Account,
  ): Promise<{ readonly options: PublicKeyCredentialCreationOptionsJSON; readonly challengeId: string }> {
    const existing = await this.#deps.passkeys.forAccount(account.accountId);
    if (existing.length >= this.#deps.limits.passkeysPerAccount)
      throw new TooManyPasskeysError('This account has as many passkeys as it may have.');
    const allowed = await this.#deps.rateLimiter.hit(
      { scope: 'passkey-set-ups', limit: this.#deps.limits.passkeySetUpsPerAccount, windowSeconds: 86_400 },
      account.accountId,
    );
    if (!allowed.allowed) throw new TooManyAttemptsError('passkey-set-ups', allowed.retryAt);
    const options = await registrationOptions(this.#deps.relyingParty, account, existing, newChallenge());
    const challengeId = await this.#deps.challenges.issue('register', options.challenge, {
      accountId: account.accountId,
      lifetimeSeconds: this.#deps.limits.passkeyChallengeLifetimeSeconds,
    });
    return { options, challengeId };
  }

  /** Verifies the new passkey against its challenge (this account's, once) and keeps it. */
  async finishSetUp(
    account: Account,
    challengeId: string,
    response: RegistrationResponseJSON,
    sourceIp: string,
  ): Promise<Passkey> {
    const challenge = await this.#take(challengeId, 'register');
    if (challenge.accountId !== account.accountId)
      throw new PasskeyNotVerifiedError('The passkey could not be set up.', { logDetail: 'another-account' });
    const verified = await verifyRegistration(this.#deps.relyingParty, response, challenge.challenge, {
      accountId: account.accountId,
      now: this.#deps.clock(),
    });
    if (
      (await this.#deps.passkeys.forAccount(account.accountId)).length >= this.#deps.limits.passkeysPerAccount
    )
      throw new TooManyPasskeysError('This account has as many passkeys as it may have.');
    const { suggestedName, ...fields } = verified;
    const passkey: Passkey = { ...fields, name: suggestedName };
    await this.#deps.passkeys.add(passkey);
    await this.#audit(account.accountId, 'passkey-added', sourceIp, passkey.providerName);
    await this.#deps.email.send(
      passkeyAddedMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        contactLink: this.#deps.service.contactLink,
        settingsLink: this.#deps.service.settingsLink,
        passkeyName: passkey.name,
      }),
    );
    return passkey;
  }

  /** The options to log in with any passkey, and their challenge's id: the same for everyone. */
  async beginLogin(): Promise<{
    readonly options: PublicKeyCredentialRequestOptionsJSON;
    readonly challengeId: string;
  }> {
    const options = await authenticationOptions(this.#deps.relyingParty, newChallenge());
    const challengeId = await this.#deps.challenges.issue('authenticate', options.challenge, {
      lifetimeSeconds: this.#deps.limits.passkeyChallengeLifetimeSeconds,
    });
    return { options, challengeId };
  }

  /**
   * The account a passkey login is for: the passkey the browser names, its user handle the
   * account's, the signature right for the challenge (once), the counter moving on. A cloned
   * authenticator is refused and audited.
   */
  async finishLogin(
    challengeId: string,
    response: AuthenticationResponseJSON,
    sourceIp: string,
  ): Promise<{ readonly account: Account; readonly passkey: Passkey }> {
    const used = await this.#verifyUse(challengeId, response, sourceIp);
    // A new password required by support is chosen before any login, with a passkey too.
    if (used.account.passwordResetRequired) throw new PatientProblemError('password-reset-required');
    await this.#audit(used.account.accountId, 'passkey-login', sourceIp, used.passkey.providerName);
    return used;
  }

  /** A passkey's use, of any account (or of `accountId` only): its checks, and its counter moved on. */
  async #verifyUse(
    challengeId: string,
    response: AuthenticationResponseJSON,
    sourceIp: string,
    accountId?: string,
  ): Promise<{ readonly account: Account; readonly passkey: Passkey }> {
    const challenge = await this.#take(challengeId, 'authenticate');
    const passkey = await this.#deps.passkeys.find(response.id);
    const handle = response.response.userHandle;
    if (!passkey || !handle || Buffer.from(handle, 'base64url').toString('utf8') !== passkey.accountId)
      throw new PasskeyNotVerifiedError('The passkey could not be used.', {
        logDetail: 'unknown-credential',
      });
    if (accountId !== undefined && passkey.accountId !== accountId)
      throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'another-account' });
    const used = await verifyAuthentication(this.#deps.relyingParty, response, challenge.challenge, passkey);
    if (counterVerdict(passkey.signCount, used.signCount) === 'cloned') {
      await this.#audit(passkey.accountId, 'passkey-clone-refused', sourceIp, passkey.providerName);
      throw new ClonedAuthenticatorError('The passkey could not be used.', { logDetail: 'counter' });
    }
    const recorded = await this.#deps.passkeys.recordUse(passkey.credentialId, {
      expectedSignCount: passkey.signCount,
      signCount: used.signCount,
      backedUp: used.backedUp,
      at: this.#deps.clock().toISOString(),
    });
    if (!recorded)
      throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'raced' });
    const account = await this.#deps.accounts.findById(passkey.accountId);
    if (!account)
      throw new PasskeyNotVerifiedError('The passkey could not be used.', { logDetail: 'no-account' });
    return { account, passkey };
  }

  /** Whether the account has any passkey (the code pages then offer one instead). */
  async hasAny(account: Account): Promise<boolean> {
    return (await this.#deps.passkeys.forAccount(account.accountId)).length > 0;
  }

  /**
   * A passkey of this account standing for its second factor in a reset, an unlock or a
   * re-authentication (issue 16, item 5): verified as a login's is (challenge once, signature,
   * user handle, counter), and refused unless the passkey is the account's.
   */
  async confirmIdentity(
    account: Account,
    challengeId: string,
    response: AuthenticationResponseJSON,
    sourceIp: string,
    purpose: string,
  ): Promise<void> {
    const { passkey } = await this.#verifyUse(challengeId, response, sourceIp, account.accountId);
    await this.#audit(
      account.accountId,
      'passkey-used',
      sourceIp,
      `${purpose}: ${passkey.providerName ?? ''}`,
    );
  }

  /** The account's passkeys, the newest first. */
  async list(account: Account): Promise<Passkey[]> {
    const passkeys = await this.#deps.passkeys.forAccount(account.accountId);
    return passkeys.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /**
   * Gives one of the account's passkeys the name the patient chose (trimmed, at most
   * `passkeyNameLength` characters): InvalidInputError when it is empty or too long,
   * NotFoundError when the account has no such passkey.
   */
  async rename(account: Account, credentialId: string, name: string): Promise<void> {
    const trimmed = name.trim().replace(/\s+/g, ' ');
    if (trimmed.length === 0)
      throw new InvalidInputError([{ field: 'name', message: 'Enter a name for the passkey' }]);
    if (trimmed.length > passkeyNameLength)
      throw new InvalidInputError([
        { field: 'name', message: `Enter a name of ${passkeyNameLength} characters or fewer` },
      ]);
    await this.#deps.passkeys.rename(account.accountId, credentialId, trimmed);
  }

  /**
   * Removes one of the account's passkeys and ends the sessions logged in with it (a lost device's);
   * the patient is emailed, and told to remove it from the device too.
   */
  async remove(account: Account, credentialId: string, sourceIp: string): Promise<void> {
    const passkey = (await this.#deps.passkeys.forAccount(account.accountId)).find(
      (candidate) => candidate.credentialId === credentialId,
    );
    await this.#deps.passkeys.remove(account.accountId, credentialId);
    // A lost device's logins go with its passkey.
    await this.#deps.sessions.endAllWithPasskey(account.accountId, credentialId);
    await this.#audit(account.accountId, 'passkey-removed', sourceIp, passkey?.providerName);
    await this.#deps.email.send(
      passkeyRemovedMessage({
        to: account.email,
        serviceName: this.#deps.service.serviceName,
        contactLink: this.#deps.service.contactLink,
        passkeyName: passkey?.name ?? 'Passkey',
      }),
    );
  }

  async #take(challengeId: string, ceremony: 'register' | 'authenticate') {
    try {
      return await this.#deps.challenges.take(challengeId, ceremony);
    } catch (error) {
      if (!(error instanceof DomainError) || error.status >= 500) throw error;
      throw new PasskeyNotVerifiedError('The passkey could not be used.', {
        logDetail: `challenge: ${error.code}`,
        cause: error,
      });
    }
  }

  async #audit(
    accountId: string,
    type: 'passkey-added' | 'passkey-removed' | 'passkey-login' | 'passkey-used' | 'passkey-clone-refused',
    sourceIp: string,
    detail: string | undefined,
  ): Promise<void> {
    await this.#deps.audit.record({
      accountId,
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
      ...(detail ? { detail: detail.slice(0, 100) } : {}),
    });
  }
}

import type { Account } from '../accounts/account.ts';
import { normaliseEmail } from '../accounts/account.ts';
import { maskPhoneNumber } from '../accounts/phone-number.ts';
import type { AuditEvent } from '../audit/audit-log.ts';
import type { RememberedDevice } from '../devices/remembered-devices.ts';
import { InvalidRequestError } from '../errors.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../identity/nhs-number.ts';
import type { Passkey } from '../passkeys/passkey.ts';

/** What support may read of an account: its state and factors, never a secret, code or hash. */
export interface SupportView {
  readonly accountId: string;
  readonly email: string;
  readonly createdAt: string;
  /** `active`, or why it cannot be used with services (suspended, or its PDS record). */
  readonly state: string;
  readonly proofingLevel: string;
  /** What the patient must do at the next login, as support required. */
  readonly required: readonly string[];
  /** The NHS number the account proved, where it has one. */
  readonly nhsNumber?: string;
  readonly factors: {
    /** The mobile phone by its last digits (support confirms it with the patient, never reads it out). */
    readonly phone?: string;
    readonly authenticatorApp: boolean;
    readonly passkeys: readonly {
      readonly name: string;
      readonly provider?: string;
      readonly lastUsedAt?: string;
    }[];
  };
  readonly devices: readonly {
    readonly label: string;
    readonly lastUsedAt: string;
    readonly expiresAt: string;
  }[];
  /** The newest audit events first: what the patient (or someone) did, when and from where. */
  readonly recentActivity: readonly AuditEvent[];
}

export interface SupportLookupDependencies {
  readonly accounts: {
    findByEmail(email: string): Promise<Account | undefined>;
    findByNhsNumber(nhsNumber: string): Promise<Account | undefined>;
  };
  readonly passkeys: { forAccount(accountId: string): Promise<Passkey[]> };
  readonly devices: { list(accountId: string): Promise<RememberedDevice[]> };
  readonly audit: { recent(accountId: string, limit: number): Promise<AuditEvent[]> };
}

export type SupportQuery = { readonly email: string } | { readonly nhsNumber: string };

const RECENT_EVENTS = 25;

/**
 * Support's look-up of a patient's account (seed 003: "contact NHS login support"), by the email
 * address or the NHS number the patient gives: the account's state, its second factors, its
 * remembered devices and recent activity. Read only; the actions support may take come with
 * their own audit (issue 17).
 */
export class SupportLookup {
  readonly #deps: SupportLookupDependencies;

  constructor(deps: SupportLookupDependencies) {
    this.#deps = deps;
  }

  async find(query: SupportQuery): Promise<SupportView | undefined> {
    const account = await this.account(query);
    if (!account) return undefined;
    const [passkeys, devices, recentActivity] = await Promise.all([
      this.#deps.passkeys.forAccount(account.accountId),
      this.#deps.devices.list(account.accountId),
      this.#deps.audit.recent(account.accountId, RECENT_EVENTS),
    ]);
    return {
      accountId: account.accountId,
      email: account.email,
      createdAt: account.createdAt,
      state: account.disabled ? `disabled (${account.disabled.reason}, ${account.disabled.at})` : 'active',
      proofingLevel: account.proofingLevel,
      required: [
        ...(account.passwordResetRequired
          ? [`a new password (since ${account.passwordResetRequired.at})`]
          : []),
        ...(account.identityToProveAgain
          ? [
              `a new second factor and proving who they are again, to ${account.identityToProveAgain.level} (since ${account.identityToProveAgain.at})`,
            ]
          : []),
      ],
      ...(account.identity?.nhsNumber ? { nhsNumber: account.identity.nhsNumber } : {}),
      factors: {
        ...(account.phoneNumber ? { phone: maskPhoneNumber(account.phoneNumber) } : {}),
        authenticatorApp: account.authenticatorApp !== undefined,
        passkeys: passkeys.map((passkey) => ({
          name: passkey.name,
          ...(passkey.providerName ? { provider: passkey.providerName } : {}),
          ...(passkey.lastUsedAt ? { lastUsedAt: passkey.lastUsedAt } : {}),
        })),
      },
      devices: devices.map((device) => ({
        label: device.label,
        lastUsedAt: device.lastUsedAt,
        expiresAt: device.expiresAt,
      })),
      recentActivity,
    };
  }

  /** The account the patient's email address or NHS number names, without the rest of the view. */
  account(query: SupportQuery): Promise<Account | undefined> {
    if ('email' in query) {
      const email = normaliseEmail(query.email);
      if (!email.includes('@'))
        throw new InvalidRequestError('Give the email address the patient uses to log in.');
      return this.#deps.accounts.findByEmail(email);
    }
    const nhsNumber = normaliseNhsNumber(query.nhsNumber);
    if (!isValidNhsNumber(nhsNumber))
      throw new InvalidRequestError(
        'That is not a valid NHS number: 10 digits with a check digit that matches.',
      );
    return this.#deps.accounts.findByNhsNumber(nhsNumber);
  }
}

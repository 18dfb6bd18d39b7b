import { randomUUID } from 'node:crypto';
import {
  type Account,
  type AccountStore,
  type AuthenticatorApp,
  type HeldIdentity,
  normaliseEmail,
} from '../../domain/accounts/account.ts';
import {
  EmailAlreadyRegisteredError,
  GpDetailsUsedError,
  NhsNumberTakenError,
} from '../../domain/accounts/account-errors.ts';
import { ConflictError } from '../../domain/errors.ts';
import type { VerifiedIdentity } from '../../domain/identity/verified-identity.ts';
import { higherProofingLevel, type ProofingLevel } from '../../domain/oidc/vectors-of-trust.ts';
import type { DynamoTable, Item, TransactionWrite } from './dynamo-table.ts';
import { accountItems, type ItemKey, keys, listings } from './keys.ts';

type AccountItem = Item & Account;
/** A claim item (an email address or an NHS number), naming the account that holds it. */
type EmailClaimItem = Item & { accountId: string };
type ClaimItem = Item & { accountId: string };

/** How long the audit events of a replaced account are kept after the replacement (docs/decisions.md). */
const replacedAuditRetentionDays = 2 * 365;

/** A claim whose owning account no longer exists (an interrupted clean-up): free to take over. */
class OrphanedClaimError extends Error {
  readonly key: ItemKey;
  readonly owner: string;

  constructor(key: ItemKey, owner: string) {
    super('The claim belongs to an account that no longer exists.');
    this.key = key;
    this.owner = owner;
  }
}

/** An account id no account has (ids are UUIDs), read in place of one when an address has none. */
const noAccount = 'no-account';

const toAccount = ({
  pk: _pk,
  sk: _sk,
  gsi1pk: _gsi1pk,
  gsi1sk: _gsi1sk,
  ...account
}: AccountItem): Account => account;

/**
 * Accounts, each with a claim item on its normalised email written in the same transaction.
 * Fields are top-level attributes, changed one at a time, so concurrent changes never undo each
 * other and a deleted account cannot be written back.
 */
export class DynamoAccountStore implements AccountStore {
  readonly #table: DynamoTable;

  constructor(table: DynamoTable) {
    this.#table = table;
  }

  async create(account: Account): Promise<void> {
    try {
      await this.#table.transact([
        {
          kind: 'create',
          item: { ...keys.emailClaim(normaliseEmail(account.email)), accountId: account.accountId },
        },
        {
          kind: 'create',
          item: {
            ...keys.account(account.accountId),
            ...account,
            gsi1pk: listings.subject(account.subject),
            gsi1sk: 'ACCOUNT',
          },
        },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  async findByEmail(email: string): Promise<Account | undefined> {
    const claim = await this.#table.get<EmailClaimItem>(keys.emailClaim(normaliseEmail(email)));
    // Two reads whether or not the address has an account, so the time taken gives nothing away.
    const account = await this.findById(claim?.accountId ?? noAccount);
    return claim ? account : undefined;
  }

  /** The account that proved an NHS number (its claim item), for support's look-up. */
  async findByNhsNumber(nhsNumber: string): Promise<Account | undefined> {
    const claim = await this.#table.get<EmailClaimItem>(keys.nhsNumberClaim(nhsNumber));
    return claim ? this.findById(claim.accountId) : undefined;
  }

  async findById(accountId: string): Promise<Account | undefined> {
    const item = await this.#table.get<AccountItem>(keys.account(accountId));
    return item && toAccount(item);
  }

  async findBySubject(subject: string): Promise<Account | undefined> {
    const [item] = await this.#table.queryIndex<AccountItem>('gsi1', listings.subject(subject));
    return item && toAccount(item);
  }

  async updatePasswordHash(accountId: string, passwordHash: string): Promise<void> {
    await this.#table.update(keys.account(accountId), { passwordHash, passwordResetRequired: undefined });
  }

  async setPhoneNumber(
    accountId: string,
    phoneNumber: string,
    before?: { readonly phoneNumber: string; readonly until: string },
  ): Promise<void> {
    await this.#table.update(keys.account(accountId), {
      phoneNumber,
      ...(before ? { phoneBeforeChanges: before } : {}),
    });
  }

  async setPendingAuthenticatorApp(accountId: string, pending: Account['pendingAuthenticatorApp']) {
    await this.#table.update(keys.account(accountId), { pendingAuthenticatorApp: pending });
  }

  async setAuthenticatorApp(accountId: string, app: AuthenticatorApp | undefined): Promise<void> {
    await this.#table.update(keys.account(accountId), {
      authenticatorApp: app,
      authenticatorAppUses: app ? 0 : undefined,
      pendingAuthenticatorApp: undefined,
    });
  }

  async recordAuthenticatorAppUse(
    accountId: string,
    expectedUses: number,
    app: AuthenticatorApp,
  ): Promise<boolean> {
    try {
      await this.#table.update(
        keys.account(accountId),
        { authenticatorApp: app, authenticatorAppUses: expectedUses + 1 },
        { authenticatorAppUses: expectedUses },
      );
      return true;
    } catch (error) {
      if (error instanceof ConflictError) return false;
      throw error;
    }
  }

  async setIdentity(accountId: string, level: ProofingLevel, identity: VerifiedIdentity): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    const before = account.identity;
    const owned = { accountId };
    const claims: TransactionWrite[] = [
      ...(identity.nhsNumber
        ? [{ kind: 'claim', item: { ...keys.nhsNumberClaim(identity.nhsNumber), accountId } } as const]
        : []),
      ...(identity.gpLink
        ? [{ kind: 'claim', item: { ...keys.gpLinkClaim(identity.gpLink), accountId } } as const]
        : []),
      // A number or GP link the account had before (superseded, or given up since) is released.
      ...(before?.nhsNumber && before.nhsNumber !== identity.nhsNumber
        ? [{ kind: 'delete', key: keys.nhsNumberClaim(before.nhsNumber), matching: owned } as const]
        : []),
      ...(before?.gpLink && before.gpLink !== identity.gpLink
        ? [{ kind: 'delete', key: keys.gpLinkClaim(before.gpLink), matching: owned } as const]
        : []),
    ];
    try {
      await this.#table.transact([
        ...claims,
        {
          kind: 'update',
          key: keys.account(accountId),
          // A held identity is forgotten once the account has one of its own.
          attributes: {
            proofingLevel: higherProofingLevel(level, account.proofingLevel),
            identity,
            heldIdentity: undefined,
            identityToProveAgain: undefined,
          },
          // From the level just read: a concurrent uplift makes this one fail whole.
          matching: { proofingLevel: account.proofingLevel },
        },
      ]);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const why = await this.#whyNotClaimed(accountId, identity, error);
      // A claim left by an account that no longer exists is taken over, once.
      if (why instanceof OrphanedClaimError) {
        await this.#table.transact([{ kind: 'delete', key: why.key, matching: { accountId: why.owner } }]);
        return this.setIdentity(accountId, level, identity);
      }
      throw why;
    }
  }

  /** Which claim another account holds, after a transaction was refused. */
  async #whyNotClaimed(accountId: string, identity: VerifiedIdentity, error: ConflictError): Promise<Error> {
    const [number, gp] = await Promise.all([
      identity.nhsNumber ? this.#table.get<ClaimItem>(keys.nhsNumberClaim(identity.nhsNumber)) : undefined,
      identity.gpLink ? this.#table.get<ClaimItem>(keys.gpLinkClaim(identity.gpLink)) : undefined,
    ]);
    for (const [claim, key] of [
      [number, identity.nhsNumber ? keys.nhsNumberClaim(identity.nhsNumber) : undefined],
      [gp, identity.gpLink ? keys.gpLinkClaim(identity.gpLink) : undefined],
    ] as const) {
      if (claim && key && claim.accountId !== accountId && !(await this.findById(claim.accountId)))
        return new OrphanedClaimError(key, claim.accountId);
    }
    const numberTaken = number !== undefined && number.accountId !== accountId;
    // GP details used by the account that has the NHS number: the same patient's other account (the duplicate journey).
    if (gp && gp.accountId !== accountId && !(numberTaken && gp.accountId === number.accountId))
      return new GpDetailsUsedError('These GP details were used by another account.');
    if (numberTaken) return new NhsNumberTakenError(number.accountId);
    return error;
  }

  async holdIdentity(accountId: string, held: HeldIdentity | undefined): Promise<void> {
    await this.#table.update(keys.account(accountId), { heldIdentity: held });
  }

  async replace(
    replacing: Account,
    replaced: Account,
    level: ProofingLevel,
    identity: VerifiedIdentity,
    context: { readonly at: string; readonly sourceIp?: string },
  ): Promise<void> {
    const nhsNumber = identity.nhsNumber;
    if (!nhsNumber || replaced.identity?.nhsNumber !== nhsNumber)
      throw new ConflictError('The accounts do not share the NHS number.');
    const at = this.#table.nowSeconds();
    await this.#table.transact([
      {
        kind: 'update',
        key: keys.nhsNumberClaim(nhsNumber),
        attributes: { accountId: replacing.accountId },
        matching: { accountId: replaced.accountId },
      },
      ...this.#gpLinkWrites(replacing.accountId, replaced, identity.gpLink),
      {
        kind: 'update',
        key: keys.account(replacing.accountId),
        attributes: {
          proofingLevel: higherProofingLevel(level, replacing.proofingLevel),
          identity,
          heldIdentity: undefined,
        },
        matching: { proofingLevel: replacing.proofingLevel },
      },
      {
        kind: 'delete',
        key: keys.account(replaced.accountId),
        matching: { proofingLevel: replaced.proofingLevel },
      },
      {
        kind: 'delete',
        key: keys.emailClaim(normaliseEmail(replaced.email)),
        matching: { accountId: replaced.accountId },
      },
      // The replaced account's last event, already with the retention its others get in the clean-up.
      {
        kind: 'create',
        item: {
          ...keys.auditEvent(replaced.accountId, context.at, randomUUID()),
          event: {
            accountId: replaced.accountId,
            type: 'replaced-by-new-account',
            at: context.at,
            ...(context.sourceIp ? { sourceIp: context.sourceIp } : {}),
          },
          expiresAt: at + replacedAuditRetentionDays * 86_400,
        },
      },
      // What is left to do: the clean-up, and telling the replaced account's address.
      {
        kind: 'create',
        item: {
          ...keys.replacedAccount(replacing.accountId, replaced.accountId),
          replacedAt: at,
          replacedEmail: replaced.email,
        },
      },
    ]);
  }

  /**
   * The GP link claims of a replacement: the replaced account's moves to the replacing one when
   * that takes it, and is released when the replacing account has GP details of its own.
   */
  #gpLinkWrites(replacingId: string, replaced: Account, gpLink: string | undefined): TransactionWrite[] {
    const replacedGpLink = replaced.identity?.gpLink;
    const owned = { accountId: replaced.accountId };
    if (replacedGpLink && replacedGpLink === gpLink)
      return [
        {
          kind: 'update',
          key: keys.gpLinkClaim(replacedGpLink),
          attributes: { accountId: replacingId },
          matching: owned,
        },
      ];
    return [
      ...(gpLink
        ? [{ kind: 'claim', item: { ...keys.gpLinkClaim(gpLink), accountId: replacingId } } as const]
        : []),
      ...(replacedGpLink
        ? [{ kind: 'delete', key: keys.gpLinkClaim(replacedGpLink), matching: owned } as const]
        : []),
    ];
  }

  async finishReplacing(
    accountId: string,
    notify: (replaced: { readonly email: string }) => Promise<void>,
  ): Promise<string[]> {
    const markers = await this.#table.queryPartition<Item & { replacedEmail?: string }>(
      keys.account(accountId).pk,
      accountItems.replaced,
    );
    const finished: string[] = [];
    for (const marker of markers) {
      const replacedId = marker.sk.slice(accountItems.replaced.length);
      const [items, links, sessions] = await Promise.all([
        this.#table.queryPartition(keys.account(replacedId).pk, ''),
        this.#table.queryIndex('gsi1', listings.accountLinks(replacedId)),
        this.#table.queryIndex('sessions', listings.accountSessions(replacedId)),
      ]);
      const audit = items.filter((item) => item.sk.startsWith(accountItems.audit));
      const rest = items.filter((item) => !item.sk.startsWith(accountItems.audit));
      // The audit events stay, for their retention from the replacement on.
      const expiresAt = this.#table.nowSeconds() + replacedAuditRetentionDays * 86_400;
      await this.#table.putAll(
        audit.filter((item) => item.expiresAt === undefined).map((item) => ({ ...item, expiresAt })),
      );
      await this.#table.deleteAll([
        ...[...rest, ...links, ...sessions].map((item) => ({ pk: item.pk, sk: item.sk })),
        ...passkeyClaimsOf(rest),
      ]);
      // The marker goes only once the address is told: an interrupted try tells it on the next.
      if (marker.replacedEmail) await notify({ email: marker.replacedEmail });
      await this.#table.deleteAll([{ pk: marker.pk, sk: marker.sk }]);
      finished.push(replacedId);
    }
    return finished;
  }

  async disable(accountId: string, disabled: NonNullable<Account['disabled']>): Promise<void> {
    await this.#table.update(keys.account(accountId), { disabled });
  }

  async liftSuspension(accountId: string): Promise<void> {
    await this.#table.update(keys.account(accountId), { disabled: undefined });
  }

  async requirePasswordReset(accountId: string, at: string): Promise<void> {
    await this.#table.update(keys.account(accountId), { passwordResetRequired: { at } });
  }

  async removeSecondFactors(
    accountId: string,
    toProveAgain: NonNullable<Account['identityToProveAgain']>,
  ): Promise<void> {
    await this.#table.update(keys.account(accountId), {
      phoneNumber: undefined,
      phoneBeforeChanges: undefined,
      authenticatorApp: undefined,
      authenticatorAppUses: undefined,
      pendingAuthenticatorApp: undefined,
      proofingLevel: 'P0',
      identityToProveAgain: toProveAgain,
    });
  }

  async revokeSessions(accountId: string): Promise<number> {
    const item = await this.#table.incrementIfPresent<AccountItem>(
      keys.account(accountId),
      'sessionGeneration',
      1,
    );
    if (!item) throw new ConflictError('The account does not exist.');
    return item.sessionGeneration ?? 1;
  }

  async changeEmail(accountId: string, newEmail: string): Promise<void> {
    const account = await this.findById(accountId);
    if (!account) throw new ConflictError('The account does not exist.');
    try {
      await this.#table.transact([
        { kind: 'create', item: { ...keys.emailClaim(normaliseEmail(newEmail)), accountId } },
        { kind: 'delete', key: keys.emailClaim(normaliseEmail(account.email)) },
        // Only from the address just read: a concurrent change makes this one fail whole.
        {
          kind: 'update',
          key: keys.account(accountId),
          attributes: { email: newEmail.trim() },
          matching: { email: account.email },
        },
      ]);
    } catch (error) {
      if (error instanceof ConflictError)
        throw new EmailAlreadyRegisteredError('This email address has an account.');
      throw error;
    }
  }

  /** Deletes the account's partition, its email, NHS number and GP claims, and any link still pending for it. */
  async delete(accountId: string): Promise<void> {
    const account = await this.findById(accountId);
    const [items, links] = await Promise.all([
      this.#table.queryPartition(keys.account(accountId).pk, ''),
      this.#table.queryIndex('gsi1', listings.accountLinks(accountId)),
    ]);
    // The account and its claims go in one write, the claims only while they are still this
    // account's (a replacement may have moved them): no live account is ever left without its claims.
    const claimKeys = [
      account?.identity?.nhsNumber ? keys.nhsNumberClaim(account.identity.nhsNumber) : undefined,
      account?.identity?.gpLink ? keys.gpLinkClaim(account.identity.gpLink) : undefined,
    ].filter((key) => key !== undefined);
    const claims = await Promise.all(claimKeys.map((key) => this.#table.get<ClaimItem>(key)));
    if (account)
      await this.#table.transact([
        ...claims
          .filter((claim) => claim?.accountId === accountId)
          .map((claim) => ({
            kind: 'delete' as const,
            key: { pk: claim?.pk ?? '', sk: claim?.sk ?? '' },
            matching: { accountId },
          })),
        { kind: 'delete', key: keys.emailClaim(normaliseEmail(account.email)), matching: { accountId } },
        { kind: 'delete', key: keys.account(accountId) },
      ]);
    await this.#table.deleteAll([
      ...[...items, ...links].map((item) => ({ pk: item.pk, sk: item.sk })),
      ...passkeyClaimsOf(items),
    ]);
  }
}

/** The credential claims of the passkeys among an account's items: outside its partition, so deleted by name. */
const passkeyClaimsOf = (items: readonly Item[]) =>
  items.flatMap((item) => {
    const credentialId = (item as { passkey?: { credentialId?: unknown } }).passkey?.credentialId;
    return item.sk.startsWith(accountItems.passkey) && typeof credentialId === 'string'
      ? [keys.passkeyClaim(credentialId)]
      : [];
  });

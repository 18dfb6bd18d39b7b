import type { LinkSlot, OneTimeLinks } from '../links/one-time-links.ts';
import { type Account, normaliseEmail } from './account.ts';

/**
 * The emailed links that could still change an account: a change of email address, and the
 * reset, unlock and confirmation links of its address. The links that undo a phone number change
 * and report an email change ("this was not me") are not among them: they protect the patient, so
 * nothing the account does ends them early.
 */
export class AccountLinks {
  readonly #links: OneTimeLinks;

  constructor(links: OneTimeLinks) {
    this.#links = links;
  }

  /** Ends every pending link of the account: after a reset, a new password or a new email address. */
  async endPending(account: Pick<Account, 'accountId' | 'email'>): Promise<void> {
    await this.#links.end(pendingSlots(account));
  }
}

/** The slots of an account's pending links. */
export const pendingSlots = (account: Pick<Account, 'accountId' | 'email'>): LinkSlot[] => {
  const address = normaliseEmail(account.email);
  return [
    { purpose: 'confirm-new-email', owner: { accountId: account.accountId } },
    { purpose: 'reset-password', owner: { address } },
    { purpose: 'unlock-account', owner: { address } },
    { purpose: 'confirm-email', owner: { address } },
  ];
};

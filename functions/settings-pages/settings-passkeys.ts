import type { Account } from '../../src/domain/accounts/account.ts';
import { DomainError, NotFoundError } from '../../src/domain/errors.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import type { Passkey } from '../../src/domain/passkeys/passkey.ts';
import { readRegistrationResponse } from '../../src/domain/passkeys/passkey-responses.ts';
import { passkeyNameLength, TooManyPasskeysError } from '../../src/domain/passkeys/passkeys.ts';
import { urlFor } from '../../src/routes.ts';
import { type PageOutcome, type PageRequest, textFields } from '../../src/web/page-routes.ts';
import type { Page } from '../../src/web/pages-handler.ts';
import { keptAfterRemoving, sessionAccount } from '../../src/web/session-account.ts';
import {
  type SettingsKit,
  type SettingsPagesDependencies,
  type SettingsRoutes,
  shownTime,
} from './settings-kit.ts';

/** The notice at the top of the Passkeys page after a change (from a fixed list, never from input). */
const updates: Record<string, string> = {
  added: 'Your passkey has been set up',
  renamed: 'Your passkey has been renamed',
  removed: 'Your passkey has been removed from your account',
};

const toPasskeys: PageOutcome = { redirect: urlFor('settings-passkeys') };

const row = (passkey: Passkey) => ({
  credentialId: passkey.credentialId,
  name: passkey.name,
  provider: passkey.providerName ?? 'Unknown provider',
  created: shownTime(passkey.createdAt),
  lastUsed: passkey.lastUsedAt ? shownTime(passkey.lastUsedAt) : 'Not used yet',
});

/**
 * The Passkeys page of the settings (seed 004): each passkey with its provider, name and dates;
 * setting one up behind the re-authentication gate (the browser offers this device, another phone
 * or tablet, or a security key); renaming one; removing one after a confirmation, from any device
 * the patient is logged in on (a lost device's passkey is removed from another).
 */
export const passkeyPages = (
  deps: SettingsPagesDependencies,
  { withAccount, behindGate }: SettingsKit,
  page: Page,
) => {
  const owned = async (account: Account, credentialId: string) =>
    (await deps.passkeys.list(account)).find((passkey) => passkey.credentialId === credentialId);

  /** The set-up page, with a new ceremony: its options for the page's script and its challenge's id. */
  const setUpPage = async (account: Account) => {
    try {
      const { options, challengeId } = await deps.passkeys.beginSetUp(account);
      return { title: 'Set up a passkey', passkey: { options: JSON.stringify(options), challengeId } };
    } catch (error) {
      if (!(error instanceof TooManyPasskeysError)) throw error;
      return {
        title: 'You cannot set up another passkey',
        tooMany: true,
      };
    }
  };

  const setUpFormData = async (request: PageRequest<unknown>) => {
    const account = await sessionAccount(deps.accounts, request, 'full');
    return account ? setUpPage(account) : { title: 'Set up a passkey' };
  };

  return {
    'settings-passkeys': page({
      handle: withAccount(async ({ query }, account) => {
        const passkeys = await deps.passkeys.list(account);
        return {
          view: 'pages/settings-passkeys.njk',
          data: {
            title: 'Passkeys',
            updated: Object.hasOwn(updates, query.updated ?? '') ? updates[query.updated ?? ''] : undefined,
            passkeys: passkeys.map(row),
            canAddMore: passkeys.length < deps.limits.passkeysPerAccount,
            passkeysPerAccount: deps.limits.passkeysPerAccount,
          },
        };
      }),
    }),
    'settings-passkey-set-up': page({
      handle: behindGate('passkey', async (_request, account) => ({
        view: 'pages/settings-passkey-set-up.njk',
        data: await setUpPage(account),
      })),
    }),
    'settings-passkey-set-up-submit': page({
      fields: textFields('challengeId', 'credential'),
      formView: 'pages/settings-passkey-set-up.njk',
      formData: setUpFormData,
      secretFields: ['challengeId', 'credential'],
      handle: behindGate('passkey', async ({ form, sourceIp }, account) => {
        if (form.credential === '')
          throw new InvalidInputError([
            {
              field: 'passkey',
              message: 'Your device did not create a passkey. Select Continue to try again',
            },
          ]);
        await (async () =>
          deps.passkeys.finishSetUp(
            account,
            form.challengeId,
            readRegistrationResponse(form.credential),
            sourceIp,
          ))().catch((error: unknown) => {
          if (
            error instanceof TooManyPasskeysError ||
            !(error instanceof DomainError) ||
            error.status !== 400
          )
            throw error;
          // A used or expired challenge, another origin, a key already set up: the log has which.
          throw new InvalidInputError([
            {
              field: 'passkey',
              message: 'Your passkey could not be set up. Select Continue to try again',
            },
          ]);
        });
        return { redirect: urlFor('settings-passkeys', { updated: 'added' }) };
      }),
    }),
    'settings-passkey-name': page({
      handle: withAccount(async ({ query }, account) => {
        const passkey = await owned(account, query.passkey ?? '');
        if (!passkey) return toPasskeys;
        return {
          view: 'pages/settings-passkey-name.njk',
          data: {
            title: 'Change the name of your passkey',
            credentialId: passkey.credentialId,
            values: { name: passkey.name },
            nameLength: passkeyNameLength,
          },
        };
      }),
    }),
    'settings-passkey-name-submit': page({
      fields: textFields('passkey', 'name'),
      formView: 'pages/settings-passkey-name.njk',
      formData: ({ form }) => ({
        title: 'Change the name of your passkey',
        credentialId: (form as { passkey?: string }).passkey,
        nameLength: passkeyNameLength,
      }),
      handle: withAccount(async ({ form }, account) => {
        if (!(await owned(account, form.passkey))) return toPasskeys;
        await deps.passkeys.rename(account, form.passkey, form.name);
        return { redirect: urlFor('settings-passkeys', { updated: 'renamed' }) };
      }),
    }),
    'settings-passkey-remove': page({
      fields: textFields('passkey', 'confirm'),
      handle: withAccount(async ({ form, sourceIp, session }, account) => {
        const passkey = await owned(account, form.passkey);
        if (!passkey) return toPasskeys;
        // The Passkeys page's "Remove" asks first (seed 004); only the answer "yes" removes.
        if (form.confirm !== 'yes')
          return {
            view: 'pages/confirm-passkey-removal.njk',
            data: { title: 'Remove this passkey?', passkey: row(passkey) },
          };
        await deps.passkeys.remove(account, passkey.credentialId, sourceIp).catch((error: unknown) => {
          // Removed a moment ago from another page: it is gone either way.
          if (!(error instanceof NotFoundError)) throw error;
        });
        // Removing it ended the sessions logged in with it; this browser stays logged in.
        const kept = keptAfterRemoving(session, 'passkeyId', passkey.credentialId);
        return {
          redirect: urlFor('settings-passkeys', { updated: 'removed' }),
          ...(kept ? { session: kept } : {}),
        };
      }),
    }),
  } satisfies SettingsRoutes;
};

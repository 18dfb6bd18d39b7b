import { generateKeyPairSync } from 'node:crypto';
import type {
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import { DynamoPasskeyStore } from '../../../src/adapters/dynamodb/dynamo-passkey-store.ts';
import { registerClient } from '../../../src/domain/clients/client-registration.ts';
import {
  codeIn,
  confirmItIsYou,
  createAccount,
  errorsOf,
  firstLogin,
  headingOf,
  linkIn,
  type PageClient,
  type PageResponse,
  startPages,
} from '../../support/page-client.ts';
import { softwareAuthenticator } from '../../support/software-authenticator.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';
const REDIRECT_URI = 'http://localhost:3001/callback';
// The test stack's issuer: the origin and relying party id passkeys are made for.
const ORIGIN = 'http://localhost';
const NOT_USED =
  'We could not log you in with that passkey. Try again, or log in with your email address and password';

const unescapeHtml = (value: string) =>
  value
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The passkey form of a page, as its script reads it: the ceremony's options and its challenge's id. */
const passkeyForm = <Options>(html: string): { options: Options; challengeId: string } | undefined => {
  const form = /<form[^>]*data-passkey="[^"]+"[^>]*data-options="([^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
  if (!form) return undefined;
  const challengeId = /name="challengeId" value="([^"]*)"/.exec(form[2] ?? '')?.[1] ?? '';
  return { options: JSON.parse(unescapeHtml(form[1] ?? '')) as Options, challengeId };
};

describe('passkeys (seed 004)', () => {
  let pages: Pages | undefined;
  afterEach(async () => {
    await pages?.stop();
    pages = undefined;
  });
  /** The stack of the test (started by it). */
  const stack = (): Pages => {
    if (!pages) throw new Error('The test has not started the pages');
    return pages;
  };

  /** A fully logged-in patient with a phone. */
  const loggedIn = async (email = EMAIL): Promise<PageClient> => {
    pages ??= await startPages();
    const client = pages.client();
    await createAccount(client, stack().outbox, email, PASSWORD);
    await firstLogin(client, stack().outbox, { email, password: PASSWORD, phoneNumber: '07700 900123' });
    return client;
  };

  /** Settings, Passkeys, Set up a passkey: through the re-authentication gate to the set-up page. */
  const openSetUp = async (client: PageClient) => {
    await confirmItIsYou(client, stack().outbox, PASSWORD, { target: 'passkey' });
    const page = await client.get('/settings/passkeys/set-up');
    const form = passkeyForm<PublicKeyCredentialCreationOptionsJSON>(page.html);
    if (!form) throw new Error(`No passkey form on the set-up page: ${headingOf(page.html)}`);
    return { page, ...form };
  };

  /** Sets up a passkey with a new software authenticator; gives the authenticator and the account id. */
  const setUpPasskey = async (client: PageClient) => {
    const { options, challengeId } = await openSetUp(client);
    const authenticator = softwareAuthenticator({ rpId: 'localhost', origin: ORIGIN });
    const posted = await client.post('/settings/passkeys/set-up', {
      challengeId,
      credential: JSON.stringify(authenticator.register(options.challenge)),
    });
    const accountId = Buffer.from(options.user.id, 'base64url').toString('utf8');
    return { authenticator, accountId, posted };
  };

  /** Logs in with the passkey from the login page's button (or, with `email`, the email-first page). */
  const passkeyLogin = async (
    client: PageClient,
    authenticator: ReturnType<typeof softwareAuthenticator>,
    accountId: string,
    email?: string,
  ) => {
    const page = await client.get(email === undefined ? '/login' : '/login/passkey');
    const form = passkeyForm<PublicKeyCredentialRequestOptionsJSON>(page.html);
    if (!form) throw new Error('No passkey form on the login page');
    return client.post('/login/passkey', {
      challengeId: form.challengeId,
      credential: JSON.stringify(authenticator.authenticate(form.options.challenge, accountId)),
      from: email === undefined ? 'login' : 'email',
      ...(email === undefined ? {} : { email }),
    });
  };

  it('sets up a passkey behind the re-authentication gate, with options that leave the device open', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const before = await client.get('/settings/passkeys/set-up');
    const { options, page } = await openSetUp(client);

    // Assess
    expect(before.location).toBe('/settings/confirm-it-is-you?for=passkey');
    expect(headingOf(page.html)).toBe('Set up a passkey');
    // This device, another phone or tablet, or a security key: the browser offers them all.
    expect(options.authenticatorSelection).toEqual(
      expect.objectContaining({ residentKey: 'required', userVerification: 'required' }),
    );
    expect(options.authenticatorSelection?.authenticatorAttachment).toBeUndefined();
    expect(options.pubKeyCredParams.map((parameter) => parameter.alg)).toEqual([-7, -257]);
    expect(options.rp).toEqual({ name: 'NHS login', id: 'localhost' });
    expect(options.attestation).toBe('none');
  });

  it('keeps the new passkey, lists it with its provider and dates, and emails the patient', async () => {
    // Prepare
    const client = await loggedIn();

    // Act
    const { posted } = await setUpPasskey(client);

    // Assess
    expect(posted.location).toBe('/settings/passkeys?updated=added');
    const list = posted.next as PageResponse;
    expect(headingOf(list.html)).toBe('Passkeys');
    expect(list.html).toContain('Your passkey has been set up');
    expect(list.html).toContain('Not used yet');
    expect(list.html).toContain('If you lose your device');
    expect(stack().outbox.latest({ kind: 'passkey-added' })?.to).toBe(EMAIL);
    const settings = await client.get('/settings');
    expect(settings.html).toContain('1 set up');
    expect(settings.html).toContain('Passkey set up');
  });

  it.each([
    ['no response', ''],
    ['a response that is not JSON', '{not json'],
    ['a response of the wrong shape', JSON.stringify({ id: 'x', type: 'public-key', response: {} })],
    ['JSON null', 'null'],
  ])('refuses to set up a passkey from %s, with the page shown again', async (_case, credential) => {
    // Prepare
    const client = await loggedIn();
    const { challengeId } = await openSetUp(client);

    // Act
    const posted = await client.post('/settings/passkeys/set-up', { challengeId, credential });

    // Assess
    expect(posted.status).toBe(400);
    expect(headingOf(posted.html)).toBe('Set up a passkey');
    expect(errorsOf(posted.html)[0]).toMatch(
      /Your (device did not create a passkey|passkey could not be set up)/,
    );
    expect(passkeyForm(posted.html)?.challengeId).not.toBe(challengeId);
    expect(await new DynamoPasskeyStore(stack().dependencies.table).forAccount('x')).toEqual([]);
  });

  it('refuses a set-up answered for another origin, or with a challenge used already', async () => {
    // Prepare
    const client = await loggedIn();
    const { options, challengeId } = await openSetUp(client);
    const authenticator = softwareAuthenticator({ rpId: 'localhost', origin: ORIGIN });
    const elsewhere = authenticator.register(options.challenge, 'https://evil.example');
    const good = authenticator.register(options.challenge);

    // Act
    const fromElsewhere = await client.post('/settings/passkeys/set-up', {
      challengeId,
      credential: JSON.stringify(elsewhere),
    });
    const replayed = await client.post('/settings/passkeys/set-up', {
      challengeId,
      credential: JSON.stringify(good),
    });

    // Assess
    expect(errorsOf(fromElsewhere.html)).toEqual([
      'Your passkey could not be set up. Select Continue to try again',
    ]);
    // The first attempt took the challenge: it cannot be used again, even with a good answer.
    expect(errorsOf(replayed.html)).toEqual([
      'Your passkey could not be set up. Select Continue to try again',
    ]);
    expect((await client.get('/settings/passkeys')).html).toContain('You have no passkeys');
  });

  it('stops set-ups at the day’s limit and at the most passkeys an account may have, saying what to do', async () => {
    // Prepare
    pages = await startPages({ limits: { passkeysPerAccount: 1, passkeySetUpsPerAccount: 2 } });
    const client = await loggedIn();
    await setUpPasskey(client);
    const atMost = await client.get('/settings/passkeys/set-up');
    const list = await client.get('/settings/passkeys');
    await stack().stop();
    pages = await startPages({ limits: { passkeySetUpsPerAccount: 2 } });
    const another = await loggedIn();
    await setUpPasskey(another);
    await another.get('/settings/passkeys/set-up');

    // Act
    const third = await another.get('/settings/passkeys/set-up');

    // Assess
    expect(headingOf(atMost.html)).toBe('You cannot set up another passkey');
    expect(passkeyForm(atMost.html)).toBeUndefined();
    expect(list.html).not.toContain('Set up a passkey</a>');
    expect(list.html).toContain('the most an account can have');
    // Each opening of the set-up page counts towards the day's two.
    expect(third.status).toBe(429);
    expect(third.html).toContain('You have tried to set up a passkey too many times today.');
  });

  it('logs in with the passkey alone, from the login page, with the login audited', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    await client.post('/logout');

    // Act
    const loggedInAgain = await passkeyLogin(client, authenticator, accountId);

    // Assess
    expect(loggedInAgain.location).toBe('/login/done');
    expect(headingOf(loggedInAgain.next?.html ?? '')).toBe('You are logged in');
    const passkeysPage = await client.get('/settings/passkeys');
    expect(passkeysPage.html).not.toContain('Not used yet');
    const events = await new DynamoAuditLog(stack().dependencies.table).recent(accountId, 10);
    expect(events.map((event) => event.type)).toContain('passkey-login');
  });

  it('refuses a passkey login of an account support required a new password of, with the page saying so', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    await client.post('/logout');
    await new DynamoAccountStore(stack().dependencies.table).requirePasswordReset(
      accountId,
      new Date().toISOString(),
    );

    // Act
    const refused = await passkeyLogin(client, authenticator, accountId);

    // Assess
    expect(refused.status).toBe(403);
    expect(headingOf(refused.html)).toBe('You need to reset your password');
    const events = await new DynamoAuditLog(stack().dependencies.table).recent(accountId, 10);
    expect(events.map((event) => event.type)).not.toContain('passkey-login');
  });

  it('offers the browser’s passkeys on the login page’s email field, and no passkey on a form shown again', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const page = await stack().client().get('/login');

    // Assess
    expect(page.html).toContain('autocomplete="username webauthn"');
    expect(page.html).toContain('Log in with a passkey');
    expect(passkeyForm<PublicKeyCredentialRequestOptionsJSON>(page.html)?.options.allowCredentials).toEqual(
      [],
    );
  });

  it('logs in by the email-first page with the passkey of that address', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    await client.post('/logout');

    // Act
    const response = await passkeyLogin(client, authenticator, accountId, ' PAT@example.com ');

    // Assess
    expect(response.location).toBe('/login/done');
  });

  it('shows the same email-first page whether or not the address has passkeys, and refuses a passkey of another address', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    await client.post('/logout');
    const stranger = stack().client();

    // Act
    const known = await stranger.get('/login/passkey');
    const wrongAddress = await passkeyLogin(client, authenticator, accountId, 'someone-else@example.com');

    // Assess
    expect(headingOf(known.html)).toBe('Log in with a passkey');
    expect(known.html).not.toContain(EMAIL);
    expect(wrongAddress.status).toBe(400);
    expect(errorsOf(wrongAddress.html)).toEqual([NOT_USED]);
    expect((await client.get('/settings')).location).toBe('/login');
  });

  it.each([
    ['no response', ''],
    ['a response that is not JSON', '["'],
    ['a response of the wrong shape', JSON.stringify({ id: 'abc', rawId: 'abc', type: 'public-key' })],
    ['an unknown passkey', 'unknown'],
  ])('refuses a passkey login with %s, and logs no one in', async (_case, credential) => {
    // Prepare
    pages = await startPages();
    const client = stack().client();
    const page = await client.get('/login');
    const form = passkeyForm<PublicKeyCredentialRequestOptionsJSON>(page.html);
    const unknown = softwareAuthenticator({ rpId: 'localhost', origin: ORIGIN }).authenticate(
      form?.options.challenge ?? '',
      'no-such-account',
    );

    // Act
    const response = await client.post('/login/passkey', {
      challengeId: form?.challengeId ?? '',
      credential: credential === 'unknown' ? JSON.stringify(unknown) : credential,
      from: 'login',
    });

    // Assess
    expect(response.status).toBe(400);
    expect(errorsOf(response.html)[0]).toMatch(/passkey/);
    expect((await client.get('/settings')).location).toBe('/login');
  });

  it('refuses a replayed login, and a cloned authenticator (its counter going back), and audits the clone', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    await client.post('/logout');
    await passkeyLogin(client, authenticator, accountId);
    await passkeyLogin(client, authenticator, accountId);
    await client.post('/logout');
    const page = await client.get('/login');
    const form = passkeyForm<PublicKeyCredentialRequestOptionsJSON>(page.html);
    const answer = JSON.stringify(authenticator.authenticate(form?.options.challenge ?? '', accountId));
    await client.post('/login/passkey', {
      challengeId: form?.challengeId ?? '',
      credential: answer,
      from: 'login',
    });
    await client.post('/logout');
    authenticator.setCounter(1);

    await client.get('/login');

    // Act
    const replayed = await client.post('/login/passkey', {
      challengeId: form?.challengeId ?? '',
      credential: answer,
      from: 'login',
    });
    const cloned = await passkeyLogin(client, authenticator, accountId);

    // Assess
    expect(errorsOf(replayed.html)).toEqual([NOT_USED]);
    expect(errorsOf(cloned.html)).toEqual([NOT_USED]);
    const events = await new DynamoAuditLog(stack().dependencies.table).recent(accountId, 20);
    expect(events.map((event) => event.type)).toContain('passkey-clone-refused');
  });

  it('renames a passkey, and refuses an empty or long name', async () => {
    // Prepare
    const client = await loggedIn();
    const { accountId } = await setUpPasskey(client);
    const [passkey] = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    const id = passkey?.credentialId ?? '';
    await client.get(`/settings/passkeys/name?passkey=${id}`);

    // Act
    const empty = await client.post('/settings/passkeys/name', { passkey: id, name: '  ' });
    const long = await client.post('/settings/passkeys/name', { passkey: id, name: 'x'.repeat(51) });
    const renamed = await client.post('/settings/passkeys/name', { passkey: id, name: 'My phone' });

    // Assess
    expect(errorsOf(empty.html)).toEqual(['Enter a name for the passkey']);
    expect(errorsOf(long.html)).toEqual(['Enter a name of 50 characters or fewer']);
    expect(renamed.location).toBe('/settings/passkeys?updated=renamed');
    expect(renamed.next?.html).toContain('My phone');
  });

  it('removes a passkey after asking, emails the patient, and the password and code still log in', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    const [passkey] = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    const id = passkey?.credentialId ?? '';

    // Act
    const asked = await client.post('/settings/passkeys/remove', { passkey: id });
    const removed = await client.post('/settings/passkeys/remove', { passkey: id, confirm: 'yes' });
    await client.post('/logout');
    const withRemoved = await passkeyLogin(client, authenticator, accountId);
    await client.get('/login');
    await client.post('/login', { email: EMAIL, password: PASSWORD });
    const withCode = await client.post('/login/code', {
      code: codeIn(stack().outbox.latest({ kind: 'security-code' })?.text ?? ''),
    });

    // Assess
    expect(headingOf(asked.html)).toBe('Remove this passkey?');
    expect(asked.html).toContain('remove the passkey from your device settings');
    expect(removed.location).toBe('/settings/passkeys?updated=removed');
    expect(stack().outbox.latest({ kind: 'passkey-removed' })?.to).toBe(EMAIL);
    expect(errorsOf(withRemoved.html)).toEqual([NOT_USED]);
    expect(withCode.location).toBe('/login/done');
  });

  it('ends the logins made with a passkey when it is removed from another device (a lost device)', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    const [passkey] = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    const lostDevice = stack().client({ localAddress: '127.0.0.2' });
    await passkeyLogin(lostDevice, authenticator, accountId);
    const before = await lostDevice.get('/settings');

    // Act
    await client.get('/settings/passkeys');
    await client.post('/settings/passkeys/remove', { passkey: passkey?.credentialId ?? '', confirm: 'yes' });
    const after = await lostDevice.get('/settings');

    // Assess
    expect(before.status).toBe(200);
    expect(headingOf(after.html)).toBe('Your session has ended');
    expect((await client.get('/settings')).status).toBe(200);
  });

  it('keeps this browser logged in when the passkey it logged in with is removed here', async () => {
    // Prepare
    const client = await loggedIn();
    const { authenticator, accountId } = await setUpPasskey(client);
    const [passkey] = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    await client.post('/logout');
    await passkeyLogin(client, authenticator, accountId);

    // Act
    await client.get('/settings/passkeys');
    const removed = await client.post('/settings/passkeys/remove', {
      passkey: passkey?.credentialId ?? '',
      confirm: 'yes',
    });

    // Assess
    expect(removed.location).toBe('/settings/passkeys?updated=removed');
    expect(headingOf(removed.next?.html ?? '')).toBe('Passkeys');
  });

  it('does not let another account rename or remove a passkey', async () => {
    // Prepare
    const owner = await loggedIn();
    const { accountId } = await setUpPasskey(owner);
    const [passkey] = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    const id = passkey?.credentialId ?? '';
    const other = await loggedIn('other@example.com');

    // Act
    await other.get('/settings/passkeys');
    const removal = await other.post('/settings/passkeys/remove', { passkey: id, confirm: 'yes' });
    const rename = await other.post('/settings/passkeys/name', { passkey: id, name: 'Mine now' });

    // Assess
    expect(removal.location).toBe('/settings/passkeys');
    expect(rename.location).toBe('/settings/passkeys');
    const kept = await new DynamoPasskeyStore(stack().dependencies.table).forAccount(accountId);
    expect(kept.map((candidate) => candidate.name)).toEqual([passkey?.name]);
  });

  describe('in place of the security code', () => {
    /** The passkey form of a code page answered by the authenticator, posted to its action. */
    const answerWithPasskey = async (
      client: PageClient,
      page: PageResponse,
      authenticator: ReturnType<typeof softwareAuthenticator>,
      accountId: string,
    ) => {
      const form = passkeyForm<PublicKeyCredentialRequestOptionsJSON>(page.html);
      const action = /data-passkey="confirm"/.test(page.html)
        ? (/<form method="post" action="([^"]+)" data-passkey="confirm"/.exec(page.html)?.[1] ?? '')
        : '';
      if (!form || !action) throw new Error(`No passkey form on ${headingOf(page.html)}`);
      return client.post(action, {
        challengeId: form.challengeId,
        credential: JSON.stringify(authenticator.authenticate(form.options.challenge, accountId)),
      });
    };

    /** A forgotten password's emailed link opened, to its code page. */
    const resetCodePage = async (client: PageClient) => {
      await client.get('/password/forgotten');
      await client.post('/password/forgotten', { email: EMAIL });
      const link = linkIn(stack().outbox.latest({ kind: 'reset-password' })?.text ?? '', '/password/reset');
      await client.get(link);
      const posted = await client.post('/password/reset', {
        token: new URL(link, ORIGIN).searchParams.get('token') ?? '',
      });
      return posted.next as PageResponse;
    };

    it('resets a password with a passkey instead of the texted code', async () => {
      // Prepare
      const client = await loggedIn();
      const { authenticator, accountId } = await setUpPasskey(client);
      await client.post('/logout');
      const codePage = await resetCodePage(client);

      // Act
      const passed = await answerWithPasskey(client, codePage, authenticator, accountId);

      // Assess
      expect(codePage.html).toContain('Use a passkey instead');
      expect(passed.location).toBe('/password/reset/new');
    });

    it('refuses another account’s passkey in a reset, and an answer that is not one, and goes no further', async () => {
      // Prepare
      const client = await loggedIn();
      await setUpPasskey(client);
      const other = await loggedIn('other@example.com');
      const theirs = await setUpPasskey(other);
      await client.post('/logout');
      const codePage = await resetCodePage(client);

      // Act
      const wrongAccount = await answerWithPasskey(client, codePage, theirs.authenticator, theirs.accountId);
      const garbage = await client.post('/password/reset/passkey', {
        challengeId: 'x',
        credential: '{"id":1}',
      });
      const onwards = await client.get('/password/reset/new');

      // Assess
      expect(errorsOf(wrongAccount.html)).toEqual([
        'We could not check it is you with that passkey. Try again, or enter the security code',
      ]);
      expect(errorsOf(garbage.html)).toEqual([
        'We could not check it is you with that passkey. Try again, or enter the security code',
      ]);
      // The new password waits for a second factor that was passed: the problem page says so.
      expect(onwards.status).toBe(403);
      expect(headingOf(onwards.html)).not.toBe('Create a new password');
    });

    it('offers no passkey on the code page of an account without one', async () => {
      // Prepare
      const client = await loggedIn();
      await client.post('/logout');

      // Act
      const codePage = await resetCodePage(client);

      // Assess
      expect(headingOf(codePage.html)).toBe('Enter the security code');
      expect(codePage.html).not.toContain('Use a passkey instead');
    });

    it('confirms it is you in settings with a passkey instead of the code', async () => {
      // Prepare
      const client = await loggedIn();
      const { authenticator, accountId } = await setUpPasskey(client);
      await client.get('/settings/confirm-it-is-you?for=phone');
      const password = await client.post('/settings/confirm-it-is-you', { password: PASSWORD });

      // Act
      const passed = await answerWithPasskey(client, password.next as PageResponse, authenticator, accountId);

      // Assess
      expect(passed.location).toBe('/settings/phone');
    });
  });

  describe('for a relying party', () => {
    /** A client registered for P0 with a password and code, and P0 with a passkey. */
    const registerGpApp = async () => {
      const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
        .publicKey.export({ type: 'spki', format: 'pem' })
        .toString();
      const client = await registerClient(
        {
          clientId: 'gp-app',
          name: 'GP appointments',
          redirectUris: [REDIRECT_URI],
          publicKey,
          scopes: ['openid', 'email'],
          vectorsOfTrust: ['P0.Cp.Cd', 'P0.Cm'],
        },
        { newClientId: () => 'gp-app', now: () => new Date(), allowLocalRedirects: true },
      );
      await new DynamoClientStore(stack().dependencies.table).create(client);
    };
    const authorizePath = (vtr: string) =>
      `/authorize?${new URLSearchParams({
        client_id: 'gp-app',
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid email',
        state: 'state-123',
        nonce: 'nonce-456',
        vtr,
      })}`;

    it('offers a passkey only when a requested vector allows Cm, and answers a Cm request after it', async () => {
      // Prepare
      const client = await loggedIn();
      const { authenticator, accountId } = await setUpPasskey(client);
      await client.post('/logout');
      await registerGpApp();
      await client.get(authorizePath('["P0.Cp.Cd"]'));
      const passwordOnly = await client.get('/login');
      const refused = await client.post('/login/passkey', {
        challengeId: 'x',
        credential: '{}',
        from: 'login',
      });
      await client.get(authorizePath('["P0.Cm"]'));
      await client.get(authorizePath('["P0.Cm"]'));

      // Act
      const answered = await passkeyLogin(client, authenticator, accountId);
      const agreed = await client.post('/consent', { decision: 'agree' });

      // Assess
      expect(passwordOnly.html).not.toContain('Log in with a passkey');
      expect(passwordOnly.html).toContain('autocomplete="email"');
      expect(refused.location).toBe('/login');
      // The consent page first (a first request from this service), then the code.
      expect(answered.location).toBe('/consent');
      expect(agreed.location).toMatch(new RegExp(`^${REDIRECT_URI}\\?code=`));
    });

    it('asks a patient logged in with a passkey to log in with the password when the request names no Cm', async () => {
      // Prepare
      const client = await loggedIn();
      const { authenticator, accountId } = await setUpPasskey(client);
      await client.post('/logout');
      await registerGpApp();
      await passkeyLogin(client, authenticator, accountId);

      // Act
      const response = await client.get(authorizePath('["P0.Cp.Cd"]'));

      // Assess
      expect(response.location).toBe('/login');
    });
  });
});

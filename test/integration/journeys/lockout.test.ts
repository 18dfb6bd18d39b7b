import { afterEach, describe, expect, it } from 'vitest';
import {
  codeIn,
  createAccount,
  errorsOf,
  firstLogin,
  headingOf,
  linkIn,
  movableClock,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';

/** An attacker's network and the patient's home network: the dev server sees each client's own address. */
const ATTACKER = '127.0.0.2';
const HOME = '127.0.0.3';
/** A network the patient has never logged in from (mobile data, a friend's wifi). */
const ELSEWHERE = '127.0.0.50';

describe('wrong passwords cannot keep a patient out', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const logIn = async (client: PageClient, password = PASSWORD, email = EMAIL) => {
    await client.get('/login');
    return client.post('/login', { email, password });
  };

  /** An account with a phone; `remember` leaves the returned client on a remembered device. */
  const patient = async (options: Parameters<typeof startPages>[0] = {}, remember = false) => {
    pages = await startPages(options);
    const client = pages.client({ localAddress: HOME });
    await createAccount(client, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(client, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
      remember,
    });
    await client.post('/logout');
    return client;
  };

  /** Wrong passwords from one attacker network, at most `count`, until one is refused. */
  const guess = async (count: number, address = ATTACKER) => {
    const attacker = pages.client({ localAddress: address });
    let last = await logIn(attacker, 'guess 0');
    for (let attempt = 1; attempt < count && last.status === 400; attempt += 1)
      last = await logIn(attacker, `guess ${attempt}`);
    return last;
  };

  const unlockByEmail = async (client: PageClient) => {
    await client.get('/login/unlock');
    await client.post('/login/unlock', { email: EMAIL });
    const link = linkIn(pages.outbox.latest({ kind: 'unlock-account' })?.text ?? '', '/login/unlock/confirm');
    await client.get(link);
    const started = await client.post('/login/unlock/confirm', {
      token: new URL(`http://x${link}`).searchParams.get('token') ?? '',
    });
    return { link, started };
  };

  it('delays a network after 5 wrong passwords, with the same page whether or not the account exists', async () => {
    // Prepare
    await patient();
    const attacker = pages.client({ localAddress: ATTACKER });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await logIn(attacker, 'not the password');
      await logIn(attacker, 'not the password', 'nobody@example.com');
    }

    // Act
    const known = await logIn(attacker, 'not the password');
    const unknown = await logIn(attacker, 'not the password', 'nobody@example.com');

    // Assess
    expect(known.status).toBe(429);
    expect(unknown.status).toBe(429);
    expect(headingOf(known.html)).toBe('You cannot log in for a while');
    expect(known.html).toContain('href="/login/unlock"');
    expect(known.html).toContain('href="/password/forgotten"');
    const withoutNonces = (html: string) => html.replace(/nonce="[^"]*"/g, '');
    expect(withoutNonces(known.html)).toBe(withoutNonces(unknown.html));
  });

  it('warns before the wrong password that starts a delay, alike whether or not the account exists', async () => {
    // Prepare
    await patient();
    const client = pages.client({ localAddress: ELSEWHERE });
    const answers = { known: [] as string[][], unknown: [] as string[][] };

    // Act: four wrong passwords for each address; the fifth would start the delay
    for (let attempt = 0; attempt < 4; attempt += 1) {
      answers.known.push(errorsOf((await logIn(client, 'not the password')).html));
      answers.unknown.push(errorsOf((await logIn(client, 'not the password', 'nobody@example.com')).html));
    }

    // Assess
    const warning =
      'If you enter the wrong password again, you will have to wait before you can try again. If you have forgotten your password, reset it';
    expect(answers.known.slice(0, 3).flat()).not.toContain(warning);
    expect(answers.known[3]).toEqual(['Enter the email address and password for your account', warning]);
    expect(answers.unknown).toEqual(answers.known);
  });

  it('lets the patient log in from home with the right password while an attacker’s network is delayed', async () => {
    // Prepare
    const home = await patient();
    const delayed = await guess(8);

    // Act
    const fromHome = await logIn(home);

    // Assess
    expect(delayed.status).toBe(429);
    expect(fromHome.location).toBe('/login/code');
  });

  it('never delays the patient’s remembered device, however many networks guess', async () => {
    // Prepare: guesses from many networks delay every network, the patient's home too
    const device = await patient({}, true);
    for (let network = 10; network < 14; network += 1) await guess(5, `127.0.0.${network}`);
    const elsewhereWithoutDevice = await logIn(pages.client({ localAddress: ELSEWHERE }));

    // Act
    const fromDevice = await logIn(device);

    // Assess
    expect(elsewhereWithoutDevice.status).toBe(429);
    expect(fromDevice).toMatchObject({ status: 303, location: '/login/done' });
  });

  it('never delays a network the patient has logged in from because of failures from others', async () => {
    // Prepare: the patient logged in from home once; then many networks guess
    await patient();
    for (let network = 10; network < 14; network += 1) await guess(5, `127.0.0.${network}`);

    // Act
    const fromElsewhere = await logIn(pages.client({ localAddress: ELSEWHERE }));
    const fromHome = await logIn(pages.client({ localAddress: HOME }));

    // Assess
    expect(fromHome.location).toBe('/login/code');
    expect(fromElsewhere.status).toBe(429);
  });

  it('never lets others starve the unlock email: the patient’s own network still gets its link', async () => {
    // Prepare: an attacker uses up the address's emails from their network, and keeps the account delayed
    await patient();
    for (let network = 10; network < 14; network += 1) await guess(5, `127.0.0.${network}`);
    const attacker = pages.client({ localAddress: ATTACKER });
    for (let request = 0; request < 6; request += 1) {
      await attacker.get('/login/unlock');
      await attacker.post('/login/unlock', { email: EMAIL });
    }
    const sentToAttackers = pages.outbox
      .messages()
      .filter((message) => message.kind === 'unlock-account').length;
    const browser = pages.client({ localAddress: ELSEWHERE });

    // Act
    const { started } = await unlockByEmail(browser);

    // Assess
    expect(sentToAttackers).toBe(5);
    expect(started.location).toBe('/login/unlock/code');
  });

  it('unlocks the account at once with the emailed link and the code to the phone, and that browser logs in while the guessing goes on', async () => {
    // Prepare
    const clock = movableClock();
    await patient({ clock });
    for (let network = 10; network < 14; network += 1) await guess(5, `127.0.0.${network}`);
    const browser = pages.client({ localAddress: ELSEWHERE });
    const refused = await logIn(browser);

    // Act
    const { started } = await unlockByEmail(browser);
    const text = pages.outbox.latest({ kind: 'security-code' });
    const unlocked = await browser.post('/login/unlock/code', { code: codeIn(text?.text ?? '') });
    clock.advance(1);
    for (let network = 20; network < 23; network += 1) await guess(5, `127.0.0.${network}`);
    const elsewhere = await logIn(pages.client({ localAddress: '127.0.0.30' }));
    const afterUnlock = await logIn(browser);

    // Assess
    expect(refused.status).toBe(429);
    expect(started.location).toBe('/login/unlock/code');
    expect(text?.to).toBe('+447700900123');
    expect(unlocked.location).toBe('/login/unlock/done');
    expect(headingOf(unlocked.next?.html ?? '')).toBe('Your account is unlocked');
    expect(afterUnlock.location).toBe('/login/code');
    expect(elsewhere.status).toBe(429);
  });

  it('refuses to unlock with the emailed link alone', async () => {
    // Prepare: someone with the mailbox, but not the phone
    await patient();
    await guess(6);
    const attacker = pages.client({ localAddress: ATTACKER });

    // Act
    const { started } = await unlockByEmail(attacker);
    const wrongCode = await attacker.post('/login/unlock/code', { code: '000000' });
    const skipped = await attacker.get('/login/unlock/done');
    const stillDelayed = await logIn(attacker);

    // Assess
    expect(started.location).toBe('/login/unlock/code');
    expect(wrongCode.status).toBe(400);
    expect(skipped.location).toBe('/login/unlock');
    expect(stillDelayed.status).toBe(429);
  });

  it('answers an unlock request for an address without an account as for one with', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();
    await client.get('/login/unlock');

    // Act
    const response = await client.post('/login/unlock', { email: 'nobody@example.com' });

    // Assess
    expect(response.location).toBe('/login/unlock/sent');
    expect(response.next?.html).toContain('we have sent it a link to unlock your account');
    expect(pages.outbox.messages().map((message) => message.kind)).toEqual(['unlock-no-account']);
  });

  it('stops password login after the hard-stop number of consecutive failures, until an unlock', async () => {
    // Prepare: a hard stop of 12 (100 by default) reached from three networks
    const clock = movableClock();
    await patient({
      clock,
      limits: { passwordFailuresHardStop: 12, passwordAccountFailuresBeforeDelay: 20 },
    });
    for (let network = 10; network < 13; network += 1) await guess(4, `127.0.0.${network}`);
    const browser = pages.client({ localAddress: ELSEWHERE });
    clock.advance(3600);
    const stopped = await logIn(browser);

    // Act
    await unlockByEmail(browser);
    await browser.post('/login/unlock/code', {
      code: codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? ''),
    });
    const afterUnlock = await logIn(pages.client({ localAddress: '127.0.0.40' }));

    // Assess
    expect(stopped.status).toBe(429);
    expect(headingOf(stopped.html)).toBe('You need to unlock your account');
    expect(stopped.html).not.toContain('You can try again after');
    expect(afterUnlock.location).toBe('/login/code');
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import {
  createAccount,
  firstLogin,
  headingOf,
  movableClock,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const PASSWORD = 'correct horse battery';
const ATTACKER = '127.0.0.2';
const HOME = '127.0.0.3';

describe('text messages cannot be pumped', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  /** A new account's first login up to its phone number, from one client: the number gets a text (or a refusal). */
  const newAccountTexting = async (client: PageClient, index: number, phoneNumber: string) => {
    const email = `someone${index}@example.com`;
    await createAccount(client, pages.outbox, email, PASSWORD);
    await client.get('/login');
    await client.post('/login', { email, password: PASSWORD });
    return client.post('/login/phone', { phoneNumber });
  };

  const textsTo = (number: string) =>
    pages.outbox.messages().filter((message) => message.channel === 'sms' && message.to === number);

  it('refuses a network the texts past its hourly cap, across the accounts it creates, with a page', async () => {
    // Prepare: a cap of 3 an hour (25 by default)
    pages = await startPages({ limits: { textsPerNetwork: 3 } });
    const attacker = pages.client({ localAddress: ATTACKER });
    for (let index = 0; index < 3; index += 1)
      await newAccountTexting(attacker, index, `07700 90010${index}`);

    // Act
    const fourth = await newAccountTexting(attacker, 3, '07700 900103');
    const patient = await newAccountTexting(pages.client({ localAddress: HOME }), 9, '07700 900109');

    // Assess
    expect(fourth.status).toBe(429);
    expect(headingOf(fourth.html)).toBe('We cannot send more text messages for a while');
    expect(textsTo('+447700900103')).toEqual([]);
    expect(patient.location).toBe('/login/code');
    expect(textsTo('+447700900109')).toHaveLength(1);
  });

  it('stops texts to new numbers at the service-wide ceiling, while known numbers keep getting codes', async () => {
    // Prepare: a ceiling of 2 new numbers an hour (1000 by default); the patient's number is the first
    pages = await startPages({ limits: { newNumberTexts: 2 } });
    const patient = pages.client({ localAddress: HOME });
    await createAccount(patient, pages.outbox, 'pat@example.com', PASSWORD);
    await firstLogin(patient, pages.outbox, {
      email: 'pat@example.com',
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    await patient.post('/logout');
    await newAccountTexting(pages.client({ localAddress: '127.0.0.10' }), 1, '07700 900201');

    // Act
    const thirdNewNumber = await newAccountTexting(
      pages.client({ localAddress: '127.0.0.11' }),
      2,
      '07700 900202',
    );
    await patient.get('/login');
    const knownNumber = await patient.post('/login', { email: 'pat@example.com', password: PASSWORD });

    // Assess
    expect(thirdNewNumber.status).toBe(429);
    expect(headingOf(thirdNewNumber.html)).toBe(
      'We cannot send a security code to a new phone number right now',
    );
    expect(textsTo('+447700900202')).toEqual([]);
    expect(knownNumber.location).toBe('/login/code');
    expect(textsTo('+447700900123')).toHaveLength(2);
  });

  it('caps the texts to one account in a day, past the 15-minute cap’s windows', async () => {
    // Prepare: 3 a day (20 by default): the first phone's code, a login's code and a resend
    const clock = movableClock();
    pages = await startPages({ clock, limits: { textsPerAccount: 3 } });
    const client = pages.client({ localAddress: HOME });
    const logIn = async () => {
      await client.get('/login');
      return client.post('/login', { email: 'pat@example.com', password: PASSWORD });
    };
    await createAccount(client, pages.outbox, 'pat@example.com', PASSWORD);
    await firstLogin(client, pages.outbox, {
      email: 'pat@example.com',
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    await client.post('/logout');
    await logIn();
    await client.post('/login/code/resend');
    clock.advance(3600);

    // Act
    const fourth = await logIn();
    const byEmail = await client.post('/login/code/email');

    // Assess: no fourth text, but the login goes on to the code page, which offers the email
    expect(textsTo('+447700900123')).toHaveLength(3);
    expect(fourth.location).toBe('/login/code');
    expect(fourth.next?.html).toContain('We could not send a text message');
    expect(fourth.next?.html).toContain('Send the code by email instead');
    expect(byEmail.location).toBe('/login/code');
    expect(pages.outbox.latest({ kind: 'security-code', channel: 'email' })?.to).toBe('pat@example.com');
  });

  it('never lets a stranger use up the daily texts of a patient’s number by asking to add it to their own accounts', async () => {
    // Prepare: the patient's number, added as a first phone by two strangers' accounts, until refused
    pages = await startPages();
    const patient = pages.client({ localAddress: HOME });
    await createAccount(patient, pages.outbox, 'pat@example.com', PASSWORD);
    await firstLogin(patient, pages.outbox, {
      email: 'pat@example.com',
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    await patient.post('/logout');
    for (let stranger = 0; stranger < 2; stranger += 1) {
      const client = pages.client({ localAddress: `127.0.0.${10 + stranger}` });
      await newAccountTexting(client, stranger, '07700 900123');
      for (let resend = 0; resend < 6; resend += 1) await client.post('/login/code/resend');
    }
    const texted = textsTo('+447700900123').length;

    // Act
    await patient.get('/login');
    const login = await patient.post('/login', { email: 'pat@example.com', password: PASSWORD });

    // Assess
    expect(texted).toBeGreaterThanOrEqual(10);
    expect(login.location).toBe('/login/code');
    expect(login.next?.html).not.toContain('We could not send a text message');
    expect(textsTo('+447700900123').length).toBe(texted + 1);
  });
});

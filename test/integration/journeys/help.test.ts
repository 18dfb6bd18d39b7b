import { afterEach, describe, expect, it } from 'vitest';
import { headingOf, startPages } from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

describe('getting help', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  it('links every problem page to the help page with the reference it showed', async () => {
    // Prepare
    pages = await startPages();
    const client = pages.client();

    // Act
    const expired = await client.get('/register/confirm?token=not-a-token');
    const lostPhone = await client.get('/lost-phone');

    // Assess
    expect(expired.html).toContain('href="/contact?cid=CID1002"');
    expect(lostPhone.html).toContain('href="/contact?cid=CID3001"');
  });

  it('links the limit pages, which have no reference, to the help page', async () => {
    // Prepare: a network delayed after wrong passwords
    pages = await startPages({ limits: { passwordFailuresBeforeDelay: 1 } });
    const client = pages.client();
    await client.get('/login');
    await client.post('/login', { email: 'pat@example.com', password: 'not the password' });

    // Act
    const delayed = await client.post('/login', { email: 'pat@example.com', password: 'not the password' });

    // Assess
    expect(delayed.status).toBe(429);
    expect(delayed.html).toContain('href="/contact"');
    expect(delayed.html).toContain('Get help with your NHS login');
  });

  it('says what the services cannot do and what the patient can do, without a support route when none is set', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const help = await pages.client().get('/contact?cid=CID2021');

    // Assess
    expect(headingOf(help.html)).toBe('Get help with your NHS login');
    expect(help.html).toContain(
      'cannot reset your password, change your mobile phone number or unlock your account',
    );
    expect(help.html).toContain('this reference: <strong>CID2021</strong>');
    expect(help.html).toContain('href="/password/forgotten"');
    expect(help.html).toContain('href="/login/unlock"');
    expect(help.html).not.toContain('Contact NHS login support</a>');
  });

  it('offers the support route it is given, with the reference passed on', async () => {
    // Prepare
    pages = await startPages({ contactUrl: 'https://help.example.org/contact?lang=en' });

    // Act
    const withReference = await pages.client().get('/contact?cid=CID1002');
    const withoutReference = await pages.client().get('/contact');

    // Assess
    expect(withReference.html).toContain('href="https://help.example.org/contact?lang=en&amp;cid=CID1002"');
    expect(withoutReference.html).toContain('href="https://help.example.org/contact?lang=en"');
    expect(withoutReference.html).toContain('any reference starting with CID');
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['an attribute break', 'CID1002" onmouseover="alert(1)'],
    ['a reference of another form', 'CID12345'],
    ['a lower-case reference', 'cid1002'],
  ])('never repeats a reference it could not have shown: %s', async (_kind, cid) => {
    // Prepare
    pages = await startPages({ contactUrl: 'https://help.example.org/contact' });

    // Act
    const help = await pages.client().get(`/contact?cid=${encodeURIComponent(cid)}`);

    // Assess
    expect(help.status).toBe(200);
    expect(help.html).not.toContain('onmouseover');
    expect(help.html).not.toContain('alert(1)');
    expect(help.html).not.toContain('this reference:');
    expect(help.html).toContain('href="https://help.example.org/contact"');
  });
});

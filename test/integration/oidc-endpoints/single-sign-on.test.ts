import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { decodeJwt, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { epochSeconds } from '../../../src/domain/clock.ts';
import { JWT_BEARER_ASSERTION_TYPE } from '../../../src/domain/oidc/client-authentication.ts';
import { createAccount, firstLogin, headingOf, PageClient } from '../../support/page-client.ts';
import { type OidcEndpoints, startOidcEndpoints, type TestClient } from './oidc-fixture.ts';

/**
 * asserted_login_identity: the first service (the "app") hands its logged-in patient to a partner
 * (the "website") with a JWT it signs, naming the jti of the ID token we issued it.
 */
describe('single sign-on with asserted_login_identity', () => {
  let endpoints: OidcEndpoints;

  beforeAll(async () => {
    endpoints = await startOidcEndpoints();
  });

  afterAll(() => endpoints.stop());

  /** A website, an app registered to hand patients to it, and a patient logged in to the app. */
  const prepare = async () => {
    const website = await endpoints.registerTestClient({ scopes: ['openid', 'email'] });
    const app = await endpoints.registerTestClient({ singleSignOnPartners: [website.client.clientId] });
    const account = await endpoints.createAccount();
    const tokens = await endpoints.tokensFor(app, account);
    const idTokenJti = decodeJwt(tokens.id_token as string).jti as string;
    return { website, app, account, idTokenJti };
  };

  /** The JWT the app signs: code = its ID token's jti, 60 seconds, one use (reference 3.4). */
  const assertion = (
    signer: TestClient,
    code: string,
    options: { claims?: JWTPayload; key?: Parameters<SignJWT['sign']>[0]; alg?: string } = {},
  ): Promise<string> => {
    const now = epochSeconds(endpoints.clock());
    return new SignJWT({
      iss: signer.client.clientId,
      code,
      jti: randomUUID(),
      iat: now,
      exp: now + 60,
      ...options.claims,
    })
      .setProtectedHeader({ alg: options.alg ?? 'RS512', typ: 'JWT' })
      .sign(options.key ?? signer.privateKey);
  };

  const authorizePath = (receiver: TestClient, loginIdentity: string, extra: Record<string, string> = {}) =>
    `/authorize?${new URLSearchParams({
      client_id: receiver.client.clientId,
      redirect_uri: receiver.redirectUri,
      response_type: 'code',
      scope: 'openid email',
      state: 'state-sso',
      nonce: 'nonce-sso',
      vtr: '["P0.Cp.Cd"]',
      asserted_login_identity: loginIdentity,
      ...extra,
    })}`;

  /** A browser that has never seen us: only the assertion can log it in. */
  const freshBrowser = () => new PageClient(endpoints.issuer);

  /** A browser logged in through our pages, with password and texted code, as a new patient. */
  const loggedInBrowser = async () => {
    const browser = freshBrowser();
    const email = `logged-in-${randomUUID()}@example.com`;
    await createAccount(browser, endpoints.outbox, email, 'correct horse battery');
    await firstLogin(browser, endpoints.outbox, {
      email,
      password: 'correct horse battery',
      phoneNumber: '07700 900456',
    });
    return { browser, email };
  };

  /** The query of a redirect to the relying party, which always names us as `iss` (RFC 9207). */
  const answerOf = (location: string | null) => {
    expect(location).not.toBeNull();
    const { iss, ...answer } = Object.fromEntries(new URL(location as string).searchParams);
    expect(iss).toBe(endpoints.issuer);
    return answer;
  };

  /** Agrees on the consent page the browser was sent to; the response redirects to the service. */
  const agree = async (browser: PageClient) => {
    const consent = await browser.get('/consent');
    expect(headingOf(consent.html)).toBe('Share your information');
    return browser.post('/consent', { decision: 'agree' });
  };

  it('logs the patient in to the partner without a password, for the same patient and login', async () => {
    // Prepare
    const { website, app, account, idTokenJti } = await prepare();
    const browser = freshBrowser();

    // Act
    const handOff = await browser.get(authorizePath(website, await assertion(app, idTokenJti)));
    const answered = await agree(browser);
    const answer = answerOf(answered.location);
    const tokens = await endpoints.token(website, {
      grant_type: 'authorization_code',
      code: answer.code ?? '',
      redirect_uri: website.redirectUri,
    });

    // Assess: straight to consent (logged in), then back with a code for the same patient
    expect(handOff.status).toBe(303);
    expect(handOff.location).toBe('/consent');
    expect(answer.state).toBe('state-sso');
    expect(tokens.status).toBe(200);
    const idToken = decodeJwt(tokens.json?.id_token as string);
    expect(idToken).toMatchObject({
      sub: account.subject,
      aud: website.client.clientId,
      vot: 'P0.Cp.Cd',
      auth_time: epochSeconds(endpoints.clock()) - 60,
      nonce: 'nonce-sso',
    });
    const trail = await endpoints.auditTrail(account.accountId);
    expect(trail).toContainEqual({ type: 'login-handed-over', detail: app.client.clientId });
  });

  it('renews the session id when the login is handed over', async () => {
    // Prepare
    const { website, app, idTokenJti } = await prepare();
    const browser = freshBrowser();
    await browser.get('/login');
    const before = new Map(browser.cookies);

    // Act
    await browser.get(authorizePath(website, await assertion(app, idTokenJti)));

    // Assess
    expect(before.size).toBeGreaterThan(0);
    for (const [name, value] of before) expect(browser.cookies.get(name)).not.toBe(value);
  });

  it('lets a client hand its own patient from its app to its website without registering itself', async () => {
    // Prepare
    const { app, idTokenJti } = await prepare();

    // Act
    const response = await freshBrowser().get(
      authorizePath(app, await assertion(app, idTokenJti), { prompt: 'none', scope: 'openid email phone' }),
    );

    // Assess: logged in; the app's own scopes were not agreed to (the fixture made the code directly)
    expect(answerOf(response.location)).toMatchObject({ error: 'consent_required', state: 'state-sso' });
  });

  it('answers prompt=none with a code once the patient has agreed to share with the partner', async () => {
    // Prepare: a first hand-off, agreed to; then the app logs the patient in again later
    const { website, app, account, idTokenJti } = await prepare();
    const first = freshBrowser();
    await first.get(authorizePath(website, await assertion(app, idTokenJti)));
    await agree(first);
    const later = await endpoints.tokensFor(app, account);

    // Act
    const response = await freshBrowser().get(
      authorizePath(website, await assertion(app, decodeJwt(later.id_token as string).jti as string), {
        prompt: 'none',
      }),
    );

    // Assess
    const answer = answerOf(response.location);
    expect(answer).toMatchObject({ state: 'state-sso' });
    expect(answer.code).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers the request as the handed-over patient, and leaves whoever is logged in to this browser logged in', async () => {
    // Prepare: this browser is logged in, through our pages, as another patient
    const { website, app, account, idTokenJti } = await prepare();
    const { browser, email } = await loggedInBrowser();

    // Act
    await browser.get(authorizePath(website, await assertion(app, idTokenJti)));
    const consent = await browser.get('/consent');
    const answered = await agree(browser);
    const answer = answerOf(answered.location);
    const tokens = await endpoints.token(website, {
      grant_type: 'authorization_code',
      code: answer.code ?? '',
      redirect_uri: website.redirectUri,
    });
    const settings = await browser.get('/settings');

    // Assess
    // Addresses are shown with line-break opportunities at their @ and dots
    const shown = (address: string) => address.replace('@', '@<wbr>').replace(/\./g, '<wbr>.');
    expect(consent.html).toContain(`the NHS login account for <strong>${shown(account.email)}</strong>`);
    expect(decodeJwt(tokens.json?.id_token as string).sub).toBe(account.subject);
    expect(settings.status).toBe(200);
    expect(settings.html).toContain(shown(email));
  });

  it('checks a handed-over P5 patient’s NHS number with PDS before the code, answering with that login', async () => {
    // Prepare: a P5 patient whose last PDS check is old, handed from the app to the website
    const website = await endpoints.registerTestClient({ scopes: ['openid', 'profile'] });
    const app = await endpoints.registerTestClient({ singleSignOnPartners: [website.client.clientId] });
    const account = await endpoints.createAccount({
      proofingLevel: 'P5',
      identity: { nhsNumber: '9000000009', familyName: 'Smith', checkedAt: '2026-01-01T00:00:00Z' },
    });
    const tokens = await endpoints.tokensFor(app, account);
    const browser = freshBrowser();
    const before = endpoints.pds.requests;

    // Act
    const asked = await browser.get(
      authorizePath(website, await assertion(app, decodeJwt(tokens.id_token as string).jti as string), {
        scope: 'openid profile',
      }),
    );
    const checked = await browser.get(asked.location ?? '');

    // Assess
    expect(asked.location).toBe('/prove-who-you-are/nhs-number-check');
    expect(checked.location).toBe('/consent');
    expect(endpoints.pds.requests).toBeGreaterThan(before);
    expect((await endpoints.accounts.findById(account.accountId))?.identity?.checkedAt).toBe(
      endpoints.clock().toISOString(),
    );
  });

  it('keeps a hand-off to its own request: the next request in the browser is not logged in', async () => {
    // Prepare: a hand-off waiting on the consent page
    const { website, app, idTokenJti } = await prepare();
    const browser = freshBrowser();
    await browser.get(authorizePath(website, await assertion(app, idTokenJti)));

    // Act: the website starts again without the hand-off
    const again = await browser.get(
      authorizePath(website, '', { prompt: 'none' }).replace('&asserted_login_identity=', ''),
    );

    // Assess
    expect(answerOf(again.location).error).toBe('login_required');
  });

  it('shares one-time jti values with client assertions', async () => {
    // Prepare: a hand-off accepted, then a client assertion that reuses its jti
    const { website, app, account, idTokenJti } = await prepare();
    const jti = randomUUID();
    await freshBrowser().get(authorizePath(website, await assertion(app, idTokenJti, { claims: { jti } })));
    const code = await endpoints.issueCode(app, account);

    // Act
    const response = await endpoints.postForm(endpoints.discovery.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: await endpoints.clientAssertion(app, { claims: { jti } }),
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });

  it('never opens our own pages to a handed-over login', async () => {
    // Prepare
    const { website, app, idTokenJti } = await prepare();
    const browser = freshBrowser();
    await browser.get(authorizePath(website, await assertion(app, idTokenJti)));

    // Act
    const settings = await browser.get('/settings');
    const phone = await browser.get('/settings/phone');

    // Assess
    expect(settings.location).toBe('/login');
    expect(phone.location).toBe('/login');
  });

  it('accepts an audience naming our issuer or our authorize endpoint', async () => {
    // Prepare
    const { app, account } = await prepare();
    const audiences = [endpoints.issuer, `${endpoints.issuer}/authorize`];

    // Act
    const answers = [];
    for (const aud of audiences) {
      const jti = decodeJwt((await endpoints.tokensFor(app, account)).id_token as string).jti as string;
      const response = await freshBrowser().get(
        authorizePath(app, await assertion(app, jti, { claims: { aud } }), { prompt: 'none' }),
      );
      answers.push(answerOf(response.location).error);
    }

    // Assess: logged in each time (the app's consent is what is missing, not the login)
    expect(answers).toEqual(['consent_required', 'consent_required']);
  });

  it('accepts an assertion less than 5 seconds past its exp, for clock skew', async () => {
    // Prepare
    const { app, idTokenJti } = await prepare();
    const now = epochSeconds(endpoints.clock());

    // Act
    const response = await freshBrowser().get(
      authorizePath(app, await assertion(app, idTokenJti, { claims: { iat: now - 60, exp: now - 4 } }), {
        prompt: 'none',
      }),
    );

    // Assess
    expect(answerOf(response.location).error).toBe('consent_required');
  });

  it('sends a handed-over P0 patient asked for P9 to prove who they are (interaction_required with prompt=none)', async () => {
    // Prepare
    const { website, app, account, idTokenJti } = await prepare();
    const later = decodeJwt((await endpoints.tokensFor(app, account)).id_token as string).jti as string;

    // Act
    const response = await freshBrowser().get(
      authorizePath(website, await assertion(app, idTokenJti), { vtr: '["P9.Cp.Cd"]' }),
    );
    const silent = await freshBrowser().get(
      authorizePath(website, await assertion(app, later), { vtr: '["P9.Cp.Cd"]', prompt: 'none' }),
    );

    // Assess
    expect(response.location).toBe('/prove-who-you-are');
    expect(answerOf(silent.location).error).toBe('interaction_required');
  });

  it('refuses a hand-off presented as a client assertion at the token endpoint', async () => {
    // Prepare: a hand-off that also looks like a client assertion (sub, and the token endpoint as audience)
    const { app, account, idTokenJti } = await prepare();
    const code = await endpoints.issueCode(app, account);
    const handOff = await assertion(app, idTokenJti, {
      claims: { sub: app.client.clientId, aud: endpoints.discovery.token_endpoint },
    });

    // Act
    const response = await endpoints.postForm(endpoints.discovery.token_endpoint, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: app.redirectUri,
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: handOff,
    });

    // Assess
    expect(response.status).toBe(401);
    expect(response.json).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });

  it('ignores the assertion with prompt=login: the patient logs in', async () => {
    // Prepare
    const { website, app, idTokenJti } = await prepare();

    // Act
    const response = await freshBrowser().get(
      authorizePath(website, await assertion(app, idTokenJti), { prompt: 'login' }),
    );

    // Assess
    expect(response.location).toBe('/login');
  });

  it('sends the patient to log in, rather than use whoever this browser was logged in as, when the assertion is refused', async () => {
    // Prepare: this browser is logged in, through our pages, as another patient who has agreed to
    // share with the website, so without the assertion the website would get a code at once
    const { website, app, idTokenJti } = await prepare();
    const { browser } = await loggedInBrowser();
    await browser.get(authorizePath(website, '', {}).replace('&asserted_login_identity=', ''));
    await agree(browser);
    const forged = await assertion(app, idTokenJti, {
      key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
    });

    // Act
    const response = await browser.get(authorizePath(website, forged));

    // Assess
    expect(response.location).toBe('/login');
  });

  describe('refuses, and with prompt=none answers sso_login_required naming the reason', () => {
    type Setup = Awaited<ReturnType<typeof prepare>>;
    /** An assertion whose iat and exp are these many seconds from now. */
    const timedFromNow =
      (iat: number, exp: number) =>
      async ({ app, idTokenJti }: Setup) => {
        const now = epochSeconds(endpoints.clock());
        return {
          loginIdentity: await assertion(app, idTokenJti, { claims: { iat: now + iat, exp: now + exp } }),
        };
      };
    const cases: {
      name: string;
      /** The assertion to send, and the client it is sent for. */
      make: (setup: Setup) => Promise<{ loginIdentity: string; receiver?: TestClient }>;
      description: string;
    }[] = [
      {
        name: 'a value that is not a JWT',
        make: async () => ({ loginIdentity: 'not-a-jwt' }),
        description: 'asserted_login_identity is not a signed JWT',
      },
      {
        name: 'an issuer that is not a registered client',
        make: async ({ app, idTokenJti }) => ({
          loginIdentity: await assertion(app, idTokenJti, { claims: { iss: 'nobody-registered' } }),
        }),
        description: 'asserted_login_identity was not issued by a registered client',
      },
      {
        name: 'a client pair not registered for single sign-on',
        make: async ({ website, account }) => {
          // The website is not registered to hand patients to the app.
          const tokens = await endpoints.tokensFor(website, account);
          return {
            loginIdentity: await assertion(website, decodeJwt(tokens.id_token as string).jti as string),
            receiver: await endpoints.registerTestClient({ scopes: ['openid', 'email'] }),
          };
        },
        description:
          'the client that signed asserted_login_identity is not registered to hand patients to this one',
      },
      {
        name: 'a signature by a key the app did not register',
        make: async ({ app, idTokenJti }) => ({
          loginIdentity: await assertion(app, idTokenJti, {
            key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
          }),
        }),
        description: "asserted_login_identity does not verify with the signing client's registered keys",
      },
      {
        name: 'an unsigned JWT (alg none)',
        make: async ({ app, idTokenJti }) => {
          const now = epochSeconds(endpoints.clock());
          const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
          const claims = {
            iss: app.client.clientId,
            code: idTokenJti,
            jti: randomUUID(),
            iat: now,
            exp: now + 60,
          };
          return { loginIdentity: `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.` };
        },
        description: "asserted_login_identity does not verify with the signing client's registered keys",
      },
      {
        name: 'no code',
        make: async ({ app }) => ({
          loginIdentity: await assertion(app, '', { claims: { code: undefined } }),
        }),
        description: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
      },
      {
        name: 'no jti',
        make: async ({ app, idTokenJti }) => ({
          loginIdentity: await assertion(app, idTokenJti, { claims: { jti: undefined } }),
        }),
        description: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
      },
      {
        name: 'no iat',
        make: async ({ app, idTokenJti }) => ({
          loginIdentity: await assertion(app, idTokenJti, { claims: { iat: undefined } }),
        }),
        description: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
      },
      {
        name: 'another audience',
        make: async ({ app, idTokenJti }) => ({
          loginIdentity: await assertion(app, idTokenJti, { claims: { aud: 'https://elsewhere.example' } }),
        }),
        description: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
      },
      {
        name: 'an expired assertion',
        make: timedFromNow(-120, -60),
        description: 'asserted_login_identity has expired or lives longer than 60 seconds',
      },
      {
        name: 'a lifetime over 60 seconds',
        make: timedFromNow(0, 61),
        description: 'asserted_login_identity has expired or lives longer than 60 seconds',
      },
      {
        name: 'an iat in the future',
        make: timedFromNow(120, 150),
        description: 'asserted_login_identity has expired or lives longer than 60 seconds',
      },
      {
        name: 'an assertion more than 5 seconds past its exp',
        make: timedFromNow(-66, -6),
        description: 'asserted_login_identity has expired or lives longer than 60 seconds',
      },
      {
        name: 'an iat more than 5 seconds ahead',
        make: timedFromNow(6, 60),
        description: 'asserted_login_identity has expired or lives longer than 60 seconds',
      },
      {
        name: 'a client assertion for the token endpoint (no code)',
        make: async ({ app }) => ({ loginIdentity: await endpoints.clientAssertion(app) }),
        description: 'asserted_login_identity lacks iss, jti, iat, exp or code, or names another audience',
      },
      {
        name: 'a login with a password only',
        make: async ({ app, account }) => {
          const tokens = await endpoints.tokensFor(app, account, { vot: 'P0.Cp' });
          return { loginIdentity: await assertion(app, decodeJwt(tokens.id_token as string).jti as string) };
        },
        description:
          'the login the ID token came from did not use a second factor, so it cannot be handed over',
      },
      {
        name: 'a login more than 12 hours old',
        make: async ({ app, account }) => {
          const authTime = epochSeconds(endpoints.clock()) - 12 * 3600 - 1;
          const tokens = await endpoints.tokensFor(app, account, { authTime });
          return { loginIdentity: await assertion(app, decodeJwt(tokens.id_token as string).jti as string) };
        },
        description: "the patient's login has ended since the ID token was issued, or is older than 12 hours",
      },
      {
        name: 'a code that is no ID token of ours',
        make: async ({ app }) => ({ loginIdentity: await assertion(app, randomUUID()) }),
        description:
          'the code in asserted_login_identity names no unexpired ID token issued to the signing client',
      },
      {
        name: 'a code naming an ID token issued to another client',
        make: async ({ app, website, account }) => {
          const tokens = await endpoints.tokensFor(website, account);
          return { loginIdentity: await assertion(app, decodeJwt(tokens.id_token as string).jti as string) };
        },
        description:
          'the code in asserted_login_identity names no unexpired ID token issued to the signing client',
      },
      {
        name: 'a login whose sessions were revoked since (a password reset)',
        make: async ({ app, account, idTokenJti }) => {
          await endpoints.accounts.revokeSessions(account.accountId);
          return { loginIdentity: await assertion(app, idTokenJti) };
        },
        description: "the patient's login has ended since the ID token was issued, or is older than 12 hours",
      },
      {
        name: 'a login whose account was deleted since',
        make: async ({ app, account, idTokenJti }) => {
          await endpoints.accounts.delete(account.accountId);
          return { loginIdentity: await assertion(app, idTokenJti) };
        },
        description: "the patient's login has ended since the ID token was issued, or is older than 12 hours",
      },
    ];

    it.each(cases)('$name', async ({ make, description }) => {
      // Prepare
      const setup = await prepare();
      const { loginIdentity, receiver = setup.website } = await make(setup);

      // Act
      const response = await freshBrowser().get(authorizePath(receiver, loginIdentity, { prompt: 'none' }));

      // Assess
      expect(answerOf(response.location)).toEqual({
        error: 'sso_login_required',
        error_description: description,
        state: 'state-sso',
      });
    });

    it('a second use of the same assertion', async () => {
      // Prepare
      const { website, app, idTokenJti } = await prepare();
      const loginIdentity = await assertion(app, idTokenJti);
      await freshBrowser().get(authorizePath(website, loginIdentity));

      // Act
      const response = await freshBrowser().get(authorizePath(website, loginIdentity, { prompt: 'none' }));

      // Assess
      expect(answerOf(response.location)).toEqual({
        error: 'sso_login_required',
        error_description: 'asserted_login_identity has been used already',
        state: 'state-sso',
      });
    });

    it('an ID token past its 60 minutes', async () => {
      // Prepare
      const { website, app, idTokenJti } = await prepare();
      endpoints.clock.advance(60 * 60 + 1);
      try {
        // Act
        const response = await freshBrowser().get(
          authorizePath(website, await assertion(app, idTokenJti), { prompt: 'none' }),
        );

        // Assess
        expect(answerOf(response.location)).toEqual({
          error: 'sso_login_required',
          error_description:
            'the code in asserted_login_identity names no unexpired ID token issued to the signing client',
          state: 'state-sso',
        });
      } finally {
        endpoints.clock.advance(-(60 * 60 + 1));
      }
    });
  });
});

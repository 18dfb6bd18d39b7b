import { describe, expect, it } from 'vitest';
import { counterVerdict, PasskeyNotVerifiedError } from '../../../../src/domain/passkeys/passkey.ts';
import {
  authenticationOptions,
  passkeyAlgorithms,
  registrationOptions,
  verifyAuthentication,
  verifyRegistration,
} from '../../../../src/domain/passkeys/passkey-ceremonies.ts';
import { passkeyProviderName } from '../../../../src/domain/passkeys/passkey-providers.ts';
import { softwareAuthenticator } from '../../../support/software-authenticator.ts';

const rp = { name: 'NHS login', id: 'localhost', origin: 'http://localhost:3000' };
const challenge = new Uint8Array(32).fill(7);
const account = { accountId: '6f1c2a52-7e53-4f0e-9a55-2b1a4c8d9e10', email: 'patient@example.com' };

describe('the passkey ceremonies (SimpleWebAuthn, wrapped)', () => {
  it('asks for a discoverable, user-verified passkey on any attachment, ES256 or RS256, the account’s own excluded', async () => {
    // Act
    const options = await registrationOptions(
      rp,
      account,
      [{ credentialId: 'AQID', transports: ['internal'] }],
      challenge,
    );

    // Assess
    expect(options.authenticatorSelection).toEqual({
      residentKey: 'required',
      requireResidentKey: true,
      userVerification: 'required',
    });
    expect(options.authenticatorSelection).not.toHaveProperty('authenticatorAttachment');
    expect(options.pubKeyCredParams.map((param) => param.alg)).toEqual([...passkeyAlgorithms]);
    expect(options.excludeCredentials).toEqual([
      { id: 'AQID', type: 'public-key', transports: ['internal'] },
    ]);
    expect(options.attestation).toBe('none');
    expect(options.rp).toEqual({ name: 'NHS login', id: 'localhost' });
    expect(Buffer.from(options.user.id, 'base64url').toString()).toBe(account.accountId);
    expect(options.challenge).toBe(Buffer.from(challenge).toString('base64url'));
  });

  it('asks for a login by any discoverable passkey, naming none (the same page whether or not an email has one)', async () => {
    // Act
    const options = await authenticationOptions(rp, challenge);

    // Assess
    expect(options.allowCredentials).toEqual([]);
    expect(options.userVerification).toBe('required');
    expect(options.rpId).toBe('localhost');
  });

  it('wraps what SimpleWebAuthn refuses as PasskeyNotVerifiedError, its reason for the log only', async () => {
    // Prepare: what a page of another site, or a tampered browser, might send
    const forged = {
      id: 'AQID',
      rawId: 'AQID',
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: {
        clientDataJSON: Buffer.from('{"type":"webauthn.create"}').toString('base64url'),
        attestationObject: 'AA',
      },
    };
    const forgedLogin = {
      id: 'AQID',
      rawId: 'AQID',
      type: 'public-key' as const,
      clientExtensionResults: {},
      response: { clientDataJSON: 'AA', authenticatorData: 'AA', signature: 'AA' },
    };
    const passkey = {
      credentialId: 'AQID',
      accountId: account.accountId,
      publicKey: 'AQID',
      signCount: 0,
      transports: [],
      deviceType: 'singleDevice' as const,
      backedUp: false,
      aaguid: '00000000-0000-0000-0000-000000000000',
      name: 'Passkey',
      createdAt: new Date().toISOString(),
    };

    // Act
    const registering = verifyRegistration(rp, forged, 'challenge', {
      accountId: account.accountId,
      now: new Date(),
    });
    const loggingIn = verifyAuthentication(rp, forgedLogin, 'challenge', passkey);

    // Assess
    await expect(registering).rejects.toBeInstanceOf(PasskeyNotVerifiedError);
    await expect(registering).rejects.toMatchObject({ description: 'The passkey could not be set up.' });
    await expect(loggingIn).rejects.toBeInstanceOf(PasskeyNotVerifiedError);
    await expect(loggingIn).rejects.toMatchObject({ description: 'The passkey could not be used.' });
  });

  it('refuses a counter that did not move on, unless the authenticator keeps none', () => {
    // Assess
    expect(counterVerdict(0, 0)).toBe('ok');
    expect(counterVerdict(0, 1)).toBe('ok');
    expect(counterVerdict(5, 6)).toBe('ok');
    expect(counterVerdict(5, 5)).toBe('cloned');
    expect(counterVerdict(5, 3)).toBe('cloned');
    expect(counterVerdict(5, 0)).toBe('cloned');
  });

  it('names a provider from the maintained AAGUID list, and none for an anonymous or unknown AAGUID', () => {
    // Assess
    expect(passkeyProviderName('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4')).toBe('Google Password Manager');
    expect(passkeyProviderName('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    expect(passkeyProviderName('12345678-1234-1234-1234-123456789012')).toBeUndefined();
  });
});

describe('the passkey ceremonies with an authenticator', () => {
  it('sets up a passkey and logs in with it, the counter moving on; another origin or challenge is refused', async () => {
    // Prepare
    const authenticator = softwareAuthenticator({ rpId: rp.id, origin: rp.origin });
    const setUpOptions = await registrationOptions(rp, account, [], challenge);

    // Act
    const registered = await verifyRegistration(
      rp,
      authenticator.register(setUpOptions.challenge),
      setUpOptions.challenge,
      {
        accountId: account.accountId,
        now: new Date('2026-12-02T10:00:00Z'),
      },
    );
    const passkey = { ...registered, name: registered.suggestedName };
    const loginChallenge = (await authenticationOptions(rp, new Uint8Array(32).fill(9))).challenge;
    const login = await verifyAuthentication(
      rp,
      authenticator.authenticate(loginChallenge, account.accountId),
      loginChallenge,
      passkey,
    );
    const elsewhere = verifyAuthentication(
      rp,
      authenticator.authenticate(loginChallenge, account.accountId, 'https://evil.example'),
      loginChallenge,
      passkey,
    );
    const otherChallenge = verifyAuthentication(
      rp,
      authenticator.authenticate('b3RoZXItY2hhbGxlbmdl', account.accountId),
      loginChallenge,
      passkey,
    );
    const wrongOriginSetUp = verifyRegistration(
      rp,
      softwareAuthenticator({ rpId: rp.id, origin: rp.origin }).register(
        setUpOptions.challenge,
        'https://evil.example',
      ),
      setUpOptions.challenge,
      { accountId: account.accountId, now: new Date() },
    );

    // Assess
    expect(registered).toMatchObject({
      credentialId: authenticator.credentialId,
      accountId: account.accountId,
      signCount: 0,
      transports: ['internal', 'hybrid'],
      deviceType: 'multiDevice',
      backedUp: true,
      providerName: 'Google Password Manager',
      suggestedName: 'Google Password Manager',
      createdAt: '2026-12-02T10:00:00.000Z',
    });
    expect(login).toEqual({ signCount: 1, backedUp: true });
    await expect(elsewhere).rejects.toBeInstanceOf(PasskeyNotVerifiedError);
    await expect(otherChallenge).rejects.toBeInstanceOf(PasskeyNotVerifiedError);
    await expect(wrongOriginSetUp).rejects.toBeInstanceOf(PasskeyNotVerifiedError);
  });

  it('tells a cloned authenticator by its counter: a copy reporting an old counter passes the signature, not the rule', async () => {
    // Prepare
    const authenticator = softwareAuthenticator({ rpId: rp.id, origin: rp.origin, counter: 10 });
    const setUpOptions = await registrationOptions(rp, account, [], challenge);
    const registered = await verifyRegistration(
      rp,
      authenticator.register(setUpOptions.challenge),
      setUpOptions.challenge,
      {
        accountId: account.accountId,
        now: new Date(),
      },
    );
    const stored = { ...registered, name: 'Phone', signCount: 15 };
    authenticator.setCounter(11);

    // Act
    const login = await verifyAuthentication(
      rp,
      authenticator.authenticate(setUpOptions.challenge, account.accountId),
      setUpOptions.challenge,
      stored,
    );

    // Assess
    expect(login.signCount).toBe(12);
    expect(counterVerdict(stored.signCount, login.signCount)).toBe('cloned');
  });
});

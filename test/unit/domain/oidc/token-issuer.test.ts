import {
  createLocalJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { generatePrivateJwk, LocalTokenSigner } from '../../../../src/adapters/local/local-token-signer.ts';
import { epochSeconds } from '../../../../src/domain/clock.ts';
import { InvalidTokenError } from '../../../../src/domain/oidc/oidc-errors.ts';
import { TokenIssuer, trustmarkUrl, verifyAccessToken } from '../../../../src/domain/oidc/token-issuer.ts';
import type { JsonWebKeySet } from '../../../../src/domain/tokens/token-signer.ts';
import { p0Account, p9Account } from './accounts.ts';

const ISSUER = 'https://auth.login.example.test';
const NOW = new Date('2026-11-22T10:00:00Z');
const now = epochSeconds(NOW);
const authTime = now - 30;

const at = (secondsLater: number) => () => new Date(NOW.getTime() + secondsLater * 1000);

describe('TokenIssuer', () => {
  let signer: LocalTokenSigner;
  let jwks: JsonWebKeySet;
  let issuer: TokenIssuer;

  beforeAll(async () => {
    signer = await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]);
    jwks = await signer.jwks();
    issuer = new TokenIssuer({
      signer,
      issuer: ISSUER,
      clock: () => NOW,
      idTokenLifetimeSeconds: 3600,
      accessTokenLifetimeSeconds: 300,
      randomId: () => 'b0f4f1e6-3f0e-4d2b-9a53-3d2f0c1e7a10',
    });
  });

  const verify = (token: string) =>
    jwtVerify(token, createLocalJWKSet(jwks), { algorithms: ['RS512'], currentDate: NOW });

  it('builds the trust mark from the issuer and its host', () => {
    // Act
    const trustmarks = [trustmarkUrl(ISSUER), trustmarkUrl('http://localhost:3000/')];

    // Assess
    expect(trustmarks).toEqual([
      'https://auth.login.example.test/trustmark/auth.login.example.test',
      'http://localhost:3000/trustmark/localhost:3000',
    ]);
  });

  it('issues an RS512 ID token with the protocol and profile claims, verifiable against the JWKS', async () => {
    // Act
    const issued = await issuer.issueIdToken({
      account: p9Account,
      clientId: 'client-1',
      scopes: ['openid', 'profile', 'email', 'phone'],
      nonce: 'nonce-1',
      vot: 'P9.Cp.Cd',
      authTime,
    });

    // Assess
    const { payload, protectedHeader } = await verify(issued.token);
    expect(protectedHeader).toEqual({ alg: 'RS512', typ: 'JWT', kid: jwks.keys[0]?.kid });
    expect(payload).toEqual({
      iss: ISSUER,
      sub: p0Account.subject,
      aud: 'client-1',
      iat: now,
      exp: now + 3600,
      jti: 'b0f4f1e6-3f0e-4d2b-9a53-3d2f0c1e7a10',
      nonce: 'nonce-1',
      auth_time: authTime,
      vot: 'P9.Cp.Cd',
      vtm: 'https://auth.login.example.test/trustmark/auth.login.example.test',
      nhs_number: '9912003888',
      family_name: 'SMITH',
      birthdate: '1980-02-29',
      identity_proofing_level: 'P9',
    });
    expect(issued).toMatchObject({ jti: payload.jti, expiresIn: 3600 });
  });

  it('gives each token its own random jti by default', async () => {
    // Prepare
    const randomIssuer = new TokenIssuer({
      signer,
      issuer: ISSUER,
      clock: () => NOW,
      idTokenLifetimeSeconds: 3600,
      accessTokenLifetimeSeconds: 300,
    });
    const subject = {
      account: p0Account,
      clientId: 'client-1',
      scopes: ['openid'] as const,
      vot: 'P0.Cp' as const,
    };

    // Act
    const first = await randomIssuer.issueIdToken({ ...subject, nonce: 'n', authTime });
    const second = await randomIssuer.issueIdToken({ ...subject, nonce: 'n', authTime });

    // Assess
    expect(first.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.jti).not.toBe(first.jti);
  });

  it('issues a 5-minute RS512 access token with scope, vot, vtm and client_id', async () => {
    // Act
    const issued = await issuer.issueAccessToken({
      account: p9Account,
      clientId: 'client-1',
      scopes: ['openid', 'profile', 'email'],
      vot: 'P9.Cp.Cd',
      authTime,
    });

    // Assess
    const { payload, protectedHeader } = await verify(issued.token);
    expect(protectedHeader).toEqual({ alg: 'RS512', typ: 'JWT', kid: jwks.keys[0]?.kid });
    expect(payload).toEqual({
      iss: ISSUER,
      sub: p0Account.subject,
      aud: 'client-1',
      iat: now,
      exp: now + 300,
      jti: 'b0f4f1e6-3f0e-4d2b-9a53-3d2f0c1e7a10',
      auth_time: authTime,
      scope: 'openid profile email',
      vot: 'P9.Cp.Cd',
      vtm: 'https://auth.login.example.test/trustmark/auth.login.example.test',
      client_id: 'client-1',
      token_use: 'access',
      nhs_number: '9912003888',
    });
    expect(issued.expiresIn).toBe(300);
  });

  describe('verifyAccessToken', () => {
    const accessToken = () =>
      issuer.issueAccessToken({
        account: p0Account,
        clientId: 'client-1',
        scopes: ['openid', 'email'],
        vot: 'P0.Cp.Cd',
        authTime,
      });

    const rejection = async (outcome: Promise<unknown>) => {
      const error = await outcome.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(InvalidTokenError);
      expect(error).toMatchObject({ code: 'invalid_token', status: 401 });
      return error as InvalidTokenError;
    };

    it('returns the subject, client, scopes and vector of a valid access token', async () => {
      // Prepare
      const { token, jti } = await accessToken();

      // Act
      const verified = await verifyAccessToken(token, { jwks, issuer: ISSUER, clock: at(60) });

      // Assess
      expect(verified).toEqual({
        sub: p0Account.subject,
        clientId: 'client-1',
        scopes: ['openid', 'email'],
        vot: 'P0.Cp.Cd',
        jti,
      });
    });

    it('accepts a token up to 5 seconds past its expiry, for clock skew', async () => {
      // Prepare
      const { token } = await accessToken();

      // Act
      const verified = await verifyAccessToken(token, { jwks, issuer: ISSUER, clock: at(304) });

      // Assess
      expect(verified.sub).toBe(p0Account.subject);
    });

    it('rejects an expired access token', async () => {
      // Prepare
      const { token } = await accessToken();

      // Act
      const outcome = verifyAccessToken(token, { jwks, issuer: ISSUER, clock: at(306) });

      // Assess
      const error = await rejection(outcome);
      expect(error.description).toBe('The access token has expired.');
    });

    it('rejects a token from another issuer', async () => {
      // Prepare
      const { token } = await accessToken();

      // Act
      const outcome = verifyAccessToken(token, { jwks, issuer: 'https://other.example.test', clock: at(0) });

      // Assess
      await rejection(outcome);
    });

    it('rejects an unsigned token (alg none)', async () => {
      // Prepare
      const { token } = await accessToken();
      const { payload } = await verify(token);
      const unsigned = new UnsecuredJWT(payload).encode();

      // Act
      const outcome = verifyAccessToken(unsigned, { jwks, issuer: ISSUER, clock: at(0) });

      // Assess
      await rejection(outcome);
    });

    it('rejects a token signed by a key we do not publish', async () => {
      // Prepare
      const { token } = await accessToken();
      const { payload } = await verify(token);
      const other = await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]);
      const foreign = await other.sign(payload);

      // Act
      const outcome = verifyAccessToken(foreign, { jwks, issuer: ISSUER, clock: at(0) });

      // Assess
      await rejection(outcome);
    });

    it('rejects a token signed by another key that names our key id', async () => {
      // Prepare
      const { token } = await accessToken();
      const { payload } = await verify(token);
      const { privateKey } = await generateKeyPair('RS512');
      const forged = await new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS512', typ: 'JWT', kid: decodeProtectedHeader(token).kid })
        .sign(privateKey);

      // Act
      const outcome = verifyAccessToken(forged, { jwks, issuer: ISSUER, clock: at(0) });

      // Assess
      await rejection(outcome);
    });

    it('rejects a token whose payload was altered after signing', async () => {
      // Prepare
      const { token } = await accessToken();
      const [header, payload, signature] = token.split('.') as [string, string, string];
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const widened = Buffer.from(JSON.stringify({ ...claims, scope: 'openid email profile' })).toString(
        'base64url',
      );

      // Act
      const outcome = verifyAccessToken(`${header}.${widened}.${signature}`, {
        jwks,
        issuer: ISSUER,
        clock: at(0),
      });

      // Assess
      await rejection(outcome);
    });

    it('rejects an ID token presented as an access token', async () => {
      // Prepare
      const { token } = await issuer.issueIdToken({
        account: p0Account,
        clientId: 'client-1',
        scopes: ['openid'],
        nonce: 'nonce-1',
        vot: 'P0.Cp.Cd',
        authTime,
      });

      // Act
      const outcome = verifyAccessToken(token, { jwks, issuer: ISSUER, clock: at(0) });

      // Assess
      await rejection(outcome);
    });

    it('rejects a value that is not a JWT', async () => {
      // Act
      const outcome = verifyAccessToken('not-a-token', { jwks, issuer: ISSUER, clock: at(0) });

      // Assess
      await rejection(outcome);
    });
  });
});

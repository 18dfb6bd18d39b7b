import { describe, expect, it } from 'vitest';
import { generatePrivateJwk, LocalTokenSigner } from '../../../../src/adapters/local/local-token-signer.ts';
import type { RelyingPartyClient } from '../../../../src/domain/clients/relying-party-client.ts';
import { endSessionRedirect } from '../../../../src/domain/oidc/end-session.ts';

const ISSUER = 'https://login.example';
const BACK = 'https://gp.example/logged-out';

const setup = async () => {
  const ours = await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]);
  const theirs = await LocalTokenSigner.fromPrivateJwks([await generatePrivateJwk()]);
  const client = { clientId: 'gp-app', postLogoutRedirectUris: [BACK] } as unknown as RelyingPartyClient;
  const context = {
    issuer: ISSUER,
    jwks: () => ours.jwks(),
    clients: { find: async (id: string) => (id === 'gp-app' ? client : undefined) },
  };
  const idToken = (signer: LocalTokenSigner, claims: Record<string, unknown> = {}) =>
    signer.sign({ iss: ISSUER, aud: 'gp-app', sub: 's', exp: 1, iat: 0, ...claims });
  return { ours, theirs, context, idToken };
};

describe('endSessionRedirect', () => {
  it('goes back to a registered URI with the state, even for an expired ID token of ours', async () => {
    // Prepare
    const { ours, context, idToken } = await setup();

    // Act
    const redirect = await endSessionRedirect(
      { idTokenHint: await idToken(ours), postLogoutRedirectUri: BACK, state: 'xyz' },
      context,
    );

    // Assess
    expect(redirect).toBe(`${BACK}?state=xyz`);
  });

  it.each([
    [
      'an unregistered URI',
      async (s: Awaited<ReturnType<typeof setup>>) => ({
        idTokenHint: await s.idToken(s.ours),
        postLogoutRedirectUri: 'https://evil.example/',
      }),
    ],
    [
      'an ID token signed by someone else',
      async (s: Awaited<ReturnType<typeof setup>>) => ({
        idTokenHint: await s.idToken(s.theirs),
        postLogoutRedirectUri: BACK,
      }),
    ],
    [
      'an ID token of another issuer',
      async (s: Awaited<ReturnType<typeof setup>>) => ({
        idTokenHint: await s.idToken(s.ours, { iss: 'https://other.example' }),
        postLogoutRedirectUri: BACK,
      }),
    ],
    [
      'a client_id that is not the hint’s',
      async (s: Awaited<ReturnType<typeof setup>>) => ({
        idTokenHint: await s.idToken(s.ours),
        postLogoutRedirectUri: BACK,
        clientId: 'other',
      }),
    ],
    ['no hint and no client_id', async () => ({ postLogoutRedirectUri: BACK })],
    ['a malformed hint', async () => ({ idTokenHint: 'not.a.jwt', postLogoutRedirectUri: BACK })],
  ])('stays on our logged-out page for %s', async (_case, request) => {
    // Prepare
    const prepared = await setup();

    // Act
    const redirect = await endSessionRedirect(await request(prepared), prepared.context);

    // Assess
    expect(redirect).toBeUndefined();
  });

  it('accepts the client_id instead of a hint', async () => {
    // Prepare
    const { context } = await setup();

    // Act
    const redirect = await endSessionRedirect({ clientId: 'gp-app', postLogoutRedirectUri: BACK }, context);

    // Assess
    expect(redirect).toBe(BACK);
  });
});

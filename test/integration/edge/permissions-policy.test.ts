import { afterEach, describe, expect, it } from 'vitest';
import { startPages } from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;

describe('the Permissions-Policy the dev server sends', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  it.each([
    ['a hosted page', '/register'],
    ['the discovery document', '/.well-known/openid-configuration'],
    ['a static asset', '/assets/nothing-here.css'],
  ])('disables the camera, microphone and passkeys on %s', async (_case, path) => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await fetch(`${pages.baseUrl}${path}`);

    // Assess
    const policy = response.headers.get('permissions-policy') ?? '';
    for (const feature of [
      'camera',
      'microphone',
      'publickey-credentials-get',
      'publickey-credentials-create',
    ]) {
      expect(policy).toContain(`${feature}=()`);
    }
    expect(policy).not.toContain('(self)');
  });

  it.each([
    ['the login page', '/login', 'publickey-credentials-get'],
    ['the email-first passkey page', '/login/passkey', 'publickey-credentials-get'],
  ])('allows passkeys on %s, and nothing else', async (_case, path, feature) => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await fetch(`${pages.baseUrl}${path}`);

    // Assess
    const policy = response.headers.get('permissions-policy') ?? '';
    expect(policy).toContain(`${feature}=(self)`);
    expect(policy).toContain('publickey-credentials-create=()');
    expect(policy).toContain('camera=()');
    expect(policy.match(/\(self\)/g)).toHaveLength(1);
  });

  it('turns the old XSS auditor off and sends no empty reporting headers on a page', async () => {
    // Prepare
    pages = await startPages();

    // Act
    const response = await fetch(`${pages.baseUrl}/login`);

    // Assess
    expect(response.headers.get('x-xss-protection')).toBe('0');
    expect(response.headers.has('report-to')).toBe(false);
    expect(response.headers.has('reporting-endpoints')).toBe(false);
  });
});

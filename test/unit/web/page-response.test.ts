import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../../src/web/page-response.ts';

const directives = (policy: string) =>
  Object.fromEntries(
    policy.split('; ').map((directive) => {
      const [name, ...values] = directive.split(' ');
      return [name, values];
    }),
  );

describe('the pages’ content security policy', () => {
  it('lets a page reach only its own origin unless it names more', () => {
    // Act
    const policy = directives(contentSecurityPolicy('nonce-1'));

    // Assess
    expect(policy['connect-src']).toEqual(["'self'"]);
    expect(policy['form-action']).toEqual(["'self'"]);
    expect(policy['img-src']).toEqual(["'self'", 'data:']);
    expect(policy['media-src']).toBeUndefined();
    expect(policy['default-src']).toEqual(["'self'"]);
  });

  it('adds the sources a photo-ID page names, and only those', () => {
    // Act
    const policy = directives(
      contentSecurityPolicy('nonce-1', ['https://rp.example'], {
        formTargets: ['https://media.s3.eu-west-2.amazonaws.com'],
        connectSources: ['https://media.s3.eu-west-2.amazonaws.com'],
        mediaSources: ['blob:'],
      }),
    );

    // Assess
    expect(policy['form-action']).toEqual([
      "'self'",
      'https://rp.example',
      'https://media.s3.eu-west-2.amazonaws.com',
    ]);
    expect(policy['connect-src']).toEqual(["'self'", 'https://media.s3.eu-west-2.amazonaws.com']);
    expect(policy['media-src']).toEqual(["'self'", 'blob:']);
    expect(policy['img-src']).toEqual(["'self'", 'data:']);
    expect(policy['script-src']).toEqual(["'self'", "'nonce-nonce-1'"]);
  });
});

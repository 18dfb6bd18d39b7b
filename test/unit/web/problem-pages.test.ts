import { describe, expect, it } from 'vitest';
import { resolveLimits } from '../../../src/domain/limits/limits.ts';
import { TooManyAttemptsError } from '../../../src/domain/limits/too-many-attempts-error.ts';
import { PatientProblemError } from '../../../src/domain/patient-problems.ts';
import { createProblemPages, describeDuration } from '../../../src/web/problem-pages.ts';

const NOW = new Date('2026-11-22T10:00:00Z');

describe('describeDuration', () => {
  it.each([
    [3600, '1 hour'],
    [86_400, '24 hours'],
    [900, '15 minutes'],
    [60, '1 minute'],
    [5400, '90 minutes'],
  ])('says %i seconds as "%s"', (seconds, words) => {
    // Act
    const said = describeDuration(seconds);

    // Assess
    expect(said).toBe(words);
  });
});

describe('the problem pages', () => {
  it('name the lifetime of a link from the limits in force', () => {
    // Prepare
    const pages = createProblemPages({
      clock: () => NOW,
      limits: resolveLimits({ resetLinkLifetimeSeconds: 1800, confirmationLinkLifetimeSeconds: 7200 }),
    });

    // Act
    const reset = pages.problemPageFor(new PatientProblemError('reset-link-expired'));
    const confirmation = pages.problemPageFor(new PatientProblemError('confirmation-link-expired'));

    // Assess
    expect(reset.paragraphs[0]).toBe('The link to reset your password only works for 30 minutes.');
    expect(confirmation.paragraphs[0]).toBe('The link in your email only works for 2 hours.');
  });

  it('say when to try again, and send Retry-After, from the injected clock', () => {
    // Prepare
    const pages = createProblemPages({ clock: () => NOW, limits: resolveLimits() });
    const retryAt = new Date(NOW.getTime() + 120_000);

    // Act
    const page = pages.problemPageFor(new TooManyAttemptsError('password-delayed', retryAt));

    // Assess: 10:02 UTC is 10:02am in London in November
    expect(page.status).toBe(429);
    expect(page.retryAfterSeconds).toBe(120);
    expect(page.paragraphs).toContain('You can try again after 10:02am.');
  });

  it('name the day of a retry that is not today in the UK', () => {
    // Prepare
    const pages = createProblemPages({ clock: () => NOW, limits: resolveLimits() });

    // Act
    const page = pages.problemPageFor(
      new TooManyAttemptsError('password-delayed', new Date('2026-11-23T09:30:00Z')),
    );

    // Assess
    expect(page.paragraphs).toContain('You can try again after 9:30am on 23 November.');
  });
});

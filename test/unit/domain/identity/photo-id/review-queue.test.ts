import { describe, expect, it } from 'vitest';
import type { PhotoIdCheck } from '../../../../../src/domain/identity/photo-id/photo-id-check.ts';
import { reviewQueue } from '../../../../../src/domain/identity/photo-id/review-queue.ts';

const NOW = new Date('2026-12-02T12:00:00Z');

const check = (checkId: string, deadline: string, extra: Partial<PhotoIdCheck> = {}): PhotoIdCheck => ({
  checkId,
  accountId: `account-${checkId}`,
  state: 'in-review',
  attempt: 1,
  createdAt: '2026-12-02T08:00:00Z',
  submittedAt: '2026-12-02T08:30:00Z',
  deadline,
  taskToken: `token-${checkId}`,
  version: 5,
  ...extra,
});

describe('the review queue', () => {
  it('lists the overdue checks first, most overdue first, then by deadline, with the minutes left', () => {
    // Prepare
    const checks = [
      check('due-later', '2026-12-02T13:30:00Z'),
      check('due-soon', '2026-12-02T12:10:00Z'),
      check('overdue-a-little', '2026-12-02T11:50:00Z'),
      check('overdue-long', '2026-12-02T09:00:00Z'),
    ];

    // Act
    const queue = reviewQueue(checks, NOW);

    // Assess
    expect(queue.map((entry) => [entry.checkId, entry.minutesLeft, entry.overdue])).toEqual([
      ['overdue-long', -180, true],
      ['overdue-a-little', -10, true],
      ['due-soon', 10, false],
      ['due-later', 90, false],
    ]);
  });

  it('puts a check the workflow marked overdue with the overdue ones, whatever the clock says', () => {
    // Prepare
    const checks = [
      check('on-time', '2026-12-02T12:05:00Z'),
      check('marked', '2026-12-02T12:30:00Z', { overdue: true }),
    ];

    // Act
    const queue = reviewQueue(checks, NOW);

    // Assess
    expect(queue.map((entry) => entry.checkId)).toEqual(['marked', 'on-time']);
  });

  it('says which checks a reviewer can decide now, and leaves out those not waiting for one', () => {
    // Prepare
    const checks = [
      check('waiting', '2026-12-02T13:00:00Z'),
      check('starting', '2026-12-02T13:00:00Z', { state: 'submitted', taskToken: undefined }),
      check('decided', '2026-12-02T13:00:00Z', { state: 'approved' }),
      check('collecting', '2026-12-02T13:00:00Z', { state: 'collecting', deadline: undefined }),
    ];

    // Act
    const queue = reviewQueue(checks, NOW);

    // Assess
    expect(queue.map((entry) => [entry.checkId, entry.decidable])).toEqual([
      ['starting', false],
      ['waiting', true],
    ]);
  });
});

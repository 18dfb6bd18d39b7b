import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../src/domain/accounts/account.ts';
import type { AuditEvent } from '../../../../src/domain/audit/audit-log.ts';
import type { Demographics, DemographicsRecord } from '../../../../src/domain/identity/demographics.ts';
import { NhsNumberCheck } from '../../../../src/domain/identity/nhs-number-check.ts';
import { resolveLimits } from '../../../../src/domain/limits/limits.ts';
import type { RateLimiter } from '../../../../src/domain/limits/rate-limiter.ts';
import { PatientProblemError } from '../../../../src/domain/patient-problems.ts';

const account: Account = {
  accountId: 'a1',
  subject: 's1',
  email: 'pat@example.com',
  passwordHash: 'x',
  proofingLevel: 'P5',
  identity: { nhsNumber: '9000000009', familyName: 'Smith', checkedAt: '2026-01-01T00:00:00Z' },
  createdAt: '2026-01-01T00:00:00Z',
};
const record: DemographicsRecord = {
  nhsNumber: '9000000009',
  givenNames: ['Jane'],
  familyName: 'Smith',
  birthDate: '1980-10-22',
  deceased: false,
  postalCodes: [],
  gpOdsCode: 'Y12345',
  mobileNumbers: [],
  nhsNumberVerified: true,
  restricted: false,
};

/** The check over a PDS that answers `answer`, a budget of `budget` requests, and stores that remember. */
const checkWith = (answer: () => Promise<DemographicsRecord>, budget = 5) => {
  let used = 0;
  const calls: string[] = [];
  const rateLimiter: RateLimiter = {
    hit: async () => {
      used += 1;
      return { allowed: used <= budget, retryAt: new Date(0) } as Awaited<ReturnType<RateLimiter['hit']>>;
    },
    peek: async () => ({ allowed: true, retryAt: new Date(0) }) as Awaited<ReturnType<RateLimiter['peek']>>,
    reset: async () => undefined,
  };
  const demographics: Demographics = {
    retrieve: async (nhsNumber) => {
      calls.push(nhsNumber);
      return answer();
    },
    search: async () => undefined,
  };
  const stored: { identity?: unknown; disabled?: unknown } = {};
  const events: AuditEvent[] = [];
  const check = new NhsNumberCheck({
    demographics,
    accounts: {
      setIdentity: async (_id, _level, identity) => {
        stored.identity = identity;
      },
      disable: async (_id, disabled) => {
        stored.disabled = disabled;
      },
    },
    rateLimiter,
    audit: {
      record: async (event: AuditEvent) => {
        events.push(event);
      },
      recordForAddress: async () => undefined,
      recent: async () => [],
    },
    clock: () => new Date('2026-12-01T10:00:00Z'),
    limits: resolveLimits({ pdsRequestsPerSecond: budget }),
  });
  return { check, calls, stored, events };
};

describe('the NHS number check at login', () => {
  it('keeps the superseding number and the time of the check', async () => {
    // Prepare
    const { check, stored, events } = checkWith(async () => ({ ...record, nhsNumber: '9000000068' }));

    // Act
    await check.check(account, '192.0.2.1');

    // Assess
    expect(stored.identity).toMatchObject({ nhsNumber: '9000000068', checkedAt: '2026-12-01T10:00:00.000Z' });
    expect(events.map((event) => event.detail)).toEqual(['superseded']);
  });

  it('asks PDS nothing past the budget of requests a second, and says PDS cannot be reached', async () => {
    // Prepare
    const { check, calls } = checkWith(async () => record, 1);
    await check.check(account, '192.0.2.1');

    // Act
    const second = check.check(account, '192.0.2.1');

    // Assess
    await expect(second).rejects.toMatchObject({ problem: 'pds-unavailable', logDetail: 'budget' });
    expect(calls).toHaveLength(1);
  });

  it('disables the account for an unverified number, and shows CID2012', async () => {
    // Prepare
    const { check, stored } = checkWith(async () => ({ ...record, nhsNumberVerified: false }));

    // Act
    const checked = check.check(account, '192.0.2.1');

    // Assess
    await expect(checked).rejects.toBeInstanceOf(PatientProblemError);
    await expect(checked).rejects.toMatchObject({ cid: 'CID2012' });
    expect(stored.disabled).toMatchObject({ reason: 'pds-record' });
  });
});

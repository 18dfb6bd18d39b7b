import { DynamoFailureCounter } from '../../src/adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoLockouts } from '../../src/adapters/dynamodb/dynamo-lockouts.ts';
import { DynamoPasswordFailureStore } from '../../src/adapters/dynamodb/dynamo-password-failure-store.ts';
import { DynamoRateLimiter } from '../../src/adapters/dynamodb/dynamo-rate-limiter.ts';
import { DynamoSecurityCodeStore } from '../../src/adapters/dynamodb/dynamo-security-code-store.ts';
import { CodeSendThrottle } from '../../src/domain/limits/code-send-throttle.ts';
import { type LimitOverrides, resolveLimits } from '../../src/domain/limits/limits.ts';
import { PasswordThrottle } from '../../src/domain/limits/password-throttle.ts';
import { SecurityCodes } from '../../src/domain/security-codes/security-codes.ts';
import { createTestTable } from './test-table.ts';

/** 10:00 UTC: the start of a 15-minute window; its day started at midnight UTC. */
export const START = new Date('2026-11-22T10:00:00Z');

/** The time `seconds` after START. */
export const at = (seconds: number): Date => new Date(START.getTime() + seconds * 1000);

/** The rejection of a promise that must fail (the test fails if it succeeds). */
export const rejectionOf = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection, but the promise fulfilled');
};

/** A fresh table, the DynamoDB adapters and the services on them, all on one clock a test moves. */
export const createLimitsFixture = async (overrides: LimitOverrides = {}) => {
  let now = START;
  const clock = () => now;
  const table = await createTestTable(clock);
  const rateLimiter = new DynamoRateLimiter({ table, clock });
  const lockouts = new DynamoLockouts(table);
  const limits = resolveLimits(overrides);
  return {
    table,
    rateLimiter,
    lockouts,
    limits,
    /** Moves the clock to `seconds` after START. */
    moveTo: (seconds: number) => {
      now = at(seconds);
    },
    passwords: new PasswordThrottle({
      store: new DynamoPasswordFailureStore(table),
      rateLimiter,
      clock,
      limits,
    }),
    codeSends: new CodeSendThrottle({ rateLimiter, limits }),
    codes: new SecurityCodes({
      store: new DynamoSecurityCodeStore(table),
      lockouts,
      failures: new DynamoFailureCounter({ table, clock }),
      clock,
      limits,
    }),
  };
};

import { DynamoFailureCounter } from '../adapters/dynamodb/dynamo-failure-counter.ts';
import { DynamoRateLimiter } from '../adapters/dynamodb/dynamo-rate-limiter.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import type { AccountStore } from '../domain/accounts/account.ts';
import type { AuditLog } from '../domain/audit/audit-log.ts';
import type { Clock } from '../domain/clock.ts';
import { type Demographics, DemographicsUnavailableError } from '../domain/identity/demographics.ts';
import { DetailsCheck } from '../domain/identity/details-check.ts';
import { NhsNumberCheck } from '../domain/identity/nhs-number-check.ts';
import type { Limits } from '../domain/limits/limits.ts';

/** PDS where none is configured: every check says PDS cannot be reached, never that details did not match. */
export const unconfiguredDemographics: Demographics = {
  retrieve: () => Promise.reject(new DemographicsUnavailableError('No PDS is configured.')),
  search: () => Promise.reject(new DemographicsUnavailableError('No PDS is configured.')),
};

/** Proving who you are: the details check against PDS (P5), over the table and a PDS adapter. */
export const createIdentityServices = (adapters: {
  readonly table: DynamoTable;
  readonly clock: Clock;
  readonly limits: Limits;
  readonly demographics: Demographics;
  readonly audit: AuditLog;
  readonly accounts: Pick<AccountStore, 'setIdentity' | 'disable'>;
}) => ({
  nhsNumberCheck: new NhsNumberCheck({
    demographics: adapters.demographics,
    accounts: adapters.accounts,
    rateLimiter: new DynamoRateLimiter({ table: adapters.table, clock: adapters.clock }),
    audit: adapters.audit,
    clock: adapters.clock,
    limits: adapters.limits,
  }),
  detailsCheck: new DetailsCheck({
    demographics: adapters.demographics,
    accounts: adapters.accounts,
    rateLimiter: new DynamoRateLimiter({ table: adapters.table, clock: adapters.clock }),
    failures: new DynamoFailureCounter({ table: adapters.table, clock: adapters.clock }),
    audit: adapters.audit,
    clock: adapters.clock,
    limits: adapters.limits,
  }),
});

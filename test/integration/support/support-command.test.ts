import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoDeviceStore } from '../../../src/adapters/dynamodb/dynamo-device-store.ts';
import type { DynamoTable } from '../../../src/adapters/dynamodb/dynamo-table.ts';
import type { Account } from '../../../src/domain/accounts/account.ts';
import { InvalidRequestError } from '../../../src/domain/errors.ts';
import { UsageError } from '../../../src/local/cli-table.ts';
import { runSupportCommand } from '../../../src/local/support-cli.ts';
import { createTestTable } from '../../support/test-table.ts';

const NOW = new Date('2026-12-02T09:00:00.000Z');

/** `npm run support -- find`, in process against DynamoDB Local: what support sees, and never sees. */
describe('the support command', () => {
  let table: DynamoTable;
  const account: Account = {
    accountId: randomUUID(),
    subject: randomUUID(),
    email: 'sam.support@example.com',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    proofingLevel: 'P0',
    createdAt: NOW.toISOString(),
  };

  beforeAll(async () => {
    table = await createTestTable(() => NOW);
    const accounts = new DynamoAccountStore(table);
    await accounts.create(account);
    await accounts.setPhoneNumber(account.accountId, '+447700900123');
    await accounts.setIdentity(account.accountId, 'P9', { nhsNumber: '9000000009', familyName: 'Smith' });
    await new DynamoDeviceStore(table).save({
      accountId: account.accountId,
      deviceId: 'device-1',
      secretDigest: 'digest-of-the-cookie-secret',
      label: 'Chrome on Android',
      createdAt: NOW.toISOString(),
      lastUsedAt: NOW.toISOString(),
      expiresAt: '2027-01-01T09:00:00.000Z',
    });
    const audit = new DynamoAuditLog(table);
    await audit.record({
      accountId: account.accountId,
      type: 'code-sent',
      at: '2026-12-02T08:59:00.000Z',
      detail: 'sms',
    });
    await audit.record({
      accountId: account.accountId,
      type: 'login-succeeded',
      at: '2026-12-02T09:00:00.000Z',
      sourceIp: '192.0.2.7',
      detail: 'sms',
    });
  });

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    await runSupportCommand(argv, table, { out: (line) => lines.push(line) });
    return lines.join('\n');
  };

  it('finds an account by its email address: state, proofing, factors, devices and the newest activity first', async () => {
    // Act
    const output = await run('find', '--email', ' Sam.Support@Example.com ');

    // Assess
    expect(output).toContain(`Account ${account.accountId}`);
    expect(output).toContain('State:            active');
    expect(output).toContain('Proofing level:   P9, NHS number 9000000009');
    expect(output).toContain('Mobile phone:     ending 123');
    expect(output).toContain('Remembered devices: Chrome on Android');
    expect(output.indexOf('login-succeeded (sms)  from 192.0.2.7')).toBeGreaterThan(0);
    expect(output.indexOf('login-succeeded')).toBeLessThan(output.indexOf('code-sent'));
  });

  it('finds the same account by its NHS number, spaces and all', async () => {
    // Act
    const output = await run('find', '--nhs-number', '900 000 0009');

    // Assess
    expect(output).toContain(`Account ${account.accountId}`);
  });

  it('never prints the password hash, the full phone number or a device secret', async () => {
    // Act
    const output = await run('find', '--email', account.email);

    // Assess
    expect(output).not.toContain('argon2id');
    expect(output).not.toContain('7700900123');
    expect(output).not.toContain('digest-of-the-cookie-secret');
  });

  it('says when no account has the address or number', async () => {
    // Act
    const byEmail = await run('find', '--email', 'nobody@example.com');
    const byNumber = await run('find', '--nhs-number', '9000000017');

    // Assess
    expect(byEmail).toBe('No account has that email address.');
    expect(byNumber).toBe('No account has that NHS number.');
  });

  it('refuses a malformed NHS number or address, both or neither look-up, and an unknown command', async () => {
    // Act
    const outcomes = await Promise.allSettled([
      run('find', '--nhs-number', '1234567890'),
      run('find', '--email', 'sam.support@example.com', '--nhs-number', '9000000009'),
      run('find'),
      run('delete', '--email', 'sam.support@example.com'),
      run('find', '--email', 'no-at-sign'),
    ]);

    // Assess
    const errors = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : undefined));
    expect(errors[0]).toBeInstanceOf(InvalidRequestError);
    expect(errors[1]).toBeInstanceOf(UsageError);
    expect(errors[2]).toBeInstanceOf(UsageError);
    expect(errors[3]).toBeInstanceOf(UsageError);
    expect(errors[4]).toBeInstanceOf(InvalidRequestError);
  });
});

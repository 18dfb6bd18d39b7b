import { randomBytes } from 'node:crypto';
import { generate, verify } from 'otplib';
import { beforeAll, describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from '../../../src/adapters/argon2/argon2-password-hasher.ts';
import { DynamoStaffAccountStore } from '../../../src/adapters/dynamodb/dynamo-staff-account-store.ts';
import { LocalSecretBox } from '../../../src/adapters/local/local-secret-box.ts';
import { totpSecretContext } from '../../../src/domain/staff/staff-account.ts';
import { UsageError } from '../../../src/local/cli-table.ts';
import { runStaffCommand } from '../../../src/local/staff-cli.ts';
import { createTestTable } from '../../support/test-table.ts';

/** `npm run staff`, in process against DynamoDB Local: what it prints, what it keeps, and what it refuses. */
describe('the staff command', () => {
  let deps: Parameters<typeof runStaffCommand>[1];
  let secrets: LocalSecretBox;
  const hasher = new Argon2PasswordHasher();
  beforeAll(async () => {
    secrets = new LocalSecretBox(randomBytes(32));
    deps = {
      staff: new DynamoStaffAccountStore(await createTestTable()),
      hasher,
      secrets,
      clock: () => new Date(),
      issuerName: 'Patient Login review console',
    };
  });

  const run = async (...argv: string[]) => {
    const lines: string[] = [];
    await runStaffCommand(argv, deps, { out: (line) => lines.push(line) });
    return lines.join('\n');
  };

  it('adds a member of staff and prints the password and authenticator key once; only their hash and sealed form are kept', async () => {
    // Act
    const output = await run(
      'add',
      '--role',
      'supervisor',
      '--email',
      'Sam@Staff.test',
      '--name',
      'Sam Supervisor',
    );
    const password = /Password: +(\S+)/.exec(output)?.[1] ?? '';
    const key = /Authenticator key: +(\S+)/.exec(output)?.[1] ?? '';
    const stored = await deps.staff.findByEmail('sam@staff.test');

    // Assess
    expect(output).toContain('sam@staff.test  Sam Supervisor  Supervisor');
    expect(output).toMatch(/otpauth:\/\/totp\/Patient%20Login%20review%20console:sam%40staff\.test\?secret=/);
    expect(password).toMatch(/^[\w-]{24}$/);
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(await hasher.verify(stored?.passwordHash ?? '', password)).toBe(true);
    const opened = await secrets.open(
      stored?.sealedTotpSecret ?? '',
      totpSecretContext(stored?.staffId ?? ''),
    );
    expect((await verify({ secret: opened, token: await generate({ secret: key }) })).valid).toBe(true);
  });

  it('refuses a second account for the same address, an unknown role, and a bad address or name', async () => {
    // Prepare
    await run('add', '--role', 'reviewer', '--email', 'once@staff.test', '--name', 'Once');

    // Act
    const refusal = (...argv: string[]) =>
      run(...argv).then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    const again = await refusal('add', '--role', 'reviewer', '--email', 'ONCE@staff.test', '--name', 'Twice');
    const role = await refusal('add', '--role', 'admin', '--email', 'x@staff.test', '--name', 'X');
    const address = await refusal('add', '--role', 'reviewer', '--email', 'not-an-address', '--name', 'X');
    const name = await refusal('add', '--role', 'reviewer', '--email', 'y@staff.test', '--name', ' ');

    // Assess
    expect(again?.message).toBe('A member of staff has that email address already.');
    expect(role).toBeInstanceOf(UsageError);
    expect(role?.message).toBe('Give the role with --role reviewer|supervisor|support.');
    expect(address?.message).toMatch(/--email: /);
    expect(name?.message).toMatch(/--name: Enter a name/);
    expect(await run('list')).not.toContain('Twice');
  });

  it('lists, disables, enables and resets, the old password and key no longer working after a reset', async () => {
    // Prepare
    const added = await run('add', '--role', 'support', '--email', 'sue@staff.test', '--name', 'Sue Support');
    const oldPassword = /Password: +(\S+)/.exec(added)?.[1] ?? '';

    // Act
    const disabled = await run('disable', 'sue@staff.test');
    const listed = await run('list');
    await run('enable', 'SUE@staff.test');
    const reset = await run('reset', 'sue@staff.test');
    const newPassword = /Password: +(\S+)/.exec(reset)?.[1] ?? '';
    const stored = await deps.staff.findByEmail('sue@staff.test');
    const unknown = await run('disable', 'nobody@staff.test').then(
      () => undefined,
      (error: unknown) => error as Error,
    );

    // Assess
    expect(disabled).toBe('Disabled sue@staff.test.');
    expect(listed).toContain('sue@staff.test  Sue Support  Support  (disabled)');
    expect(stored?.disabled).toBeUndefined();
    expect(newPassword).not.toBe(oldPassword);
    expect(await hasher.verify(stored?.passwordHash ?? '', oldPassword)).toBe(false);
    expect(await hasher.verify(stored?.passwordHash ?? '', newPassword)).toBe(true);
    expect(unknown?.message).toBe('No member of staff has the email address "nobody@staff.test".');
  });
});

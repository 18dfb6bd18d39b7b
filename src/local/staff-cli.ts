import { parseArgs } from 'node:util';
import { Argon2PasswordHasher } from '../adapters/argon2/argon2-password-hasher.ts';
import { DynamoStaffAccountStore } from '../adapters/dynamodb/dynamo-staff-account-store.ts';
import { KmsSecretBox } from '../adapters/kms/kms-secret-box.ts';
import { LocalSecretBox } from '../adapters/local/local-secret-box.ts';
import { systemClock } from '../domain/clock.ts';
import type { SecretBox } from '../domain/identity/secret-box.ts';
import { InvalidInputError } from '../domain/invalid-input-error.ts';
import {
  isStaffRole,
  type StaffAccount,
  type StaffAccountStore,
  staffRoles,
} from '../domain/staff/staff-account.ts';
import {
  addStaffMember,
  resetStaffCredentials,
  type StaffCredentials,
  type StaffEnrolmentDependencies,
} from '../domain/staff/staff-enrolment.ts';
import { normaliseStaffEmail } from '../domain/staff/staff-login.ts';
import { openCommandTable, runCommand, UsageError } from './cli-table.ts';
import { dataPaths } from './local-stack.ts';

const roles = Object.keys(staffRoles).join('|');

const usage = `Manage the review console's staff accounts.

  npm run staff -- add --role ${roles} --email EMAIL --name "NAME"
  npm run staff -- list
  npm run staff -- disable EMAIL
  npm run staff -- enable EMAIL
  npm run staff -- reset EMAIL   (a new password and authenticator key; the old ones stop working)

"add" and "reset" print a generated password and an authenticator key (and its otpauth:// URI,
for a QR code) once: give them to the person, who adds the key to an authenticator app. Neither
is kept anywhere but as a hash and a sealed secret.

By default the local stack's store and key are used (DynamoDB Local on DYNAMODB_PORT, default
8000, with its data in DATA_DIR, default .data); it is started for the command if the local stack
is not running. With --table NAME --key-id KEY the table and the staff secrets KMS key in AWS are
used, with the usual AWS credentials and region.`;

const options = {
  role: { type: 'string' },
  email: { type: 'string' },
  name: { type: 'string' },
  table: { type: 'string' },
  'key-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export interface StaffCliIo {
  readonly out: (line: string) => void;
}

const describe = (account: StaffAccount) =>
  `${account.email}  ${account.name}  ${staffRoles[account.role]}${account.disabled ? '  (disabled)' : ''}`;

const handOver = (credentials: StaffCredentials) =>
  [
    describe(credentials.account),
    '',
    'Give these to the person, once, by a safe route; they are not shown again:',
    `  Password:           ${credentials.password}`,
    `  Authenticator key:  ${credentials.totpSecret}`,
    `  Or as a QR code of: ${credentials.totpUri}`,
  ].join('\n');

/** Runs one staff command against a store. */
export const runStaffCommand = async (
  argv: readonly string[],
  deps: StaffEnrolmentDependencies & { readonly staff: StaffAccountStore },
  io: StaffCliIo,
): Promise<void> => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
  });
  const [command, email] = positionals;
  if (values.help || command === undefined) {
    io.out(usage);
    return;
  }
  const existing = async () => {
    if (!email) throw new UsageError(`Give the email address: npm run staff -- ${command} EMAIL`);
    const account = await deps.staff.findByEmail(normaliseStaffEmail(email));
    if (!account) throw new UsageError(`No member of staff has the email address "${email}".`);
    return account;
  };
  switch (command) {
    case 'add': {
      if (!isStaffRole(values.role)) throw new UsageError(`Give the role with --role ${roles}.`);
      try {
        const credentials = await addStaffMember(deps, {
          email: values.email ?? '',
          name: values.name ?? '',
          role: values.role,
        });
        io.out(`Added.\n${handOver(credentials)}`);
      } catch (error) {
        if (error instanceof InvalidInputError)
          throw new UsageError(
            error.problems.map((problem) => `--${problem.field}: ${problem.message}`).join('\n'),
          );
        throw error;
      }
      return;
    }
    case 'list': {
      const all = await deps.staff.list();
      io.out(all.length === 0 ? 'No staff accounts.' : all.map(describe).join('\n'));
      return;
    }
    case 'disable':
    case 'enable': {
      const account = await existing();
      await deps.staff.setDisabled(account.staffId, command === 'disable');
      io.out(`${command === 'disable' ? 'Disabled' : 'Enabled'} ${account.email}.`);
      return;
    }
    case 'reset': {
      io.out(`Reset.\n${handOver(await resetStaffCredentials(deps, await existing()))}`);
      return;
    }
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${usage}`);
  }
};

const main = async () => {
  const argv = process.argv.slice(2);
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: false });
  if (values.help || positionals.length === 0) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const tableName = typeof values.table === 'string' ? values.table : undefined;
  const keyId = typeof values['key-id'] === 'string' ? values['key-id'] : undefined;
  if (tableName && !keyId)
    throw new UsageError('With --table, give the staff secrets key with --key-id KEY.');
  const opened = await openCommandTable(tableName);
  try {
    const secrets: SecretBox =
      keyId && tableName
        ? new KmsSecretBox({ keyId })
        : await LocalSecretBox.loadOrCreate(
            dataPaths(opened.local?.dataDirectory ?? '.data').staffSecretsKey,
          );
    await runStaffCommand(
      argv,
      {
        staff: new DynamoStaffAccountStore(opened.table),
        hasher: new Argon2PasswordHasher(),
        secrets,
        clock: systemClock,
        issuerName: `${opened.local?.serviceName ?? 'NHS login'} review console`,
      },
      { out: (line) => process.stdout.write(`${line}\n`) },
    );
  } finally {
    await opened.close();
  }
};

if (import.meta.main) runCommand(main);

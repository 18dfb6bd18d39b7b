import { parseArgs } from 'node:util';
import { DynamoAccountStore } from '../adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoDeviceStore } from '../adapters/dynamodb/dynamo-device-store.ts';
import { DynamoPasskeyStore } from '../adapters/dynamodb/dynamo-passkey-store.ts';
import { DynamoSessionStore } from '../adapters/dynamodb/dynamo-session-store.ts';
import { DynamoStaffAccountStore } from '../adapters/dynamodb/dynamo-staff-account-store.ts';
import { DynamoStaffAuditLog } from '../adapters/dynamodb/dynamo-staff-audit-log.ts';
import type { DynamoTable } from '../adapters/dynamodb/dynamo-table.ts';
import { isSupportAction, SupportActions, supportActions } from '../domain/support/support-actions.ts';
import { SupportLookup, type SupportView } from '../domain/support/support-lookup.ts';
import { openCommandTable, runCommand, UsageError } from './cli-table.ts';

const usage = `Look up a patient's account for support, and act on it.

  npm run support -- find --email EMAIL
  npm run support -- find --nhs-number NHS_NUMBER
  npm run support -- ACTION (--email EMAIL | --nhs-number NHS_NUMBER) --staff STAFF_EMAIL --reason TEXT

find prints the account's state, proofing level, second factors (the phone by its last digits,
never a secret), remembered devices and its 25 newest audit events.

ACTION is one of:
${Object.entries(supportActions)
  .map(([name, action]) => `  ${name.padEnd(22)}${action.effect}`)
  .join('\n')}
Each is taken in the name of a member of staff with the support role (--staff, their console
email address) and recorded with the reason in the patient's audit trail and the staff audit log.

By default the local stack's store is used; with --table NAME, the table in AWS (the operator's
own AWS credentials and region).`;

const options = {
  email: { type: 'string' },
  'nhs-number': { type: 'string' },
  staff: { type: 'string' },
  reason: { type: 'string' },
  table: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The look-up as text: one fact a line, then the activity, newest first. */
export const describeForSupport = (view: SupportView): string[] => [
  `Account ${view.accountId}`,
  `  Email:            ${view.email}`,
  `  Created:          ${view.createdAt}`,
  `  State:            ${view.state}`,
  `  Proofing level:   ${view.proofingLevel}${view.nhsNumber ? `, NHS number ${view.nhsNumber}` : ''}`,
  `  Required:         ${view.required.length === 0 ? 'nothing' : view.required.join('; ')}`,
  `  Mobile phone:     ${view.factors.phone ?? 'none'}`,
  `  Authenticator app: ${view.factors.authenticatorApp ? 'set up' : 'none'}`,
  `  Passkeys:         ${
    view.factors.passkeys.length === 0
      ? 'none'
      : view.factors.passkeys
          .map(
            (passkey) =>
              `${passkey.name}${passkey.provider ? ` (${passkey.provider})` : ''}, last used ${passkey.lastUsedAt ?? 'never'}`,
          )
          .join('; ')
  }`,
  `  Remembered devices: ${view.devices.length === 0 ? 'none' : view.devices.map((device) => `${device.label}, last used ${device.lastUsedAt}`).join('; ')}`,
  'Recent activity (newest first):',
  ...(view.recentActivity.length === 0
    ? ['  none']
    : view.recentActivity.map(
        (event) =>
          `  ${event.at}  ${event.type}${event.detail ? ` (${event.detail})` : ''}${event.sourceIp ? `  from ${event.sourceIp}` : ''}${event.by ? `  by ${event.by.name}: ${event.reason ?? ''}` : ''}`,
      )),
];

/** Runs one support command against a table. */
export const runSupportCommand = async (
  argv: readonly string[],
  table: DynamoTable,
  io: { readonly out: (line: string) => void },
): Promise<void> => {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: true,
  });
  const command = positionals[0];
  if (values.help || (command !== 'find' && !isSupportAction(command))) throw new UsageError(usage);
  const email = values.email;
  const nhsNumber = values['nhs-number'];
  if ((email === undefined) === (nhsNumber === undefined))
    throw new UsageError('Give either --email EMAIL or --nhs-number NHS_NUMBER.');
  const accounts = new DynamoAccountStore(table);
  const passkeys = new DynamoPasskeyStore(table);
  const devices = new DynamoDeviceStore(table);
  const audit = new DynamoAuditLog(table);
  const lookup = new SupportLookup({ accounts, passkeys, devices, audit });
  const query = email !== undefined ? { email } : { nhsNumber: nhsNumber ?? '' };
  const notFound = `No account has ${email !== undefined ? 'that email address' : 'that NHS number'}.`;
  if (command === 'find') {
    const view = await lookup.find(query);
    for (const line of view ? describeForSupport(view) : [notFound]) io.out(line);
    return;
  }
  if (values.staff === undefined || values.reason === undefined)
    throw new UsageError('Give --staff STAFF_EMAIL (yours) and --reason TEXT (why) for an action.');
  const account = await lookup.account(query);
  if (!account) {
    io.out(notFound);
    return;
  }
  const staff = await new DynamoStaffAccountStore(table).findByEmail(values.staff.trim().toLowerCase());
  if (!staff) throw new UsageError('No member of staff has that email address.');
  const sessions = new DynamoSessionStore(table);
  await new SupportActions({
    accounts,
    sessions: { endAllFor: (accountId) => sessions.deleteForAccount(accountId) },
    devices: { forgetAll: (accountId) => devices.removeAll(accountId) },
    passkeys,
    audit,
    staffAudit: new DynamoStaffAuditLog(table),
    clock: () => new Date(),
  }).take({ action: command, accountId: account.accountId, staff, reason: values.reason });
  io.out(`Done: ${supportActions[command].label.toLowerCase()} for account ${account.accountId}.`);
  io.out(supportActions[command].effect);
};

const main = async () => {
  const argv = process.argv.slice(2);
  const { values } = parseArgs({ args: argv, options, allowPositionals: true, strict: false });
  const opened = await openCommandTable(typeof values.table === 'string' ? values.table : undefined);
  try {
    await runSupportCommand(argv, opened.table, { out: (line) => process.stdout.write(`${line}\n`) });
  } finally {
    await opened.close();
  }
};

if (import.meta.main) runCommand(main);

import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoAccountStore } from '../../../src/adapters/dynamodb/dynamo-account-store.ts';
import { DynamoAuditLog } from '../../../src/adapters/dynamodb/dynamo-audit-log.ts';
import { DynamoClientStore } from '../../../src/adapters/dynamodb/dynamo-client-store.ts';
import { DynamoStaffAccountStore } from '../../../src/adapters/dynamodb/dynamo-staff-account-store.ts';
import { DynamoStaffAuditLog } from '../../../src/adapters/dynamodb/dynamo-staff-audit-log.ts';
import { registerClient } from '../../../src/domain/clients/client-registration.ts';
import { InvalidInputError } from '../../../src/domain/invalid-input-error.ts';
import type { StaffRole } from '../../../src/domain/staff/staff-account.ts';
import { StaffNotAllowedError } from '../../../src/domain/staff/staff-account.ts';
import { SupportActionRefusedError } from '../../../src/domain/support/support-actions.ts';
import { UsageError } from '../../../src/local/cli-table.ts';
import { runSupportCommand } from '../../../src/local/support-cli.ts';
import {
  codeIn,
  createAccount,
  firstLogin,
  headingOf,
  type PageClient,
  startPages,
} from '../../support/page-client.ts';

type Pages = Awaited<ReturnType<typeof startPages>>;
const EMAIL = 'pat@example.com';
const PASSWORD = 'correct horse battery';
const REDIRECT_URI = 'http://localhost:3001/callback';
const SUPPORT = 'sam.support@nhs.example';
const REASON = 'Patient rang: phone stolen on 1 December, ticket 4411';

/**
 * Support's actions (`npm run support -- ACTION`) against the local pages: what the patient meets
 * next over HTTP, and what both audit trails keep (who and why).
 */
describe('support actions on a patient account', () => {
  let pages: Pages;
  afterEach(() => pages?.stop());

  const addStaff = async (email: string, role: StaffRole, disabled = false) =>
    new DynamoStaffAccountStore(pages.dependencies.table).create({
      staffId: `staff-${role}-${disabled ? 'off' : 'on'}`,
      email,
      name: `${role} member`,
      role,
      passwordHash: 'not-used-here',
      sealedTotpSecret: 'not-used-here',
      createdAt: new Date().toISOString(),
      ...(disabled ? { disabled: true } : {}),
    });

  /** A service for P0 and P9, a patient with a phone and logged in, and a member of support. */
  const prepare = async () => {
    pages = await startPages();
    const publicKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .publicKey.export({ type: 'spki', format: 'pem' })
      .toString();
    await new DynamoClientStore(pages.dependencies.table).create(
      await registerClient(
        {
          clientId: 'gp-app',
          name: 'GP appointments',
          redirectUris: [REDIRECT_URI],
          publicKey,
          scopes: ['openid', 'email'],
          vectorsOfTrust: ['P0.Cp.Cd', 'P9.Cp.Cd'],
        },
        { newClientId: () => 'gp-app', now: () => new Date(), allowLocalRedirects: true },
      ),
    );
    await addStaff(SUPPORT, 'support');
    const patient = pages.client();
    await createAccount(patient, pages.outbox, EMAIL, PASSWORD);
    await firstLogin(patient, pages.outbox, {
      email: EMAIL,
      password: PASSWORD,
      phoneNumber: '07700 900123',
    });
    return patient;
  };

  const support = async (...argv: string[]) => {
    const lines: string[] = [];
    await runSupportCommand(argv, pages.dependencies.table, { out: (line) => lines.push(line) });
    return lines.join('\n');
  };
  const act = (action: string, staff = SUPPORT, reason = REASON) =>
    support(action, '--email', EMAIL, '--staff', staff, '--reason', reason);
  const account = async () => new DynamoAccountStore(pages.dependencies.table).findByEmail(EMAIL);

  const authorize = (patient: PageClient, vtr = '["P0.Cp.Cd"]') =>
    patient.get(
      `/authorize?${new URLSearchParams({
        client_id: 'gp-app',
        redirect_uri: REDIRECT_URI,
        response_type: 'code',
        scope: 'openid email',
        state: 'state-1',
        nonce: 'nonce-1',
        vtr,
      })}`,
    );
  /** Follows our own redirects until a page is shown or one leaves for the service. */
  const follow = async (patient: PageClient, first: Promise<Awaited<ReturnType<PageClient['get']>>>) => {
    let response = await first;
    for (let hops = 0; response.location?.startsWith('/') && hops < 10; hops += 1)
      response = await patient.get(response.location);
    return response;
  };
  const logIn = async (patient: PageClient, password = PASSWORD) => {
    await patient.get('/login');
    const login = await patient.post('/login', { email: EMAIL, password });
    if (login.location !== '/login/code') return login;
    return patient.post('/login/code', {
      code: codeIn(pages.outbox.latest({ kind: 'security-code' })?.text ?? ''),
    });
  };

  it('suspends an account: its sessions end and a service login shows CID2014, until support lifts it', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    const suspended = await act('suspend');
    const stale = await follow(patient, authorize(patient));
    await logIn(patient);
    const problem = await follow(patient, authorize(patient));
    const lifted = await act('lift-suspension');
    const again = await follow(patient, authorize(patient));

    // Assess
    expect(suspended).toContain('Done: suspend the account');
    expect(headingOf(stale.html)).toBe('Your session has ended');
    expect(headingOf(problem.html)).toBe('You cannot use your NHS login');
    expect(problem.status).toBe(403);
    expect(problem.html).toContain('CID2014');
    expect(lifted).toContain('Done: lift the suspension');
    expect(again.status).toBe(200);
    expect(again.html).not.toContain('CID2014');
    expect(headingOf(again.html)).toMatch(/share/i);
  });

  it('keeps who acted and why in the patient’s audit trail and in the staff audit log, and shows it in the look-up', async () => {
    // Prepare
    await prepare();

    // Act
    await act('end-sessions');
    const found = await support('find', '--email', EMAIL);
    const id = (await account())?.accountId ?? '';

    // Assess
    const [event] = await new DynamoAuditLog(pages.dependencies.table).recent(id, 1);
    expect(event).toMatchObject({
      type: 'support-action',
      detail: 'end-sessions',
      by: { staffId: 'staff-support-on', name: 'support member' },
      reason: REASON,
    });
    const [staffEvent] = await new DynamoStaffAuditLog(pages.dependencies.table).forAccount(id, 1);
    expect(staffEvent).toMatchObject({
      staffId: 'staff-support-on',
      type: 'support-action',
      detail: 'end-sessions',
      reason: REASON,
    });
    expect(found).toContain(`support-action (end-sessions)`);
    expect(found).toContain(`by support member: ${REASON}`);
  });

  it('ends every session: the patient logged in before is logged out', async () => {
    // Prepare
    const patient = await prepare();
    const before = await follow(patient, authorize(patient));

    // Act
    await act('end-sessions');
    const after = await follow(patient, authorize(patient));

    // Assess
    expect(headingOf(before.html)).toMatch(/share/i);
    expect(headingOf(after.html)).toBe('Your session has ended');
  });

  it('requires a new password: the right old password leads to resetting it, and sessions end', async () => {
    // Prepare
    const patient = await prepare();

    // Act
    await act('force-password-reset');
    const stale = await follow(patient, authorize(patient));
    const login = await logIn(patient);
    const required = (await account())?.passwordResetRequired;
    await new DynamoAccountStore(pages.dependencies.table).updatePasswordHash(
      (await account())?.accountId ?? '',
      (await account())?.passwordHash ?? '',
    );
    const afterReset = await account();

    // Assess
    expect(headingOf(stale.html)).toBe('Your session has ended');
    expect(login.status).toBe(403);
    expect(headingOf(login.html)).toBe('You need to reset your password');
    expect(login.html).toContain('/password/forgotten');
    expect(required?.at).toBeTruthy();
    expect(afterReset?.passwordResetRequired).toBeUndefined();
  });

  it('refuses a wrong password just as before, without telling that a reset is required', async () => {
    // Prepare
    const patient = await prepare();
    await act('force-password-reset');

    // Act
    const login = await logIn(patient, 'not the password at all');

    // Assess
    expect(login.status).toBe(400);
    expect(login.html).not.toContain('You need to reset your password');
  });

  it('requires a new second factor of a P9 account: the phone goes, a new number is asked for at login, and P9 must be proved again', async () => {
    // Prepare
    const patient = await prepare();
    const store = new DynamoAccountStore(pages.dependencies.table);
    const id = (await account())?.accountId ?? '';
    await store.setIdentity(id, 'P9', { nhsNumber: '9000000009', familyName: 'Smith' });

    // Act
    await act('new-second-factor');
    const changed = await account();
    await patient.get('/login');
    const login = await patient.post('/login', { email: EMAIL, password: PASSWORD });
    await store.setIdentity(id, 'P5', { nhsNumber: '9000000009', familyName: 'Smith' });
    const provedAgain = await account();

    // Assess
    expect(changed).toMatchObject({ proofingLevel: 'P0', identity: { nhsNumber: '9000000009' } });
    expect(changed?.phoneNumber).toBeUndefined();
    expect(changed?.identityToProveAgain).toMatchObject({ level: 'P9' });
    expect(login.location).toBe('/login/phone');
    expect(provedAgain?.proofingLevel).toBe('P5');
    expect(provedAgain?.identityToProveAgain).toBeUndefined();
  });

  it('refuses what does not apply: a new second factor for P0, suspending twice, lifting what is not suspended', async () => {
    // Prepare
    await prepare();

    // Act
    const outcomes = await Promise.allSettled([act('new-second-factor'), act('lift-suspension')]);
    await act('suspend');
    const twice = await act('suspend').catch((error: unknown) => error);

    // Assess
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('rejected');
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(SupportActionRefusedError);
    }
    expect(twice).toBeInstanceOf(SupportActionRefusedError);
    expect((await account())?.phoneNumber).toBe('+447700900123');
  });

  it('refuses staff who are not support, disabled or unknown, and an action without a reason, changing nothing', async () => {
    // Prepare
    await prepare();
    await addStaff('rae.reviewer@nhs.example', 'reviewer');
    await addStaff('old.support@nhs.example', 'support', true);

    // Act
    const outcomes = await Promise.allSettled([
      act('suspend', 'rae.reviewer@nhs.example'),
      act('suspend', 'old.support@nhs.example'),
      act('suspend', 'nobody@nhs.example'),
      act('suspend', SUPPORT, '   '),
      act('suspend', SUPPORT, 'x'.repeat(501)),
      support('suspend', '--email', EMAIL, '--staff', SUPPORT),
    ]);

    // Assess
    const errors = outcomes.map((outcome) => (outcome.status === 'rejected' ? outcome.reason : undefined));
    expect(errors[0]).toBeInstanceOf(StaffNotAllowedError);
    expect(errors[1]).toBeInstanceOf(StaffNotAllowedError);
    expect(errors[2]).toBeInstanceOf(UsageError);
    expect(errors[3]).toBeInstanceOf(InvalidInputError);
    expect(errors[4]).toBeInstanceOf(InvalidInputError);
    expect(errors[5]).toBeInstanceOf(UsageError);
    expect((await account())?.disabled).toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { generate } from 'otplib';
import { Argon2PasswordHasher } from '../../src/adapters/argon2/argon2-password-hasher.ts';
import { DynamoStaffAccountStore } from '../../src/adapters/dynamodb/dynamo-staff-account-store.ts';
import { DynamoStaffAuditLog } from '../../src/adapters/dynamodb/dynamo-staff-audit-log.ts';
import { LocalSecretBox } from '../../src/adapters/local/local-secret-box.ts';
import { consoleDefaultRoute, consoleRoutes } from '../../src/console-routes.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { resolveLimits } from '../../src/domain/limits/limits.ts';
import type { StaffRole } from '../../src/domain/staff/staff-account.ts';
import { addStaffMember, type StaffCredentials } from '../../src/domain/staff/staff-enrolment.ts';
import { createDevServer } from '../../src/local/dev-server.ts';
import { createLocalConsoleHandler } from '../../src/local/local-console.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { InMemoryMetrics } from '../../src/platform/metrics.ts';
import { PageClient, type PageResponse } from './page-client.ts';
import { startPhotoIdHarness } from './photo-id-harness.ts';

/**
 * The review console over HTTP on a dev server of its own, in front of the photo-ID harness (the
 * workflow from its ASL file, DynamoDB Local, the local media store, the PDS sandbox): staff are
 * added as `npm run staff -- add` adds them, and log in with the code computed here.
 */
export const startConsoleHarness = async (
  options: { readonly consoleClock?: Clock; readonly limits?: object } = {},
) => {
  const photoId = await startPhotoIdHarness();
  const clock = options.consoleClock ?? (() => new Date());
  const secrets = new LocalSecretBox(randomBytes(32));
  const hasher = new Argon2PasswordHasher();
  const staff = new DynamoStaffAccountStore(photoId.table);
  const audit = new DynamoStaffAuditLog(photoId.table);
  const limits = resolveLimits(options.limits ?? {});
  const server = createDevServer({
    handlers: {
      'review-console': createLocalConsoleHandler({
        table: photoId.table,
        clock,
        limits,
        logger: createLogger('ERROR'),
        metrics: new InMemoryMetrics(),
        hasher,
        secrets,
        media: photoId.media,
        mediaOrigin: new URL(
          await photoId.media.downloadUrl('x', { expiresInSeconds: 1, contentType: 'image/jpeg' }),
        ).origin,
        decisions: {
          decide: (waiting, decision, reviewer) => photoId.workflow().decide(waiting, decision, reviewer),
        },
        serviceName: 'Patient Login',
        secureCookies: false,
      }),
    },
    routeTable: consoleRoutes,
    defaultFunction: consoleDefaultRoute.function,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const enrolment = { staff, hasher, secrets, clock, issuerName: 'Patient Login review console' };
  let added = 0;
  /** A new member of staff with the role, as the staff command adds them. */
  const addStaff = async (role: StaffRole, name = `${role} ${added + 1}`): Promise<StaffCredentials> => {
    added += 1;
    return addStaffMember(enrolment, {
      email: `${role}-${added}-${randomBytes(3).toString('hex')}@staff.test`,
      name,
      role,
    });
  };

  /** Logs in as a member of staff: the password, then the authenticator code of now. */
  const logIn = async (
    credentials: StaffCredentials,
  ): Promise<{ client: PageClient; landed: PageResponse | undefined }> => {
    const client = new PageClient(baseUrl);
    await client.get('/login');
    await client.post('/login', { email: credentials.account.email, password: credentials.password });
    const code = await generate({
      secret: credentials.totpSecret,
      epoch: Math.floor(clock().getTime() / 1000),
    });
    const done = await client.post('/login/code', { code });
    return { client, landed: done.next };
  };

  return {
    ...photoId,
    baseUrl,
    staff,
    staffAudit: audit,
    /** What the staff command adds and resets with. */
    enrolment,
    addStaff,
    logIn,
    client: () => new PageClient(baseUrl),
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await photoId.stop();
    },
  };
};

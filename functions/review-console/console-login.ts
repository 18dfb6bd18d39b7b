import { consoleUrlFor } from '../../src/console-routes.ts';
import type { Clock } from '../../src/domain/clock.ts';
import { epochSeconds } from '../../src/domain/clock.ts';
import { InvalidInputError } from '../../src/domain/invalid-input-error.ts';
import type { Limits } from '../../src/domain/limits/limits.ts';
import type { StaffAuditLog } from '../../src/domain/staff/staff-audit.ts';
import { type StaffLogin, StaffLoginRefusedError } from '../../src/domain/staff/staff-login.ts';
import type { RouteDefinition } from '../../src/platform/http/http-handler.ts';
import type { createConsolePageRoutes } from '../../src/web/console/console-page-routes.ts';
import { textFields } from '../../src/web/page-routes.ts';

export interface ConsoleLoginDependencies {
  readonly login: StaffLogin;
  readonly audit: StaffAuditLog;
  readonly clock: Clock;
  readonly limits: Pick<Limits, 'staffPendingLoginSeconds'>;
}

const loginFields = textFields('email', 'password');
const codeFields = textFields('code');

/** The console's login: email and password, then the authenticator app's code; and logging out. */
export const consoleLoginPages = (
  deps: ConsoleLoginDependencies,
  { publicPage, staffPage }: ReturnType<typeof createConsolePageRoutes>,
): Record<
  'console-login' | 'console-login-submit' | 'console-code' | 'console-code-submit' | 'console-logout',
  RouteDefinition
> => ({
  'console-login': publicPage({
    handle: async ({ session }) =>
      session.staffId ? { redirect: consoleUrlFor('console-queue') } : { view: 'console/login.njk' },
  }),
  'console-login-submit': publicPage({
    fields: loginFields,
    formView: 'console/login.njk',
    secretFields: ['password'],
    handle: async ({ form, sourceIp }) => {
      const problems = [
        ...(form.email.trim() ? [] : [{ field: 'email', message: 'Enter your work email address' }]),
        ...(form.password ? [] : [{ field: 'password', message: 'Enter your password' }]),
      ];
      if (problems.length > 0) throw new InvalidInputError(problems);
      try {
        const account = await deps.login.checkPassword(form.email, form.password, sourceIp);
        const until = epochSeconds(deps.clock()) + deps.limits.staffPendingLoginSeconds;
        return {
          redirect: consoleUrlFor('console-code'),
          session: { renew: { ...emptySession(), pendingLogin: { staffId: account.staffId, until } } },
        };
      } catch (error) {
        if (!(error instanceof StaffLoginRefusedError)) throw error;
        throw new InvalidInputError([
          { field: 'email', message: 'The email address or password is not right' },
        ]);
      }
    },
  }),
  'console-code': publicPage({
    handle: async ({ session }) =>
      pendingStaffId(session, deps.clock)
        ? { view: 'console/code.njk' }
        : { redirect: consoleUrlFor('console-login') },
  }),
  'console-code-submit': publicPage({
    fields: codeFields,
    formView: 'console/code.njk',
    secretFields: ['code'],
    handle: async ({ form, session, sourceIp }) => {
      const staffId = pendingStaffId(session, deps.clock);
      if (!staffId) return { redirect: consoleUrlFor('console-login') };
      if (!form.code.trim())
        throw new InvalidInputError([
          { field: 'code', message: 'Enter the code from your authenticator app' },
        ]);
      try {
        const account = await deps.login.checkCode(staffId, form.code, sourceIp);
        return {
          redirect: consoleUrlFor('console-queue'),
          session: {
            renew: {
              ...emptySession(),
              staffId: account.staffId,
              credentialsVersion: account.credentialsVersion ?? 0,
            },
          },
        };
      } catch (error) {
        if (!(error instanceof StaffLoginRefusedError)) throw error;
        throw new InvalidInputError([
          {
            field: 'code',
            message: 'The code is not right: enter the 6-digit code your authenticator app shows now',
          },
        ]);
      }
    },
  }),
  'console-logout': staffPage({
    handle: async ({ staff, sourceIp }) => {
      await deps.audit.record({
        staffId: staff.staffId,
        type: 'staff-logged-out',
        at: deps.clock().toISOString(),
        sourceIp,
      });
      return { redirect: consoleUrlFor('console-login'), session: 'end' };
    },
  }),
});

/** A renewed session's own fields are set by the renewal; the rest starts empty. */
const emptySession = () => ({ csrfToken: '', createdAt: 0, lastSeenAt: 0 });

const pendingStaffId = (
  session: { readonly pendingLogin?: { readonly staffId: string; readonly until: number } },
  clock: Clock,
): string | undefined =>
  session.pendingLogin && session.pendingLogin.until > epochSeconds(clock())
    ? session.pendingLogin.staffId
    : undefined;

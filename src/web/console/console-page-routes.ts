import type * as z from 'zod/mini';
import { consoleUrlFor } from '../../console-routes.ts';
import type { Clock } from '../../domain/clock.ts';
import { DomainError, NotFoundError } from '../../domain/errors.ts';
import { checkLengths } from '../../domain/input-limits.ts';
import { InvalidInputError } from '../../domain/invalid-input-error.ts';
import { TooManyAttemptsError } from '../../domain/limits/too-many-attempts-error.ts';
import {
  type StaffAccount,
  type StaffAccountStore,
  staffMay,
  staffRoles,
} from '../../domain/staff/staff-account.ts';
import type { StaffSession, StaffSessions } from '../../domain/staff/staff-sessions.ts';
import { type ClientAddressSource, clientIp } from '../../platform/http/client-ip.ts';
import type { ErrorPresenter } from '../../platform/http/error-mapper.ts';
import { defineRoute, type RouteDefinition } from '../../platform/http/http-handler.ts';
import type { HttpEvent, HttpResponse } from '../../platform/http/http-types.ts';
import { cookieName, readCookie, serializeCookie } from '../cookies.ts';
import type { PageRenderer } from '../page-renderer.ts';
import { type ContentSecurityAdditions, htmlResponse, redirectResponse } from '../page-response.ts';
import { type FormValues, firstValues, formProblems, sameToken } from '../page-routes.ts';

export interface ConsoleRequest<Form = FormValues> {
  readonly event: HttpEvent;
  readonly query: FormValues;
  readonly form: Form;
  /** The route's path parameters. */
  readonly path: FormValues;
  readonly session: StaffSession;
  readonly sourceIp: string;
}

/** A page that needs a logged-in member of staff gets their account, read again at every request. */
export interface StaffRequest<Form = FormValues> extends ConsoleRequest<Form> {
  readonly staff: StaffAccount;
}

export type ConsoleOutcome = (
  | { readonly view: string; readonly data?: Record<string, unknown>; readonly status?: number }
  | { readonly redirect: string }
) & {
  /** `renew`: a new id and CSRF token with this session (each login step); `end`: logged out. */
  readonly session?: { readonly renew: StaffSession } | 'end';
};

interface ConsolePageOptions<Form> {
  readonly fields?: z.ZodMiniType<Form>;
  /** The view shown again, with the problems, when the handler throws InvalidInputError. */
  readonly formView?: string;
  readonly formData?: (request: never) => Record<string, unknown> | Promise<Record<string, unknown>>;
  readonly secretFields?: readonly string[];
  readonly contentSecurity?: ContentSecurityAdditions;
}

/** A page anyone may open (the login steps). */
export interface PublicPageDefinition<Form = FormValues> extends ConsolePageOptions<Form> {
  readonly formData?: (
    request: ConsoleRequest<Form>,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  handle(request: ConsoleRequest<Form>): Promise<ConsoleOutcome>;
}

/** A page for logged-in staff only: anyone else is sent to the login page. */
export interface StaffPageDefinition<Form = FormValues> extends ConsolePageOptions<Form> {
  readonly formData?: (
    request: StaffRequest<Form>,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  handle(request: StaffRequest<Form>): Promise<ConsoleOutcome>;
}

export interface ConsolePageDependencies {
  readonly sessions: StaffSessions;
  readonly staff: Pick<StaffAccountStore, 'findById'>;
  readonly renderer: PageRenderer;
  /** Secure cookies with the `__Host-` prefix; false only for plain-http localhost. */
  readonly secureCookies: boolean;
  readonly clientAddressSource: ClientAddressSource;
  readonly clock: Clock;
}

/** The console's cookie: its own name, so it is never the patients' session cookie, and SameSite=Strict. */
const SESSION_COOKIE = 'console-session';

/** The session ended or a form came from elsewhere: the member of staff logs in again. */
export class ConsoleSessionEndedError extends DomainError {
  readonly code = 'console_session_ended';
  readonly status = 400;
}

/** The links every console page's header shows, by what the role may do. */
const navigationFor = (staff: StaffAccount | undefined) =>
  staff
    ? [
        { href: consoleUrlFor('console-queue'), text: 'Queue' },
        ...(staffMay(staff.role, 'view-decisions')
          ? [{ href: consoleUrlFor('console-record'), text: 'Decisions record' }]
          : []),
      ]
    : [];

/** What a page says for each error a console page may throw. */
const problemFor = (error: DomainError | undefined, clock: Clock) => {
  if (error instanceof TooManyAttemptsError) {
    const minutes = Math.max(1, Math.ceil((error.retryAt.getTime() - clock().getTime()) / 60_000));
    return {
      status: 429,
      title: 'You cannot log in for a while',
      paragraphs: [error.description, `Try again in ${minutes} minutes, or ask a supervisor for help.`],
      retryAfterSeconds: minutes * 60,
    };
  }
  if (error instanceof ConsoleSessionEndedError)
    return {
      status: 400,
      title: 'Your session has ended',
      paragraphs: ['For security, you need to log in again. Nothing you had not sent was saved.'],
      link: { href: consoleUrlFor('console-login'), text: 'Log in again' },
    };
  if (error instanceof NotFoundError)
    return {
      status: 404,
      title: 'Page not found',
      paragraphs: ['There is no console page at this address.'],
    };
  if (error && error.status < 500)
    return { status: error.status, title: 'That could not be done', paragraphs: [error.description] };
  return {
    status: error?.status === 503 ? 503 : 500,
    title: 'Sorry, there is a problem with the console',
    paragraphs: ['Try again in a few minutes. If it keeps happening, tell the service team.'],
  };
};

/**
 * The review console's pages: its own session (cookie, store, timeouts), a CSRF token on every
 * form post, the staff account read again at every request (a disabled account or changed role
 * takes effect at once), and its own problem pages. Kept apart from the patients' page stack,
 * whose sessions carry logins and authorization requests the console has nothing to do with.
 */
export const createConsolePageRoutes = (deps: ConsolePageDependencies) => {
  const name = cookieName(SESSION_COOKIE, deps.secureCookies);
  const cookie = (value: string, maxAgeSeconds?: number) =>
    serializeCookie(name, value, {
      secure: deps.secureCookies,
      sameSite: 'Strict',
      ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
    });

  const render = (
    view: string,
    data: Record<string, unknown>,
    status: number,
    cookies: readonly string[],
    staff: StaffAccount | undefined,
    additions?: ContentSecurityAdditions,
  ): HttpResponse =>
    htmlResponse(
      deps.renderer.render(view, {
        ...data,
        navigation: navigationFor(staff),
        staffMember: staff && { name: staff.name, role: staffRoles[staff.role] },
      }),
      status,
      cookies,
      [],
      additions,
    );

  const route = <Form>(
    definition: (PublicPageDefinition<Form> | StaffPageDefinition<Form>) & { readonly forStaff: boolean },
  ): RouteDefinition =>
    defineRoute({
      handle: async ({ event }) => {
        const isPost = event.requestContext.http.method === 'POST';
        const cookieId = readCookie(event.cookies, name);
        const resumed = await deps.sessions.resume(cookieId);
        const form = isPost ? firstValues(event.body) : {};
        checkLengths(form);
        checkLengths(firstValues(event.queryStringParameters));
        checkLengths(firstValues(event.pathParameters));
        if (isPost && (!resumed || !sameToken(resumed.csrfToken, form.csrfToken)))
          throw new ConsoleSessionEndedError('The session has ended.', {
            logDetail: resumed ? 'csrf' : 'none',
          });
        const current = resumed && cookieId ? { id: cookieId, session: resumed } : deps.sessions.start();
        const staffId = current.session.staffId;
        const staff = staffId ? await deps.staff.findById(staffId) : undefined;
        // A disabled account, or one whose password and key were reset since this login, is logged out.
        const active =
          staff &&
          !staff.disabled &&
          (staff.credentialsVersion ?? 0) === (current.session.credentialsVersion ?? 0)
            ? staff
            : undefined;
        if (definition.forStaff && !active) {
          if (resumed && cookieId) await deps.sessions.end(cookieId);
          if (isPost) throw new ConsoleSessionEndedError('Not logged in.', { logDetail: 'not-logged-in' });
          return redirectResponse(consoleUrlFor('console-login'), resumed ? [cookie('', 0)] : []);
        }
        const request = {
          event,
          query: firstValues(event.queryStringParameters),
          form: (definition.fields ? definition.fields.parse(form) : form) as Form,
          path: firstValues(event.pathParameters),
          session: current.session,
          sourceIp: clientIp(event, deps.clientAddressSource),
          ...(active ? { staff: active } : {}),
        };
        let outcome: ConsoleOutcome;
        try {
          outcome = await (definition.handle as (request: ConsoleRequest<Form>) => Promise<ConsoleOutcome>)(
            request,
          );
        } catch (error) {
          if (!(error instanceof InvalidInputError) || !definition.formView) throw error;
          const saved = await deps.sessions.save(current.id, current.session);
          const values = Object.fromEntries(
            Object.entries(form).filter(
              ([field]) => field !== 'csrfToken' && !definition.secretFields?.includes(field),
            ),
          );
          const formData = definition.formData as
            | ((request: ConsoleRequest<Form>) => Record<string, unknown> | Promise<Record<string, unknown>>)
            | undefined;
          return render(
            definition.formView,
            {
              ...(await formData?.(request)),
              values,
              ...formProblems(error),
              csrfToken: saved.csrfToken,
            },
            400,
            [cookie(current.id)],
            active,
            definition.contentSecurity,
          );
        }
        const change = outcome.session;
        if (change === 'end') {
          await deps.sessions.end(current.id);
          return 'redirect' in outcome
            ? redirectResponse(outcome.redirect, [cookie('', 0)])
            : render(outcome.view, outcome.data ?? {}, outcome.status ?? 200, [cookie('', 0)], undefined);
        }
        const { id, session } = change
          ? await deps.sessions.renew(resumed ? current.id : undefined, change.renew)
          : { id: current.id, session: await deps.sessions.save(current.id, current.session) };
        const cookies = [cookie(id)];
        if ('redirect' in outcome) return redirectResponse(outcome.redirect, cookies);
        const shownStaff = session.staffId === active?.staffId ? active : undefined;
        return render(
          outcome.view,
          { ...outcome.data, csrfToken: session.csrfToken },
          outcome.status ?? 200,
          cookies,
          shownStaff,
          definition.contentSecurity,
        );
      },
    });

  /** A page anyone may open: the login steps. */
  const publicPage = <Form = FormValues>(definition: PublicPageDefinition<Form>): RouteDefinition =>
    route({ ...definition, forStaff: false });
  /** A page for logged-in staff: the account comes with the request. */
  const staffPage = <Form = FormValues>(definition: StaffPageDefinition<Form>): RouteDefinition =>
    route({ ...definition, forStaff: true });

  const presentError: ErrorPresenter = (classified) => {
    const problem = problemFor(classified.cause, deps.clock);
    const response = render('console/problem.njk', problem, problem.status, [], undefined);
    return problem.retryAfterSeconds === undefined
      ? response
      : { ...response, headers: { ...response.headers, 'retry-after': String(problem.retryAfterSeconds) } };
  };

  return { publicPage, staffPage, presentError };
};

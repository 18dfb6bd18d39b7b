import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { Clock } from '../domain/clock.ts';
import { type WriteCollector, writeAtOnce } from '../domain/deferred-writes.ts';
import { checkLengths } from '../domain/input-limits.ts';
import { InvalidInputError } from '../domain/invalid-input-error.ts';
import type { Limits } from '../domain/limits/limits.ts';
import { PatientProblemError } from '../domain/patient-problems.ts';
import type { BrowserSession } from '../domain/sessions/browser-session.ts';
import type { Sessions } from '../domain/sessions/sessions.ts';
import { type ClientAddressSource, clientIp } from '../platform/http/client-ip.ts';
import type { ErrorPresenter } from '../platform/http/error-mapper.ts';
import { defineRoute, type RouteDefinition } from '../platform/http/http-handler.ts';
import type { HttpEvent, HttpResponse } from '../platform/http/http-types.ts';
import { cookieName, readCookie, serializeCookie } from './cookies.ts';
import type { PageRenderer } from './page-renderer.ts';
import { type ContentSecurityAdditions, htmlResponse, redirectResponse } from './page-response.ts';
import { createProblemPages } from './problem-pages.ts';

export type FormValues = Readonly<Record<string, string>>;

export interface PageRequest<Form = FormValues> {
  readonly event: HttpEvent;
  readonly query: FormValues;
  /**
   * The posted form, one value a field (the first, if a field was sent twice): as the page's
   * `fields` schema reads it, when it has one.
   */
  readonly form: Form;
  readonly session: BrowserSession;
  /** True when the browser brought a session cookie whose session has ended (timed out or revoked). */
  readonly sessionEnded: boolean;
  /** A post carrying this session's CSRF token: one of our own forms (posts another site may send lack it). */
  readonly fromOurForm: boolean;
  readonly sourceIp: string;
}

/** What a page does to the session besides keeping it alive. */
export type SessionChange =
  | { readonly kind: 'update'; readonly session: BrowserSession }
  /** A new session id: after the password check, so an id planted before login is worthless. */
  | { readonly kind: 'renew'; readonly session: BrowserSession }
  | { readonly kind: 'end' };

export type PageOutcome = (
  | { readonly view: string; readonly data?: Record<string, unknown>; readonly status?: number }
  | { readonly redirect: string }
) & { readonly session?: SessionChange; readonly cookies?: readonly string[] };

export interface PageDefinition<Form = FormValues> {
  /** The fields the page's form posts, and how they are read (`textFields`): the handler gets them typed. */
  readonly fields?: z.ZodMiniType<Form>;
  /** The view shown again, with the problems, when the handler throws InvalidInputError. */
  readonly formView?: string;
  /** Data the form view needs besides the submitted values (titles, options). */
  readonly formData?: (
    request: PageRequest<Form>,
  ) => Record<string, unknown> | Promise<Record<string, unknown>>;
  /** Fields never echoed back into a form shown again. */
  readonly secretFields?: readonly string[];
  /**
   * Posts another site may send (an OAuth authorization request by form post): no CSRF token is
   * asked for. Only for posts that do nothing a GET of the same page would not.
   */
  readonly acceptsForeignPosts?: boolean;
  /**
   * A step of an authorization request (logging in, consent, proving who you are): its forms carry
   * the interaction's id, and a post from a page of another interaction (the browser has moved on
   * to another request since) is refused, so the patient's answer never goes to a request they
   * did not see.
   */
  readonly bindsToAuthorization?: boolean;
  /** Sources the page needs beyond its own origin (the photo-ID pages' media store); none unless named. */
  readonly contentSecurity?: ContentSecurityAdditions;
  handle(request: PageRequest<Form>): Promise<PageOutcome>;
}

/**
 * A form of text fields: each a string, empty when not sent, so the domain (not a cast) says
 * what is missing. `textFields('email', 'password')` gives `{ email: string; password: string }`.
 */
export const textFields = <const Names extends readonly string[]>(
  ...names: Names
): z.ZodMiniType<TextFields<Names>> =>
  z.object(
    Object.fromEntries(names.map((name) => [name, z._default(z.string(), '')])),
  ) as unknown as z.ZodMiniType<TextFields<Names>>;

/** What `textFields(...names)` reads: each named field, a string. */
export type TextFields<Names extends readonly string[]> = { readonly [Name in Names[number]]: string };
export interface PageDependencies {
  readonly sessions: Sessions;
  readonly renderer: PageRenderer;
  /** Secure cookies with the `__Host-` prefix; false only for plain-http localhost. */
  readonly secureCookies: boolean;
  /** Where the patient's address (for audit events and per-IP limits) is read from. */
  readonly clientAddressSource: ClientAddressSource;
  /** For problem pages: when to try again, and the lifetimes they name. */
  readonly clock: Clock;
  readonly limits: Limits;
  /** When given, the writes a page defers (its audit events) are made in its session's call. */
  readonly writes?: WriteCollector;
}

const SESSION_COOKIE = 'session';

/** The origin a pending authorization request will be answered at, which its pages' forms may end at. */
const answerOrigins = (session: BrowserSession | undefined): string[] => {
  const redirectUri = session?.pendingAuthorization?.redirectUri;
  return redirectUri ? [new URL(redirectUri).origin] : [];
};

/** The id of the authorization request the session is serving, for its pages' forms. */
const interactionOf = (session: BrowserSession | undefined) =>
  session?.pendingAuthorization && session.interactionId ? { interaction: session.interactionId } : {};

/** One value a field (the first, if it was sent twice), strings only: how every page reads a form or query. */
export const firstValues = (values: unknown): FormValues => {
  if (typeof values !== 'object' || values === null) return {};
  return Object.fromEntries(
    Object.entries(values as Record<string, unknown>).flatMap(([name, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return typeof first === 'string' ? [[name, first]] : [];
    }),
  );
};

/** A CSRF token compared in constant time. */
export const sameToken = (expected: string, given: string | undefined): boolean => {
  if (!given) return false;
  const [a, b] = [Buffer.from(expected), Buffer.from(given)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/** An InvalidInputError as the design system shows it: the error summary's list, and each field's message. */
export const formProblems = (error: InvalidInputError) => ({
  errors: error.problems.map((problem) => ({ text: problem.message, href: `#${problem.field}` })),
  fieldErrors: Object.fromEntries(
    error.problems.map((problem) => [problem.field, { text: problem.message }]),
  ),
});

/**
 * Turns page definitions into routes: resumes or starts the browser session, checks the CSRF token
 * of every form post, runs the page, saves the session and renders the view or redirects.
 */
export const createPageRoutes = (deps: PageDependencies) => {
  const { problemPageFor } = createProblemPages(deps);
  const sessionCookie = cookieName(SESSION_COOKIE, deps.secureCookies);
  const setSessionCookie = (id: string) => serializeCookie(sessionCookie, id, { secure: deps.secureCookies });
  const clearSessionCookie = () =>
    serializeCookie(sessionCookie, '', { secure: deps.secureCookies, maxAgeSeconds: 0 });

  const render = (
    view: string,
    data: Record<string, unknown>,
    status: number,
    cookies: readonly string[],
    session?: BrowserSession,
    additions?: ContentSecurityAdditions,
  ) =>
    htmlResponse(
      deps.renderer.render(view, { ...data, ...interactionOf(session) }),
      status,
      cookies,
      answerOrigins(session),
      additions,
    );

  const writes = deps.writes ?? writeAtOnce;
  const collect = writes.collect.bind(writes);

  const page = <Form = FormValues>(definition: PageDefinition<Form>): RouteDefinition =>
    defineRoute({
      handle: async ({ event }): Promise<HttpResponse> => {
        const isPost = event.requestContext.http.method === 'POST';
        const cookieId = readCookie(event.cookies, sessionCookie);
        const lookup = await deps.sessions.resume(cookieId);
        const form = isPost ? firstValues(event.body) : {};
        // Before anything else reads them: a value longer than any field needs is refused (400 page).
        checkLengths(form);
        checkLengths(firstValues(event.queryStringParameters));
        const csrfChecked = isPost && !definition.acceptsForeignPosts;
        if (
          csrfChecked &&
          (lookup.kind !== 'active' || !sameToken(lookup.session.csrfToken, form.csrfToken))
        ) {
          throw new PatientProblemError('session-expired', {
            logDetail: lookup.kind === 'active' ? 'csrf' : lookup.kind,
          });
        }
        if (isPost && definition.bindsToAuthorization && lookup.kind === 'active') {
          const { interactionId, pendingAuthorization } = lookup.session;
          if ((pendingAuthorization || form.interaction) && form.interaction !== interactionId)
            throw new PatientProblemError('authorization-replaced', { logDetail: 'interaction' });
        }
        const current =
          lookup.kind === 'active'
            ? { id: cookieId as string, session: lookup.session, isNew: false }
            : { ...deps.sessions.start(), isNew: true };
        const request: PageRequest<Form> = {
          event,
          query: firstValues(event.queryStringParameters),
          // Every value is a string already, and each field defaults to empty: reading cannot fail.
          form: definition.fields ? definition.fields.parse(form) : (form as Form),
          session: current.session,
          sessionEnded: lookup.kind === 'expired',
          fromOurForm:
            isPost && lookup.kind === 'active' && sameToken(lookup.session.csrfToken, form.csrfToken),
          sourceIp: clientIp(event, deps.clientAddressSource),
        };

        // The page runs and its session is written in one collecting scope: the writes the page
        // defers (its audit events) go in the session's call (with none, in one of their own after).
        const work = await collect(async () => {
          let outcome: PageOutcome;
          try {
            outcome = await definition.handle(request);
          } catch (error) {
            if (!(error instanceof InvalidInputError) || !definition.formView) throw error;
            return showAgain(error, definition.formView);
          }
          return finish(outcome);
        });
        await work.write();
        if (work.outcome.status === 'rejected') throw work.outcome.reason;
        return work.outcome.value;

        /** The form again, with its problems, and without the secrets it was sent with. */
        async function showAgain(error: InvalidInputError, formView: string): Promise<HttpResponse> {
          const saved = await deps.sessions.save(current.id, current.session, { isNew: current.isNew });
          const values = Object.fromEntries(
            Object.entries(form).filter(
              ([name]) => name !== 'csrfToken' && !definition.secretFields?.includes(name),
            ),
          );
          const { errors, fieldErrors } = formProblems(error);
          return render(
            formView,
            {
              ...(await definition.formData?.(request)),
              values,
              errors,
              fieldErrors,
              csrfToken: saved.csrfToken,
            },
            400,
            [setSessionCookie(current.id)],
            saved,
            definition.contentSecurity,
          );
        }

        /** Saves, renews or ends the session as the page said, and answers. */
        async function finish(outcome: PageOutcome): Promise<HttpResponse> {
          const cookies = [...(outcome.cookies ?? [])];
          let csrfToken = current.session.csrfToken;
          const change = outcome.session;
          if (change?.kind === 'end') {
            await deps.sessions.end(current.id);
            cookies.push(clearSessionCookie());
          } else if (change?.kind === 'renew') {
            const renewed = await deps.sessions.renew(
              lookup.kind === 'active' ? current.id : undefined,
              change.session,
            );
            csrfToken = renewed.session.csrfToken;
            cookies.push(setSessionCookie(renewed.id));
          } else if (lookup.kind === 'none' && change === undefined) {
            // A visit without a session cookie that leaves nothing to keep: nothing is stored and no
            // cookie set, unless the page holds a form (whose CSRF token the session must keep).
            if ('redirect' in outcome) return redirectResponse(outcome.redirect, cookies);
            const page = deps.renderer.render(outcome.view, {
              ...outcome.data,
              csrfToken,
              ...interactionOf(current.session),
            });
            if (page.html.includes(csrfToken)) {
              await deps.sessions.save(current.id, current.session, { isNew: true });
              cookies.push(setSessionCookie(current.id));
            }
            return htmlResponse(
              page,
              outcome.status ?? 200,
              cookies,
              answerOrigins(current.session),
              definition.contentSecurity,
            );
          } else {
            const saved =
              change === undefined && !current.isNew
                ? await deps.sessions.touch(current.id, current.session)
                : await deps.sessions.save(current.id, change?.session ?? current.session, {
                    isNew: current.isNew,
                  });
            csrfToken = saved.csrfToken;
            cookies.push(setSessionCookie(current.id));
          }
          if ('redirect' in outcome) return redirectResponse(outcome.redirect, cookies);
          const shown =
            change?.kind === 'update' || change?.kind === 'renew' ? change.session : current.session;
          return render(
            outcome.view,
            { ...outcome.data, csrfToken },
            outcome.status ?? 200,
            cookies,
            shown,
            definition.contentSecurity,
          );
        }
      },
    });

  /** Shows any error of a page route as an accessible problem page. */
  const presentError: ErrorPresenter = (classified) => {
    const problem = problemPageFor(classified.cause);
    const response = render('problem.njk', { ...problem }, problem.status, []);
    if (problem.retryAfterSeconds === undefined) return response;
    return {
      ...response,
      headers: { ...response.headers, 'retry-after': String(problem.retryAfterSeconds) },
    };
  };

  return { page, presentError };
};

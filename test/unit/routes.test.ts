import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleFunctionSpecs } from '../../src/console-routes.ts';
import {
  type BrowserFeature,
  defaultRoute,
  functionSpecs,
  type RouteSpec,
  routeKey,
  routes,
  workflowFunctionNames,
} from '../../src/routes.ts';
import { photoIdTaskFunctions } from '../../src/workflows/photo-id-check-workflow.ts';

/**
 * The browser features each route may allow (camera, microphone, passkeys), by route id: a route
 * that needs one is added here, so that allowing it is a reviewed change.
 */
const reviewedBrowserFeatures: Readonly<Record<string, readonly BrowserFeature[]>> = {
  // Recording the photo-ID video (seed 001): the camera and the microphone, on that page alone.
  'prove-identity-photo-id-video': ['camera', 'microphone'],
  // Logging in with a passkey (seed 004): the login page (its button and the email field's
  // autofill), its form shown again after a wrong password, and the email-first page.
  login: ['publickey-credentials-get'],
  'login-submit': ['publickey-credentials-get'],
  'login-passkey': ['publickey-credentials-get'],
  'login-passkey-submit': ['publickey-credentials-get'],
  // A passkey in place of the code in a reset, an unlock and "Confirm it is you" (issue 16, item 5):
  // the code pages, their forms shown again, and the passkey's post.
  'password-reset-code': ['publickey-credentials-get'],
  'password-reset-code-submit': ['publickey-credentials-get'],
  'password-reset-passkey': ['publickey-credentials-get'],
  'unlock-code': ['publickey-credentials-get'],
  'unlock-code-submit': ['publickey-credentials-get'],
  'unlock-passkey': ['publickey-credentials-get'],
  'settings-reauthenticate-code': ['publickey-credentials-get'],
  'settings-reauthenticate-code-submit': ['publickey-credentials-get'],
  'settings-reauthenticate-passkey': ['publickey-credentials-get'],
  // Setting up a passkey, behind the re-authentication gate, and its page shown again after a failure.
  'settings-passkey-set-up': ['publickey-credentials-create'],
  'settings-passkey-set-up-submit': ['publickey-credentials-create'],
};

describe('the route table', () => {
  it('has unique route ids and unique method-path pairs', () => {
    expect(new Set(routes.map((route) => route.id)).size).toBe(routes.length);
    expect(new Set(routes.map(routeKey)).size).toBe(routes.length);
  });

  it('gives every HTTP function at least one route (the $default one included) and every route a known function', () => {
    const routed = new Set<string>([...routes.map((route) => route.function), defaultRoute.function]);
    const httpFunctions = Object.keys(functionSpecs).filter(
      (name) => !(workflowFunctionNames as readonly string[]).includes(name),
    );
    expect([...routed].sort()).toEqual(httpFunctions.sort());
  });

  it('routes nothing to the workflow’s functions, each of which runs tasks of the photo-ID workflow', () => {
    const routed = new Set<string>(routes.map((route) => route.function));
    expect([...workflowFunctionNames].sort()).toEqual(Object.keys(photoIdTaskFunctions).sort());
    for (const name of workflowFunctionNames) expect(routed.has(name)).toBe(false);
  });

  it('routes every function folder, and every function has a folder', () => {
    const folders = readdirSync(new URL('../../functions', import.meta.url), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    expect(folders.sort()).toEqual(
      [...Object.keys(functionSpecs), ...Object.keys(consoleFunctionSpecs)].sort(),
    );
  });

  it('allows no browser feature to a route unless the reviewed list names it for that route', () => {
    // Act
    const unreviewed = (routes as readonly RouteSpec[]).flatMap((route) =>
      (route.browserFeatures ?? [])
        .filter((feature) => !reviewedBrowserFeatures[route.id]?.includes(feature))
        .map((feature) => `${route.id}: ${feature}`),
    );

    // Assess
    expect(unreviewed).toEqual([]);
  });
});

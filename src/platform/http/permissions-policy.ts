import type { MiddlewareObj } from '@middy/core';
import type { BrowserFeature } from '../../routes.ts';
import type { HttpEvent, HttpResponse } from './http-types.ts';

/**
 * Every feature the Permissions-Policy header names, each disabled unless a route allows it:
 * middy's default list (which this replaces), then `publickey-credentials-create` and the newer
 * ones it lacks. A feature a browser does not know is ignored by it, so the list can run ahead.
 */
export const policedFeatures = [
  'accelerometer',
  'ambient-light-sensor',
  'autoplay',
  'battery',
  'camera',
  'cross-origin-isolated',
  'display-capture',
  'document-domain',
  'encrypted-media',
  'execution-while-not-rendered',
  'execution-while-out-of-viewport',
  'fullscreen',
  'geolocation',
  'gyroscope',
  'keyboard-map',
  'magnetometer',
  'microphone',
  'midi',
  'navigation-override',
  'payment',
  'picture-in-picture',
  'publickey-credentials-get',
  'screen-wake-lock',
  'sync-xhr',
  'usb',
  'web-share',
  'xr-spatial-tracking',
  'clipboard-read',
  'clipboard-write',
  'gamepad',
  'speaker-selection',
  'conversion-measurement',
  'focus-without-user-activation',
  'hid',
  'idle-detection',
  'interest-cohort',
  'serial',
  'sync-script',
  'trust-token-redemption',
  'window-placement',
  'vertical-scroll',
  'publickey-credentials-create',
  'bluetooth',
  'browsing-topics',
  'identity-credentials-get',
  'otp-credentials',
  'local-fonts',
  'storage-access',
] as const satisfies readonly string[];

export type PolicedFeature = (typeof policedFeatures)[number];

/** The Permissions-Policy value: every policed feature `()` (disabled) but the allowed ones, `(self)`. */
export const permissionsPolicy = (allowed: readonly PolicedFeature[] = []): string =>
  policedFeatures.map((feature) => `${feature}=${allowed.includes(feature) ? '(self)' : '()'}`).join(', ');

const HEADER = 'Permissions-Policy';

/**
 * Sets Permissions-Policy on every response, HTML or not, failed or not, from the features of the
 * route the request matched (`featuresByRouteKey`); any other request gets the strict policy.
 */
export const permissionsPolicyHeader = (
  featuresByRouteKey: ReadonlyMap<string, readonly BrowserFeature[]>,
): MiddlewareObj<HttpEvent, HttpResponse> => {
  const strict = permissionsPolicy();
  // Compiles only while every BrowserFeature is policed: one missing from the list would be on by default.
  const byRouteKey = new Map(
    [...featuresByRouteKey].map(([routeKey, features]) => [routeKey, permissionsPolicy(features)]),
  );
  const apply = async (request: { event: HttpEvent; response: HttpResponse | null | undefined }) => {
    if (!request.response) return;
    // One header, whatever case a route might have set it in.
    const headers = Object.fromEntries(
      Object.entries(request.response.headers ?? {}).filter(
        ([name]) => name.toLowerCase() !== HEADER.toLowerCase(),
      ),
    );
    headers[HEADER] = byRouteKey.get(request.event.routeKey) ?? strict;
    request.response = { ...request.response, headers };
  };
  return { after: apply, onError: apply };
};

import { isIPv4, isIPv6 } from 'node:net';
import type { HttpEvent } from './http-types.ts';

/**
 * Where the patient's address is read from. `connection`: the TCP peer API Gateway (or the dev
 * server's socket) saw. `cloudfront-viewer-address`: the header CloudFront adds, for when CloudFront
 * is in front of the API and the API can be reached through it only.
 */
export const clientAddressSources = ['connection', 'cloudfront-viewer-address'] as const;

export type ClientAddressSource = (typeof clientAddressSources)[number];

/** API Gateway and the dev server give header names in lower case. */
const VIEWER_ADDRESS_HEADER = 'cloudfront-viewer-address';

/** What a dual-stack socket reports for an IPv4 peer (`::ffff:192.0.2.1`), as the IPv4 address. */
const withoutIPv4Mapping = (address: string): string => {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] && isIPv4(mapped[1]) ? mapped[1] : address;
};

/**
 * The address in CloudFront's `ip:port` (`198.51.100.10:46532`; IPv6 unbracketed, so the address is
 * everything before the last colon), or undefined for anything else, a list of values included.
 */
const viewerAddress = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim() ?? '';
  const separator = trimmed.lastIndexOf(':');
  const port = trimmed.slice(separator + 1);
  if (separator <= 0 || !/^\d{1,5}$/.test(port) || Number(port) > 65535) return undefined;
  const host = trimmed.slice(0, separator);
  // The bracketed socket-address form, `[2001:db8::1]:443`, is the same address.
  const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return isIPv4(address) || isIPv6(address) ? address : undefined;
};

/**
 * The patient's address, as the edge vouches for it: never from a header a client can set
 * (X-Forwarded-For, Forwarded, X-Real-IP), and from CloudFront's header only when told it is there.
 */
export const clientIp = (event: HttpEvent, source: ClientAddressSource = 'connection'): string => {
  const connection = event.requestContext.http.sourceIp;
  const address =
    source === 'cloudfront-viewer-address'
      ? (viewerAddress(event.headers?.[VIEWER_ADDRESS_HEADER]) ?? connection)
      : connection;
  return withoutIPv4Mapping(address);
};

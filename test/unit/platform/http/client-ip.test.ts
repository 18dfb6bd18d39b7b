import { describe, expect, it } from 'vitest';
import { toApiGatewayEvent } from '../../../../src/platform/http/api-gateway-v2.ts';
import { clientIp } from '../../../../src/platform/http/client-ip.ts';

/**
 * An event from a connection with the headers the client sent. They are set after the dev server's
 * conversion, which writes X-Forwarded-For itself: a spoofed one must reach `clientIp` to be tested.
 */
const eventFrom = (sourceIp: string, headers: Record<string, string> = {}) => {
  const event = toApiGatewayEvent(
    { method: 'GET', url: '/login', headers: {}, body: Buffer.alloc(0), sourceIp },
    { routeKey: 'GET /login' },
  );
  return { ...event, headers: { ...event.headers, ...headers } };
};

const spoofedHeaders = {
  'x-forwarded-for': '198.51.100.7',
  forwarded: 'for=198.51.100.8',
  'cloudfront-viewer-address': '198.51.100.9:443',
  'x-real-ip': '198.51.100.10',
};

describe('clientIp', () => {
  it('answers the connection address by default', () => {
    // Prepare
    const event = eventFrom('203.0.113.5');

    // Act
    const address = clientIp(event);

    // Assess
    expect(address).toBe('203.0.113.5');
  });

  it('ignores every address header a client can send when reading the connection', () => {
    // Prepare
    const event = eventFrom('203.0.113.5', spoofedHeaders);

    // Act
    const address = clientIp(event, 'connection');

    // Assess
    expect(address).toBe('203.0.113.5');
  });

  it('gives an IPv4-mapped IPv6 connection address as the IPv4 address', () => {
    // Act
    const address = clientIp(eventFrom('::ffff:127.0.0.1'));

    // Assess
    expect(address).toBe('127.0.0.1');
  });

  it('keeps a plain IPv6 connection address as it is', () => {
    // Act
    const address = clientIp(eventFrom('2001:db8::7'));

    // Assess
    expect(address).toBe('2001:db8::7');
  });

  it.each([
    ['an IPv4 address and port', '198.51.100.10:46532', '198.51.100.10'],
    ['a compressed IPv6 address and port', '2001:db8::1:46532', '2001:db8::1'],
    [
      'a full IPv6 address and port',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334:443',
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    ],
    ['a bracketed IPv6 address and port', '[2001:db8::1]:443', '2001:db8::1'],
    ['an IPv4-mapped IPv6 address and port', '::ffff:192.0.2.1:443', '192.0.2.1'],
  ])('reads %s from the CloudFront-Viewer-Address header', (_case, header, expected) => {
    // Prepare
    const event = eventFrom('130.176.0.1', { 'cloudfront-viewer-address': header });

    // Act
    const address = clientIp(event, 'cloudfront-viewer-address');

    // Assess
    expect(address).toBe(expected);
  });

  it('ignores X-Forwarded-For and the others when reading the CloudFront header', () => {
    // Prepare
    const event = eventFrom('130.176.0.1', {
      ...spoofedHeaders,
      'cloudfront-viewer-address': '192.0.2.44:1',
    });

    // Act
    const address = clientIp(event, 'cloudfront-viewer-address');

    // Assess
    expect(address).toBe('192.0.2.44');
  });

  it.each([
    ['no port', '198.51.100.10'],
    ['a port that is not a number', '198.51.100.10:http'],
    ['a port past 65535', '198.51.100.10:65536'],
    ['an address that is not one', 'example.com:443'],
    ['an IPv6 address without its port', '2001:db8::1'],
    ['two values joined', '198.51.100.10:1,192.0.2.1:2'],
    ['an empty value', ''],
  ])(
    'falls back to the connection, never another header, for a CloudFront header with %s',
    (_case, header) => {
      // Prepare
      const event = eventFrom('130.176.0.1', {
        'cloudfront-viewer-address': header,
        'x-forwarded-for': '198.51.100.7',
        'x-real-ip': '198.51.100.8',
      });

      // Act
      const address = clientIp(event, 'cloudfront-viewer-address');

      // Assess
      expect(address).toBe('130.176.0.1');
    },
  );

  it('falls back to the connection when the CloudFront header is missing', () => {
    // Prepare
    const event = eventFrom('::ffff:130.176.0.1', { 'x-forwarded-for': '198.51.100.7' });

    // Act
    const address = clientIp(event, 'cloudfront-viewer-address');

    // Assess
    expect(address).toBe('130.176.0.1');
  });
});

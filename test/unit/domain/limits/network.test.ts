import { describe, expect, it } from 'vitest';
import { networkOf } from '../../../../src/domain/limits/network.ts';

describe('networkOf', () => {
  it('counts an IPv4 address as itself', () => {
    // Act
    const network = networkOf('203.0.113.5');

    // Assess
    expect(network).toBe('203.0.113.5');
  });

  it('tells two IPv4 addresses apart, however close', () => {
    // Act
    const [first, second] = [networkOf('203.0.113.5'), networkOf('203.0.113.6')];

    // Assess
    expect(first).not.toBe(second);
  });

  it('counts two IPv6 addresses of one /64 as one network', () => {
    // Act
    const first = networkOf('2001:db8:1:2::1');
    const second = networkOf('2001:db8:1:2:ffff:ffff:ffff:fffe');

    // Assess
    expect(first).toBe(second);
    expect(first).toBe('2001:db8:1:2::/64');
  });

  it('tells IPv6 addresses of different /64s apart', () => {
    // Act
    const first = networkOf('2001:db8:1:2::1');
    const second = networkOf('2001:db8:1:3::1');

    // Assess
    expect(first).not.toBe(second);
  });

  it.each([
    ['lower case', '::ffff:192.0.2.1'],
    ['upper case', '::FFFF:192.0.2.1'],
  ])('counts an IPv4-mapped IPv6 address (%s) as the IPv4 address', (_case, address) => {
    // Act
    const network = networkOf(address);

    // Assess
    expect(network).toBe('192.0.2.1');
    expect(network).toBe(networkOf('192.0.2.1'));
  });

  it('gives the compressed, full and upper-case forms of one address the same network', () => {
    // Act
    const forms = ['2001:db8:0:1::1', '2001:0db8:0000:0001:0000:0000:0000:0001', '2001:DB8:0:1:0:0:0:1'].map(
      networkOf,
    );

    // Assess
    expect(new Set(forms).size).toBe(1);
    expect(forms[0]).toBe('2001:db8:0:1::/64');
  });

  it('ignores a zone id, which names an interface of ours, not a network of theirs', () => {
    // Act
    const withZone = networkOf('fe80::1%eth0');
    const otherZone = networkOf('fe80::2%25');

    // Assess
    expect(withZone).toBe(networkOf('fe80::1'));
    expect(otherZone).toBe(withZone);
  });

  it('keeps something that is no address as it is, so it is still counted on its own', () => {
    // Act
    const network = networkOf('not-an-address');

    // Assess
    expect(network).toBe('not-an-address');
  });
});

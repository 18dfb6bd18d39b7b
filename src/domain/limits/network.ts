import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network a client address belongs to, for per-IP limits: an IPv4 address as it is, an IPv6
 * address by its /64 (one household or device is usually given a whole /64, so counting single
 * IPv6 addresses would let one client rotate through billions). IPv4-mapped IPv6 addresses
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) count as the IPv4 address.
 */
export const networkOf = (address: string): string => {
  const trimmed = address.trim();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed);
  if (mapped?.[1] && isIPv4(mapped[1])) return mapped[1];
  if (isIPv4(trimmed)) return trimmed;
  if (!isIPv6(trimmed)) return trimmed;
  return `${expandIPv6(trimmed).slice(0, 4).join(':')}::/64`;
};

/** The eight 16-bit groups of an IPv6 address, lower-case, without leading zeros. */
const expandIPv6 = (address: string): string[] => {
  const withoutZone = address.split('%')[0] ?? address;
  const [head = '', tail] = withoutZone.split('::');
  const parse = (part: string) => (part === '' ? [] : part.split(':').flatMap(groupsOf));
  const front = parse(head);
  const back = tail === undefined ? [] : parse(tail);
  const missing = 8 - front.length - back.length;
  return [...front, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...back].map((group) =>
    (Number.parseInt(group, 16) || 0).toString(16),
  );
};

/** A group, or the two groups an embedded IPv4 address stands for (`::1.2.3.4`). */
const groupsOf = (group: string): string[] => {
  if (!group.includes('.')) return [group];
  const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
};

const networkErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Whether an AWS SDK call failed on the way (refused or reset connection, DNS, the SDK's own
 * connection or socket timeout), so the same call may succeed when tried again.
 */
export const isTransportError = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || (typeof code === 'string' && networkErrorCodes.has(code));
};

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MetricTotal } from '../platform/metrics.ts';

export const METRICS_PATH = '/_dev/metrics.json';

/**
 * The local stack's metrics at /_dev/metrics.json: every total since it started, as the
 * dashboards would count them (local stack only; no route of the table reaches it).
 */
export const createMetricsPage =
  (metrics: { totals(): MetricTotal[] }) =>
  (request: IncomingMessage, response: ServerResponse): boolean => {
    if (request.method !== 'GET' || (request.url ?? '/').split('?')[0] !== METRICS_PATH) return false;
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ metrics: metrics.totals() }));
    return true;
  };

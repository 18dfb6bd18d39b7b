import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEvent, AuditLog } from '../../../src/domain/audit/audit-log.ts';
import { InvalidRequestError } from '../../../src/domain/errors.ts';
import { DemographicsNotFoundError } from '../../../src/domain/identity/demographics.ts';
import {
  auditMetric,
  dimensionValue,
  EmfMetrics,
  InMemoryMetrics,
  meteredAuditLog,
  meteredCall,
  metricDefinitions,
} from '../../../src/platform/metrics.ts';

const event = (type: AuditEvent['type'], detail?: string): AuditEvent => ({
  accountId: 'account-1',
  type,
  at: '2026-12-02T10:00:00.000Z',
  sourceIp: '192.0.2.1',
  ...(detail ? { detail } : {}),
});

/** Powertools' EMF lines, as they would reach the function's log. */
const emfLines = (write: { mock: { calls: unknown[][] } }) =>
  write.mock.calls
    .map(([chunk]) => String(chunk))
    .flatMap((chunk: string) => chunk.split('\n'))
    .filter((line: string) => line.includes('"_aws"'))
    .map(
      (line: string) =>
        JSON.parse(line) as Record<string, unknown> & { _aws: { CloudWatchMetrics: unknown[] } },
    );

describe('metrics', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('keeps a dimension value that is a short code, and turns anything else into other', () => {
    // Act
    const kept = ['P9.Cp.Cd', '5xx', 'wrong-password', 'authorization_code', 'sms'].map(dimensionValue);
    const replaced = [
      'patient@example.com',
      '9000000009',
      '07700900123',
      'a value with spaces',
      '',
      'x'.repeat(49),
      '<script>',
    ].map(dimensionValue);

    // Assess
    expect(kept).toEqual(['P9.Cp.Cd', '5xx', 'wrong-password', 'authorization_code', 'sms']);
    expect(replaced).toEqual(Array(7).fill('other'));
  });

  it('sums counts by metric and dimensions, keeps a duration’s values, and shows only what was published', () => {
    // Prepare
    const metrics = new InMemoryMetrics();

    // Act
    metrics.add('SecurityCodesSent', { channel: 'sms' });
    metrics.add('SecurityCodesSent', { channel: 'sms' });
    metrics.add('SecurityCodesSent', { channel: 'email' });
    metrics.add('DependencyLatency', { dependency: 'pds' }, 120);
    metrics.add('DependencyLatency', { dependency: 'pds' }, 80);
    const beforePublish = metrics.totals();
    metrics.publish();
    metrics.add('SecurityCodesSent', { channel: 'sms' });
    metrics.publish();

    // Assess
    expect(beforePublish).toEqual([]);
    expect(metrics.total('SecurityCodesSent', { channel: 'sms' })).toBe(3);
    expect(metrics.total('SecurityCodesSent')).toBe(4);
    expect(metrics.totals()).toContainEqual({
      name: 'DependencyLatency',
      dimensions: { dependency: 'pds' },
      value: 200,
      values: [120, 80],
    });
  });

  it('writes each sum as one EMF line with its own dimensions, a duration with every value, and ColdStart once', () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'patient-login/test');
    vi.stubEnv('AWS_LAMBDA_INITIALIZATION_TYPE', 'on-demand');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const metrics = new EmfMetrics(new Metrics({ serviceName: 'patient-login' }));

    // Act
    metrics.add('Responses', { function: 'login-pages', status: '2xx' });
    metrics.add('Responses', { function: 'login-pages', status: '2xx' });
    metrics.add('DependencyLatency', { dependency: 'gp' }, 40);
    metrics.add('DependencyLatency', { dependency: 'gp' }, 60);
    metrics.publish();
    metrics.add('LoginsCompleted', { vector: 'P9.Cp.Cd' });
    metrics.publish();
    const lines = emfLines(write);
    vi.unstubAllEnvs();

    // Assess
    const named = (name: string) => lines.filter((line: Record<string, unknown>) => name in line);
    expect(named('ColdStart')).toHaveLength(1);
    expect(named('Responses')).toEqual([
      expect.objectContaining({
        Responses: 2,
        function: 'login-pages',
        status: '2xx',
        service: 'patient-login',
      }),
    ]);
    expect(named('DependencyLatency')).toEqual([expect.objectContaining({ DependencyLatency: [40, 60] })]);
    expect(named('LoginsCompleted')).toEqual([
      expect.objectContaining({ LoginsCompleted: 1, vector: 'P9.Cp.Cd' }),
      expect.not.objectContaining({ vector: expect.anything() }),
    ]);
    expect(named('LoginsCompleted')[1]?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({ Dimensions: [['service']] }),
    ]);
    expect(named('Responses')[0]?._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({
        Namespace: 'patient-login/test',
        Dimensions: [['service', 'function', 'status']],
      }),
    ]);
  });

  it('counts audited steps towards their metrics, with codes for dimensions and never who it was', async () => {
    // Prepare
    const recorded: AuditEvent[] = [];
    const log: AuditLog = {
      record: async (audited) => {
        recorded.push(audited);
      },
      recordForAddress: async () => {},
      recent: async () => [],
    };
    const metrics = new InMemoryMetrics();
    const metered = meteredAuditLog(log, metrics);

    // Act
    await metered.record(event('code-sent', 'sms'));
    await metered.record(event('login-succeeded', 'app'));
    await metered.record(event('passkey-login', 'Google Password Manager'));
    await metered.recordForAddress({
      ...event('login-failed', 'wrong-password'),
      address: 'someone@example.com',
    });
    await metered.record(event('photo-id-decided', 'rejected:expired-document'));
    await metered.record(event('logged-out'));
    metrics.publish();

    // Assess
    expect(recorded).toHaveLength(5);
    expect(metrics.totals()).toEqual(
      expect.arrayContaining([
        { name: 'SecurityCodesSent', dimensions: { channel: 'sms' }, value: 1 },
        { name: 'PatientLogins', dimensions: { method: 'app' }, value: 1 },
        { name: 'PatientLogins', dimensions: { method: 'passkey' }, value: 1 },
        { name: 'LoginFailures', dimensions: { reason: 'wrong-password' }, value: 1 },
        { name: 'IdentityChecks', dimensions: { route: 'photo-id', outcome: 'rejected' }, value: 1 },
      ]),
    );
    expect(metrics.totals()).toHaveLength(5);
    expect(JSON.stringify(metrics.totals())).not.toMatch(/account-1|192\.0\.2\.1|example\.com/);
  });

  it('does not count a step whose audit write failed', async () => {
    // Prepare
    const metrics = new InMemoryMetrics();
    const failing: AuditLog = {
      record: async () => {
        throw new Error('store down');
      },
      recordForAddress: async () => {},
      recent: async () => [],
    };

    // Act
    const written = meteredAuditLog(failing, metrics).record(event('registered'));
    await expect(written).rejects.toThrow('store down');
    metrics.publish();

    // Assess
    expect(metrics.totals()).toEqual([]);
  });

  it('gives every audit event a metric of the registry, or none', () => {
    // Act
    const metric = auditMetric(event('registered'));
    const none = auditMetric(event('device-removed'));

    // Assess
    expect(metric?.name).toBe('Registrations');
    expect(none).toBeUndefined();
    expect(Object.keys(metricDefinitions)).toContain(metric?.name);
  });

  it('counts a national service’s answers as ok, refused or unavailable, and times each', async () => {
    // Prepare
    const metrics = new InMemoryMetrics();
    let clock = 0;
    const now = () => {
      clock += 25;
      return clock;
    };

    // Act
    await meteredCall(metrics, 'pds', async () => 'record', now);
    await meteredCall(
      metrics,
      'pds',
      async () => {
        throw new DemographicsNotFoundError('No record.');
      },
      now,
    ).catch(() => undefined);
    await meteredCall(
      metrics,
      'gp',
      async () => {
        throw new TypeError('fetch failed');
      },
      now,
    ).catch(() => undefined);
    const refusedInput = meteredCall(metrics, 'gp', async () => {
      throw new InvalidRequestError('bad');
    });
    await expect(refusedInput).rejects.toThrow('bad');
    metrics.publish();

    // Assess
    expect(metrics.total('DependencyCalls', { dependency: 'pds', outcome: 'ok' })).toBe(1);
    expect(metrics.total('DependencyCalls', { dependency: 'pds', outcome: 'refused' })).toBe(1);
    expect(metrics.total('DependencyCalls', { dependency: 'gp', outcome: 'unavailable' })).toBe(1);
    expect(metrics.total('DependencyCalls', { dependency: 'gp', outcome: 'refused' })).toBe(1);
    expect(metrics.totals()).toContainEqual({
      name: 'DependencyLatency',
      dimensions: { dependency: 'pds' },
      value: 50,
      values: [25, 25],
    });
  });
});

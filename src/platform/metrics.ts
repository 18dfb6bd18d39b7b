import type { AddressEvent, AuditEvent, AuditEventType, AuditLog } from '../domain/audit/audit-log.ts';
import { DomainError } from '../domain/errors.ts';
import type { Demographics } from '../domain/identity/demographics.ts';
import type { GpOnlineServices } from '../domain/identity/gp-online-services.ts';

type Unit = 'Count' | 'Milliseconds';

interface MetricDefinition {
  readonly unit: Unit;
  /** The dimensions every data point of the metric has: each a short code, never personal data. */
  readonly dimensions: readonly string[];
  /** What one data point is: for the dashboards' and alarms' readers (docs/operations.md). */
  readonly description: string;
  /** Also published with no dimension of its own: a total alarms can use (they cannot search). */
  readonly rollUp?: boolean;
}

/**
 * Every metric the service publishes, in the namespace `patient-login/<stage>`: the registry the
 * handlers, the dashboards and the alarms share, so a name cannot be misspelt in one of them.
 * Dimension values are codes (a route, a channel, a reason, a vector of trust), never an address,
 * number, identifier or anything typed by a person: `dimensionValue` turns anything else into `other`.
 */
export const metricDefinitions = {
  Responses: {
    unit: 'Count',
    dimensions: ['function', 'status'],
    description: 'An HTTP response, by function and status class (2xx, 3xx, 4xx, 5xx).',
  },
  LoginsStarted: {
    unit: 'Count',
    dimensions: ['vector'],
    description:
      "A relying party's authorization request accepted, by the first vector of trust it asked for.",
    rollUp: true,
  },
  LoginsCompleted: {
    unit: 'Count',
    dimensions: ['vector'],
    description: 'An authorization code issued to a relying party, by the vector of trust achieved (vot).',
    rollUp: true,
  },
  PatientLogins: {
    unit: 'Count',
    dimensions: ['method'],
    description:
      'A patient logged in: by the second factor (sms, email, app), a remembered device, or a passkey.',
    rollUp: true,
  },
  LoginFailures: {
    unit: 'Count',
    dimensions: ['reason'],
    description: 'A login refused: a wrong password, a password check that failed.',
  },
  Lockouts: {
    unit: 'Count',
    dimensions: ['reason'],
    description: 'Logins delayed or code entry locked after too many wrong answers.',
  },
  SecurityCodesSent: {
    unit: 'Count',
    dimensions: ['channel'],
    description: 'A security code sent, by channel (sms, email): texts per login is this over PatientLogins.',
  },
  SecurityCodeSendsRefused: {
    unit: 'Count',
    dimensions: ['reason'],
    description: 'A security code not sent because a sending limit was reached.',
  },
  SecurityCodesVerified: {
    unit: 'Count',
    dimensions: ['purpose'],
    description: 'A security code (texted, emailed or from the app) accepted, by what it was for.',
  },
  SecurityCodeFailures: {
    unit: 'Count',
    dimensions: ['reason'],
    description: 'A security code refused: wrong, expired or used.',
  },
  Registrations: { unit: 'Count', dimensions: [], description: 'A new account set up.' },
  PasswordResets: { unit: 'Count', dimensions: [], description: 'A password reset completed.' },
  IdentityChecks: {
    unit: 'Count',
    dimensions: ['route', 'outcome'],
    description:
      'A step of proving who you are: P5 details, GP online-services details or photo ID, by its outcome.',
  },
  NhsNumberChecks: {
    unit: 'Count',
    dimensions: ['outcome'],
    description: 'The NHS number checked with PDS at login, by outcome.',
  },
  PasskeyClonesRefused: {
    unit: 'Count',
    dimensions: [],
    description:
      "A passkey login refused because the authenticator's counter went backwards (a copied passkey).",
  },
  TokenReplays: {
    unit: 'Count',
    dimensions: ['kind'],
    description:
      'An authorization code or replaced refresh token presented again (what it issued is revoked).',
  },
  TokenRequests: {
    unit: 'Count',
    dimensions: ['grant', 'outcome'],
    description: 'A token request, by grant type and outcome (issued, or the OAuth error code).',
  },
  DependencyCalls: {
    unit: 'Count',
    dimensions: ['dependency', 'outcome'],
    description: 'A call to a national service (pds, gp), by outcome (ok, refused, unavailable).',
  },
  DependencyLatency: {
    unit: 'Milliseconds',
    dimensions: ['dependency'],
    description: 'How long a call to a national service took.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metricDefinitions;
export type DimensionsOf<N extends MetricName> = {
  readonly [D in (typeof metricDefinitions)[N]['dimensions'][number]]: string;
};

/** Where metrics go: EMF log lines in Lambda, a table in memory locally and in tests. */
export interface ServiceMetrics {
  /** Adds a data point (1 by default) to the metric with these dimensions; sent by `publish`. */
  add<N extends MetricName>(name: N, dimensions: DimensionsOf<N>, value?: number): void;
  /** Sends what was added since the last call: each request and task ends with it. */
  publish(): void;
}

const DIMENSION_VALUE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,47}$/;

/**
 * A dimension value as published: a short code as it is, anything else `other`. A value with an
 * `@` or a long run of digits is never a code (an address, a phone or NHS number), so those are
 * refused even where they would match.
 */
export const dimensionValue = (value: string): string =>
  DIMENSION_VALUE.test(value) && !/\d{5,}/.test(value) ? value : 'other';

/** A data point as a key: its name and its dimensions in the registry's order. */
/**
 * A data point's dimensions as published, in the registry's order, each value made safe. Only
 * those given: the types make every call give them all; a roll-up gives none.
 */
const safeDimensions = (
  name: MetricName,
  dimensions: Readonly<Record<string, string>>,
): Record<string, string> =>
  Object.fromEntries(
    (metricDefinitions[name].dimensions as readonly string[])
      .filter((dimension) => Object.hasOwn(dimensions, dimension))
      .map((dimension) => [dimension, dimensionValue(dimensions[dimension] ?? '')]),
  );

export interface MetricTotal {
  readonly name: MetricName;
  readonly dimensions: Readonly<Record<string, string>>;
  /** The sum of the data points (a count's total; a duration's total time). */
  readonly value: number;
  /** Each data point of a duration, for its percentiles; a count has none. */
  readonly values?: readonly number[];
}

/**
 * Sums data points by metric and dimensions until they are published: what the EMF sink sends as
 * one line per sum, and what the in-memory one keeps.
 */
class MetricSums {
  readonly #sums = new Map<string, MetricTotal>();

  add(name: MetricName, dimensions: Readonly<Record<string, string>>, value: number): void {
    const safe = safeDimensions(name, dimensions);
    const key = JSON.stringify([name, safe]);
    const earlier = this.#sums.get(key);
    const values =
      metricDefinitions[name].unit === 'Count' ? {} : { values: [...(earlier?.values ?? []), value] };
    this.#sums.set(key, { name, dimensions: safe, value: (earlier?.value ?? 0) + value, ...values });
  }

  /** Adds a total taken from another sum (its data points too). */
  addTotal(total: MetricTotal): void {
    for (const value of total.values ?? [total.value]) this.add(total.name, total.dimensions, value);
  }

  take(): MetricTotal[] {
    const totals = [...this.#sums.values()];
    this.#sums.clear();
    return totals;
  }

  /** The sums so far, kept. */
  peek(): MetricTotal[] {
    return [...this.#sums.values()];
  }
}

/** Keeps every total in memory: the local stack shows them at /_dev/metrics.json; tests read them. */
export class InMemoryMetrics implements ServiceMetrics {
  readonly #pending = new MetricSums();
  readonly #published = new MetricSums();

  add<N extends MetricName>(name: N, dimensions: DimensionsOf<N>, value = 1): void {
    this.#pending.add(name, dimensions, value);
  }

  publish(): void {
    for (const total of this.#pending.take()) this.#published.addTotal(total);
  }

  /** Every published total, and keeps them. */
  totals(): MetricTotal[] {
    return this.#published.peek();
  }

  /** The published total of a metric, over every dimension value or only those given. */
  total(name: MetricName, dimensions: Readonly<Record<string, string>> = {}): number {
    return this.totals()
      .filter(
        (total) =>
          total.name === name &&
          Object.entries(dimensions).every(([dimension, value]) => total.dimensions[dimension] === value),
      )
      .reduce((sum, total) => sum + total.value, 0);
  }
}

/**
 * What of Powertools' Metrics is used here: one metric per line, with its own dimensions (a
 * publish clears the dimensions), a duration's values together as an array.
 */
export interface EmfWriter {
  addDimensions(dimensions: Record<string, string>): unknown;
  addMetric(name: string, unit: Unit, value: number): unknown;
  publishStoredMetrics(): unknown;
  /** Powertools' ColdStart metric, on an on-demand container's first call only. */
  captureColdStartMetric(functionName?: string): void;
}

/**
 * CloudWatch's embedded metric format, written by Powertools' Metrics: each request's sums, one
 * log line per metric and dimensions, and Powertools' ColdStart metric at the first publish (it
 * writes nothing when the request counted nothing).
 */
export class EmfMetrics implements ServiceMetrics {
  readonly #writer: EmfWriter;
  readonly #sums = new MetricSums();
  #coldStart = true;

  constructor(writer: EmfWriter) {
    this.#writer = writer;
  }

  add<N extends MetricName>(name: N, dimensions: DimensionsOf<N>, value = 1): void {
    this.#sums.add(name, dimensions, value);
  }

  publish(): void {
    if (this.#coldStart) {
      this.#coldStart = false;
      this.#writer.captureColdStartMetric();
    }
    for (const total of rolledUp(this.#sums.take())) {
      if (Object.keys(total.dimensions).length > 0) this.#writer.addDimensions({ ...total.dimensions });
      // A count as its sum; a duration as each of its values, so CloudWatch has its percentiles.
      for (const value of total.values ?? [total.value])
        this.#writer.addMetric(total.name, metricDefinitions[total.name].unit, value);
      this.#writer.publishStoredMetrics();
    }
  }
}

/** The totals, and for each metric that rolls up, its sum over every dimension value too. */
const rolledUp = (totals: readonly MetricTotal[]): MetricTotal[] => {
  const rollUps = new MetricSums();
  for (const total of totals)
    if (
      (metricDefinitions[total.name] as MetricDefinition).rollUp &&
      Object.keys(total.dimensions).length > 0
    )
      rollUps.addTotal({ ...total, dimensions: {} });
  return [...totals, ...rollUps.take()];
};

/** The metric an audit event counts towards, with its dimensions; undefined for events that count towards none. */
/** Each counted audit event's metric and dimensions, from its detail (a code; `none` when it has none). */
const auditMetrics: Partial<
  Record<AuditEventType, (detail: string) => readonly [MetricName, Record<string, string>]>
> = {
  registered: () => ['Registrations', {}],
  'login-succeeded': (detail) => ['PatientLogins', { method: detail === 'none' ? 'device' : detail }],
  'passkey-login': () => ['PatientLogins', { method: 'passkey' }],
  'login-failed': (detail) => ['LoginFailures', { reason: detail }],
  'password-check-failed': () => ['LoginFailures', { reason: 'password-check' }],
  'locked-out': (detail) => ['Lockouts', { reason: detail }],
  'code-sent': (detail) => ['SecurityCodesSent', { channel: detail }],
  'code-send-refused': (detail) => ['SecurityCodeSendsRefused', { reason: detail }],
  'code-verified': (detail) => ['SecurityCodesVerified', { purpose: detail }],
  'code-failed': (detail) => ['SecurityCodeFailures', { reason: detail }],
  'password-reset': () => ['PasswordResets', {}],
  'details-checked': (detail) => ['IdentityChecks', { route: 'p5-details', outcome: detail }],
  'gp-details-checked': (detail) => ['IdentityChecks', { route: 'gp-details', outcome: detail }],
  'photo-id-submitted': () => ['IdentityChecks', { route: 'photo-id', outcome: 'submitted' }],
  'photo-id-decided': (detail) => [
    'IdentityChecks',
    { route: 'photo-id', outcome: detail.split(':')[0] ?? detail },
  ],
  'nhs-number-checked': (detail) => ['NhsNumberChecks', { outcome: detail }],
  'passkey-clone-refused': () => ['PasskeyClonesRefused', {}],
  'code-reused': () => ['TokenReplays', { kind: 'authorization-code' }],
  'refresh-token-reused': () => ['TokenReplays', { kind: 'refresh-token' }],
};

/** The metric an audit event counts towards, with its dimensions; undefined for events that count towards none. */
export const auditMetric = (
  event: Pick<AuditEvent, 'type' | 'detail'>,
): { readonly name: MetricName; readonly dimensions: Record<string, string> } | undefined => {
  const found = auditMetrics[event.type]?.(event.detail ?? 'none');
  return found && { name: found[0], dimensions: found[1] };
};

/** An audit log that also counts each event towards its metric (the events are the journeys' steps), once written. */
export const meteredAuditLog = (log: AuditLog, metrics: ServiceMetrics): AuditLog => {
  const count = (event: AuditEvent | AddressEvent) => {
    const metric = auditMetric(event);
    if (metric) metrics.add(metric.name, metric.dimensions as never);
  };
  return {
    record: async (event) => {
      await log.record(event);
      count(event);
    },
    recordForAddress: async (event) => {
      await log.recordForAddress(event);
      count(event);
    },
    recent: (accountId, limit) => log.recent(accountId, limit),
  };
};

type Dependency = 'pds' | 'gp';

/**
 * A call to a national service, counted by outcome and timed: `ok`; `refused` for an answer that
 * is a typed 4xx (no record, details not matched); `unavailable` for anything else (down, slow, 5xx).
 */
export const meteredCall = async <T>(
  metrics: Pick<ServiceMetrics, 'add'>,
  dependency: Dependency,
  call: () => Promise<T>,
  now: () => number = Date.now,
): Promise<T> => {
  const started = now();
  try {
    const result = await call();
    metrics.add('DependencyCalls', { dependency, outcome: 'ok' });
    return result;
  } catch (error) {
    const refused = error instanceof DomainError && error.status < 500;
    metrics.add('DependencyCalls', { dependency, outcome: refused ? 'refused' : 'unavailable' });
    throw error;
  } finally {
    metrics.add('DependencyLatency', { dependency }, now() - started);
  }
};

/** PDS with each call counted and timed. */
export const meteredDemographics = (demographics: Demographics, metrics: ServiceMetrics): Demographics => ({
  retrieve: (nhsNumber) => meteredCall(metrics, 'pds', () => demographics.retrieve(nhsNumber)),
  search: (details) => meteredCall(metrics, 'pds', () => demographics.search(details)),
});

/** GP online services with each call counted and timed. */
export const meteredGp = (gp: GpOnlineServices, metrics: ServiceMetrics): GpOnlineServices => ({
  link: (details) => meteredCall(metrics, 'gp', () => gp.link(details)),
});

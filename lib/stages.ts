import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { PhotoIdSettingOverrides } from '../src/domain/identity/photo-id/photo-id-settings.ts';
import type { LimitOverrides } from '../src/domain/limits/limits.ts';
import type { FunctionConfig } from '../src/platform/function-config.ts';
import type { DeploymentStyle } from './constructs/gradual-deployments.ts';

/** A custom domain for the API; the issuer becomes `https://<domainName>`. */
export interface CustomDomain {
  readonly domainName: string;
  /** An ACM certificate for `domainName` in the stack's region (the API endpoint is regional). */
  readonly certificateArn: string;
}

/**
 * The token signing keys of a stage, by logical name. Every key in `names` is published in the
 * JWKS, in this order; `active` signs. A name is the key's identity in the stack: renaming one
 * makes a new key. Rotation: add the next key and deploy (relying parties see it in the JWKS),
 * make it active and deploy, then later remove the old one and deploy (its KMS key is retained).
 */
export interface SigningKeySettings {
  readonly names: readonly string[];
  readonly active: string;
}

/**
 * The stage-wide request limits of the HTTP API, shared by every route and every client. Requests
 * over them get 429 from API Gateway without reaching a function. Limits per IP address (WAF
 * rules in front) and per account (the application's counters) are separate.
 */
export interface ApiThrottle {
  /** Steady-state requests per second, averaged over the stage. */
  readonly rateLimit: number;
  /** The token bucket's size: how many requests may arrive at once before the steady rate applies. */
  readonly burstLimit: number;
}

/**
 * Caps the load and the bill a flood can cause, with room above a dev stage's real traffic, and
 * leaves most of the account's regional API Gateway quota (10,000 rps) to other stages.
 */
export const defaultApiThrottle: ApiThrottle = { rateLimit: 100, burstLimit: 200 };

/** How the stage sends email: with SES, from one address in a domain verified as an SES identity. */
export interface EmailSettings {
  /**
   * The bare From address, such as `no-reply@login.example.org`; emails show the service name as
   * its display name. The functions may send from this address only.
   */
  readonly fromAddress: string;
  /** An SES configuration set, made outside the stack, whose event destinations get every email's events. */
  readonly configurationSetName?: string;
  /**
   * Whether the stack creates the SES identity of the address's domain (with Easy DKIM; default
   * true). False when the identity exists already, made by hand or by another stage's stack: an
   * SES identity exists once per account and region.
   */
  readonly createIdentity?: boolean;
}

/** Where the stage reaches PDS, and the API key NHS England issued the application. */
export interface PdsSettings {
  /** The FHIR R4 base, e.g. `https://int.api.service.nhs.uk/personal-demographics/FHIR/R4`. */
  readonly baseUrl: string;
  /** The token endpoint of the signed-JWT exchange, e.g. `https://int.api.service.nhs.uk/oauth2/token`. */
  readonly tokenUrl: string;
  readonly apiKey: string;
}

/** Where the stage reaches the GP linkage broker (docs/gp-online-services.md). */
export interface GpSettings {
  readonly baseUrl: string;
  readonly apiKey: string;
}

/**
 * What a stage that takes patients adds (docs/deployment.md, Production): the table kept however
 * the stack is changed, backed up to a second region, capacity held for the login's peak, and the
 * stack itself protected.
 */
export interface ProductionSettings {
  /** The region AWS Backup copies the table's daily backups to (its vault is made there beforehand). */
  readonly backupCopyRegion: string;
  /** The copy vault's name in that region. */
  readonly backupCopyVaultName: string;
  /** Concurrency only the token function may use, so a rush on the pages cannot starve relying parties. */
  readonly tokenReservedConcurrency: number;
  /** Warm containers for the login pages, scaled on their use between these (70% target). */
  readonly loginPagesProvisionedConcurrency: { readonly min: number; readonly max: number };
  /** What the on-demand table is ready for from the first second of a peak, without throttling. */
  readonly tableWarmThroughput: { readonly readUnitsPerSecond: number; readonly writeUnitsPerSecond: number };
}

export interface StageSettings {
  /** Lower-case letters, digits and hyphens: it appears in the stack name and key aliases. */
  readonly name: string;
  /**
   * Without one, the issuer is the HTTP API's default execute-api URL. With one, the execute-api
   * endpoint is disabled, so the domain (and whatever guards it) cannot be bypassed.
   */
  readonly customDomain?: CustomDomain;
  /**
   * The review console's own host name (never a path under the patients' domain); without one,
   * its own execute-api URL.
   */
  readonly consoleDomain?: CustomDomain;
  /** `defaultApiThrottle` unless set. */
  readonly apiThrottle?: ApiThrottle;
  /** For the functions' logs and the API access log. */
  readonly logRetention: RetentionDays;
  readonly logLevel: FunctionConfig['logLevel'];
  readonly signingKeys: SigningKeySettings;
  /** What patients see the service called; `NHS login` unless set. */
  readonly serviceName?: string;
  readonly email: EmailSettings;
  /** The alphanumeric sender ID texts show where the country supports one (3 to 11 letters and digits). */
  readonly smsSenderId?: string;
  /**
   * The SNS account's monthly SMS spend limit in US dollars (set in SNS's text messaging
   * preferences, raised by a quota case): the alarm warns at 80% of it. 1 (AWS's default) unless set.
   */
  readonly smsMonthlySpendLimitUsd?: number;
  /**
   * How new function versions take traffic: `all-at-once` unless set; `canary` (10% for 5
   * minutes) or `linear` (10% a minute) roll back by themselves on the function's alarms.
   */
  readonly deployment?: DeploymentStyle;
  /** A stage that takes patients: its table, backups, capacity and stack protection (ProductionSettings). */
  readonly production?: ProductionSettings;
  /** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers can get security codes; `['GB']` unless set. */
  readonly allowedPhoneCountries?: readonly string[];
  /** Where patients can get help, an https URL; `<issuer>/contact` unless set. */
  readonly contactUrl?: string;
  /**
   * The PDS FHIR API the identity function checks details and NHS numbers with, once the stage is
   * onboarded with NHS England (application-restricted access). Without it a check says PDS cannot
   * be reached, so no one can prove who they are on the stage.
   */
  readonly pds?: PdsSettings;
  /** The GP linkage broker; without it, GP online-services details get CID7023 (cannot connect). */
  readonly gp?: GpSettings;
  /** Overrides of the photo-ID check's staffed hours, escalation and media retention (docs/workflows.md). */
  readonly photoId?: PhotoIdSettingOverrides;
  /** Overrides of the application's limits (docs/limits.md); checked at synthesis. */
  readonly limits?: LimitOverrides;
  /**
   * Where the functions read the patient's address: `connection` unless set. `cloudfront-viewer-address`
   * only once CloudFront is in front and the API cannot be reached round it (docs/decisions.md).
   */
  readonly clientAddressSource?: FunctionConfig['clientAddressSource'];
}

export const stages = {
  dev: {
    name: 'dev',
    logRetention: RetentionDays.ONE_MONTH,
    logLevel: 'INFO',
    signingKeys: { names: ['key-1'], active: 'key-1' },
    // A placeholder domain: set one you control, and publish its DKIM records, before relying on email.
    email: { fromAddress: 'no-reply@dev.patient-login.example.org' },
  },
  /**
   * The stage that takes patients. Its domains, certificates and from address are placeholders to
   * replace before the first deployment (docs/deployment.md, Production, has the checklist).
   */
  prod: {
    name: 'prod',
    customDomain: {
      domainName: 'login.patient-login.example.org',
      certificateArn:
        'arn:aws:acm:eu-west-2:000000000000:certificate/replace-with-the-login-domain-certificate',
    },
    consoleDomain: {
      domainName: 'review.patient-login.example.org',
      certificateArn:
        'arn:aws:acm:eu-west-2:000000000000:certificate/replace-with-the-console-domain-certificate',
    },
    // The Monday peak: 300 logins a second, each about 12 requests, is 3,600 a second (docs/deployment.md).
    apiThrottle: { rateLimit: 5000, burstLimit: 10000 },
    logRetention: RetentionDays.TWO_YEARS,
    logLevel: 'INFO',
    signingKeys: { names: ['key-1'], active: 'key-1' },
    email: { fromAddress: 'no-reply@patient-login.example.org' },
    smsSenderId: 'NHSlogin',
    smsMonthlySpendLimitUsd: 50_000,
    deployment: 'canary',
    clientAddressSource: 'connection',
    production: {
      backupCopyRegion: 'eu-west-1',
      backupCopyVaultName: 'patient-login-prod-copy',
      tokenReservedConcurrency: 200,
      loginPagesProvisionedConcurrency: { min: 20, max: 400 },
      tableWarmThroughput: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: 10_000 },
    },
  },
} as const satisfies Record<string, StageSettings>;

export const stageSettings = (name: string): StageSettings => {
  const stage: StageSettings | undefined = Object.hasOwn(stages, name)
    ? stages[name as keyof typeof stages]
    : undefined;
  if (!stage) {
    throw new Error(`Unknown stage "${name}"; known stages: ${Object.keys(stages).join(', ')}`);
  }
  return stage;
};

import * as z from 'zod/mini';

const day = 86_400;

/**
 * Every limit of the service, with its safe default. Durations are in seconds. docs/limits.md
 * says what a patient sees when each one applies; a composition root may override any of them
 * through `resolveLimits`.
 */
export const defaultLimits = {
  /** How long a security code can be entered after it is sent. */
  securityCodeLifetimeSeconds: 300,
  /**
   * Wrong security codes an account may enter, across codes, purposes and resends, before code
   * entry is locked (and the current code ended).
   */
  securityCodeAttempts: 5,
  /** How long code entry stays locked after too many wrong codes. */
  securityCodeLockoutSeconds: 900,
  /** Security codes an account may be sent in one window. */
  codeSendsPerAccount: 5,
  /** The window over which an account's code sends are counted. */
  codeSendsPerAccountWindowSeconds: 900,
  /** Security codes one phone number not yet confirmed (being added) may be sent in one window (SMS pumping protection). */
  codeSendsPerPhone: 10,
  /** The window over which a phone number's code sends are counted: a UTC day. */
  codeSendsPerPhoneWindowSeconds: day,
  /** Security codes one confirmed destination (a number or address on accounts) may be sent in a UTC day, across accounts. */
  codeSendsPerConfirmedDestination: 30,
  /** Wrong passwords from one source (a network, or a trusted device) for one account before its attempts are delayed. */
  passwordFailuresBeforeDelay: 5,
  /** Wrong passwords from all networks together for one account before every network's attempts are delayed. */
  passwordAccountFailuresBeforeDelay: 10,
  /** The first delay; each further wrong password doubles it. */
  passwordDelayBaseSeconds: 60,
  /** The longest delay between two attempts. */
  passwordDelayMaxSeconds: 900,
  /** Consecutive wrong passwords after which password login stops until an unlock or a reset (NIST SP 800-63B). */
  passwordFailuresHardStop: 100,
  /** How long a source's wrong passwords are remembered after its latest one. */
  passwordSourceMemorySeconds: day,
  /** How long an account's wrong passwords are remembered after the latest one. */
  passwordAccountMemorySeconds: 30 * day,
  /** How long a network a right password came from stays known, so other networks' failures do not hold it back. */
  passwordKnownNetworkSeconds: 90 * day,
  /** Wrong passwords from one IP address in one window before it is refused for the rest of it. */
  passwordFailuresPerIp: 50,
  /** The window over which an IP address's wrong passwords are counted. */
  passwordFailuresPerIpWindowSeconds: 900,
  /** Text messages asked for from one network (an IPv4 address or an IPv6 /64) in one window (SMS pumping). */
  textsPerNetwork: 25,
  /** The window over which a network's text messages are counted. */
  textsPerNetworkWindowSeconds: 3600,
  /** Text messages one account may be sent in one window (a UTC day). */
  textsPerAccount: 20,
  /** The window over which an account's text messages are counted: a UTC day. */
  textsPerAccountWindowSeconds: day,
  /** Text messages the whole service may send in one window to numbers it has never texted before. */
  newNumberTexts: 1000,
  /** The window of the service-wide ceiling on texts to new numbers. */
  newNumberTextsWindowSeconds: 3600,
  /** Emails with links (confirm, reset) one address may be sent in one window; past it none are sent, silently. */
  linkEmailsPerAddress: 5,
  /**
   * Emails with links one address may be sent in one window from all networks together, past
   * which none are sent (silently) unless asked for from a network the account logs in from.
   */
  linkEmailsPerAddressCeiling: 20,
  /** Emails with links one IP address may have sent in one window (mail flooding protection). */
  linkEmailsPerIp: 30,
  /** The window over which emails with links are counted. */
  linkEmailsWindowSeconds: 3600,
  /** How long an email confirmation link works. */
  confirmationLinkLifetimeSeconds: day,
  /** How long a password reset link works. */
  resetLinkLifetimeSeconds: 3600,
  /** How long the emailed link that unlocks an account works. */
  unlockLinkLifetimeSeconds: 3600,
  /** Emails asking to change an account's email address it may send in one window (`linkEmailsWindowSeconds`). */
  emailChangeRequestsPerAccount: 5,
  /** How recently the password and second factor must have been given again for a sensitive change (a new phone). */
  reauthenticationWindowSeconds: 300,
  /** How long a browser that unlocked an account may log in to it, ignoring failures from other networks. */
  unlockedBrowserTrustSeconds: 900,
  /** Time without a request after which a session ends. */
  sessionIdleSeconds: 1800,
  /** Time after login at which a session ends, however active. */
  sessionAbsoluteSeconds: 43_200,
  /**
   * How long after its last write a session that nothing changed is not written again just to
   * mark it seen: a page view costs a read, not a write. The idle timeout runs from that write.
   */
  sessionTouchIntervalSeconds: 60,
  /** How long a remembered device skips the security code. */
  rememberedDeviceLifetimeSeconds: 180 * day,
  /** How long the link to cancel a phone number change works. */
  phoneChangeCancelLinkLifetimeSeconds: day,
  /**
   * How long a function keeps a relying-party client in memory: a client registered, changed or
   * removed takes effect everywhere within this time.
   */
  clientCacheSeconds: 60,
  /** How long an authorization code can be redeemed at the token endpoint (NHS login: 10 minutes). */
  authorizationCodeLifetimeSeconds: 600,
  /** How long an ID token is valid (NHS login: 60 minutes). */
  idTokenLifetimeSeconds: 3600,
  /** How long an access token works at /userinfo (NHS login: 5 minutes). */
  accessTokenLifetimeSeconds: 300,
  /**
   * How far after now a client assertion's `exp` may be (private_key_jwt). An hour, as stock
   * client libraries sign by default; each jti is remembered until its `exp`, so none replays.
   */
  clientAssertionLifetimeSeconds: 3600,
  /** How long a refresh token family lasts from the login that started it; rotation does not extend it. */
  refreshTokenLifetimeSeconds: 30 * day,
  /** Times an account may check its details against PDS (P5) in one window, matched or not. */
  detailsChecksPerAccount: 10,
  /** The window over which an account's details checks are counted. */
  detailsChecksWindowSeconds: day,
  /** Details that found no match, in a row, after which the page offers the other ways to prove who you are. */
  detailsCheckFailuresBeforeOtherRoutes: 3,
  /** Times an account may check GP online-services details (P9) in one window, linked or not. */
  gpChecksPerAccount: 5,
  /** The window over which an account's GP details checks are counted. */
  gpChecksWindowSeconds: day,
  /**
   * How long the 4 numbers of a photo-ID video work after the video page shows them: time to read
   * them, record and upload on a slow connection; a new visit shows new ones.
   */
  spokenNumbersLifetimeSeconds: 20 * 60,
  /** How long PDS's confirmation of an account's NHS number stands before a login checks it again. */
  nhsNumberCheckCacheSeconds: 3600,
  /** Login attempts (passwords and authenticator codes) at one staff address from one network before that network is locked out of it. */
  staffLoginAttempts: 5,
  /**
   * Attempts at one staff address from all networks together before its login locks everywhere:
   * above the per-network limit, so a stranger elsewhere cannot lock a member of staff out alone.
   */
  staffLoginAttemptsFromAnywhere: 20,
  /** How long the review console's login stays locked after too many wrong passwords or codes. */
  staffLoginLockoutSeconds: 900,
  /** How long after the password the authenticator code may be entered. */
  staffPendingLoginSeconds: 300,
  /** Seconds without a request before a review console session ends. */
  staffSessionIdleSeconds: 900,
  /** Seconds after logging in at which a review console session ends whatever happens (a shift). */
  staffSessionAbsoluteSeconds: 8 * 3600,
  /** Passkeys one account may have (each device or password manager one; a lost one is removed). */
  passkeysPerAccount: 10,
  /** Passkey set-ups one account may start in a day (each a challenge and a ceremony). */
  passkeySetUpsPerAccount: 20,
  /** How long a passkey ceremony's challenge works: the browser's own timeout is 5 minutes. */
  passkeyChallengeLifetimeSeconds: 300,
  /** PDS requests the whole service may make in a second (PDS's default rate limit is 5 a second per application). */
  pdsRequestsPerSecond: 5,
} as const;

export type LimitName = keyof typeof defaultLimits;

/** The limits in force: the defaults with any overrides applied. */
export type Limits = { readonly [name in LimitName]: number };

const limitNames = Object.keys(defaultLimits) as LimitName[];

/** Overrides of any limits, each a positive whole number; an unknown name is refused, not ignored. */
export const limitOverridesSchema = z.strictObject(
  Object.fromEntries(limitNames.map((name) => [name, z.optional(z.int().check(z.positive()))])) as {
    [name in LimitName]: z.ZodMiniOptional<z.ZodMiniInt>;
  },
);

export type LimitOverrides = z.input<typeof limitOverridesSchema>;

/** The defaults with the given overrides; throws, naming every problem, when an override is invalid. */
export const resolveLimits = (overrides: unknown = {}): Limits => {
  const result = limitOverridesSchema.safeParse(overrides);
  if (!result.success) {
    const problems = result.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown limits: ${issue.keys.join(', ')}`
        : `${issue.path.join('.') || 'limits'}: ${issue.path.length > 0 ? 'must be a positive whole number' : 'must be an object'}`,
    );
    throw new Error(`Invalid limits: ${problems.join('; ')}`);
  }
  const given = Object.entries(result.data).filter(([, value]) => value !== undefined);
  const limits: Limits = { ...defaultLimits, ...Object.fromEntries(given) };
  if (limits.sessionIdleSeconds > limits.sessionAbsoluteSeconds) {
    throw new Error('Invalid limits: sessionIdleSeconds must not exceed sessionAbsoluteSeconds');
  }
  return limits;
};

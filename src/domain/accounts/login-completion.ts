import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../clock.ts';
import {
  describeUserAgent,
  type RememberedDevice,
  type RememberedDevices,
} from '../devices/remembered-devices.ts';
import type { SessionAuthentication } from '../sessions/browser-session.ts';
import type { Account } from './account.ts';
import type { LoginSecondFactor, LoginSecondStep } from './login-second-factor.ts';

export interface LoginCompletionDependencies {
  readonly secondFactor: Pick<LoginSecondFactor, 'verify'>;
  readonly devices: Pick<RememberedDevices, 'remember' | 'use'>;
  readonly audit: Pick<AuditLog, 'record'>;
  readonly clock: Clock;
}

/** How the second step of a login was passed. */
export type CompletedBy = NonNullable<SessionAuthentication['secondFactor']>;

/** A finished login: how its second step was passed, and the device cookie to set, if any. */
export interface CompletedLogin {
  readonly secondFactor: Exclude<CompletedBy, 'asserted-login'>;
  /** The value of the remembered-device cookie to set (afresh at each use, so it lives as long as its record). */
  readonly deviceCookie?: string | undefined;
  /** The remembered device the login was made on (it stood for the code, or was remembered at it). */
  readonly deviceId?: string | undefined;
}

/**
 * The end of every login: the second step passed (a code, or this browser's remembered device),
 * the device remembered when the patient asked, and the login audited.
 */
export class LoginCompletion {
  readonly #deps: LoginCompletionDependencies;

  constructor(deps: LoginCompletionDependencies) {
    this.#deps = deps;
  }

  /** A right password from a remembered device of the account: the device stands for the second factor. */
  async withRememberedDevice(
    account: Account,
    device: RememberedDevice,
    cookie: string,
    sourceIp: string,
  ): Promise<CompletedLogin> {
    await Promise.all([
      this.#deps.devices.use(device),
      this.#loggedIn(account, sourceIp, 'remembered-device'),
    ]);
    return { secondFactor: 'remembered-device', deviceCookie: cookie, deviceId: device.deviceId };
  }

  /**
   * The code of the second step: checked (InvalidInputError or TooManyAttemptsError when it is
   * not right), then the device remembered when `remember` gives its browser's User-Agent.
   */
  async withCode(
    account: Account,
    step: LoginSecondStep,
    entry: {
      readonly code: string;
      readonly sourceIp: string;
      readonly remember?: { userAgent?: string | undefined };
    },
  ): Promise<CompletedLogin> {
    const { code, sourceIp, remember } = entry;
    const passed = await this.#deps.secondFactor.verify(account, step, code, sourceIp);
    // The device is remembered while the events are recorded, in the order they happened.
    const [deviceCookie] = await Promise.all([
      remember
        ? this.#deps.devices.remember(account.accountId, describeUserAgent(remember.userAgent))
        : undefined,
      (async () => {
        if (remember) await this.#record(account, 'device-remembered', sourceIp);
        await this.#loggedIn(account, sourceIp, step.codeChannel ?? 'sms');
      })(),
    ]);
    return { secondFactor: passed, deviceCookie, deviceId: deviceCookie?.split('.')[0] };
  }

  #loggedIn(account: Account, sourceIp: string, detail: string) {
    return this.#record(account, 'login-succeeded', sourceIp, detail);
  }

  async #record(
    account: Account,
    type: 'login-succeeded' | 'device-remembered',
    sourceIp: string,
    detail?: string,
  ): Promise<void> {
    await this.#deps.audit.record({
      accountId: account.accountId,
      type,
      at: this.#deps.clock().toISOString(),
      sourceIp,
      ...(detail ? { detail } : {}),
    });
  }
}

import { describe, expect, it } from 'vitest';
import type { Account } from '../../../../src/domain/accounts/account.ts';
import { LoginCompletion } from '../../../../src/domain/accounts/login-completion.ts';
import type { AuditEvent } from '../../../../src/domain/audit/audit-log.ts';
import type { RememberedDevice } from '../../../../src/domain/devices/remembered-devices.ts';
import { InvalidInputError } from '../../../../src/domain/invalid-input-error.ts';

const AT = new Date('2026-12-01T10:00:00Z');
const account = { accountId: 'account-1', email: 'patient@example.com' } as Account;
const device = { accountId: 'account-1', deviceId: 'device-1' } as RememberedDevice;

/** A completion over recording fakes: what was audited and which devices were remembered or used. */
const completion = (verify: () => Promise<'sms-code' | 'email-code'>) => {
  const events: AuditEvent[] = [];
  const remembered: string[] = [];
  const used: RememberedDevice[] = [];
  const service = new LoginCompletion({
    secondFactor: { verify },
    devices: {
      remember: async (_accountId, label) => {
        remembered.push(label);
        return 'device-2.secret-of-the-cookie';
      },
      use: async (usedDevice) => {
        used.push(usedDevice);
      },
    },
    audit: {
      record: async (event) => {
        events.push(event);
      },
    },
    clock: () => AT,
  });
  return { service, events, remembered, used };
};

describe('LoginCompletion', () => {
  it('remembers the device when asked, after a right code, and audits both in order', async () => {
    // Prepare
    const { service, events, remembered } = completion(async () => 'sms-code');

    // Act
    const login = await service.withCode(
      account,
      { codeChannel: 'sms' },
      { code: '123456', sourceIp: '192.0.2.1', remember: { userAgent: 'Mozilla/5.0 (iPhone)' } },
    );

    // Assess
    expect(login).toEqual({
      secondFactor: 'sms-code',
      deviceCookie: 'device-2.secret-of-the-cookie',
      deviceId: 'device-2',
    });
    expect(remembered).toHaveLength(1);
    expect(events.map((event) => [event.type, event.detail])).toEqual([
      ['device-remembered', undefined],
      ['login-succeeded', 'sms'],
    ]);
  });

  it('remembers nothing when not asked, and says the code came by email when it did', async () => {
    // Prepare
    const { service, events, remembered } = completion(async () => 'email-code');

    // Act
    const login = await service.withCode(
      account,
      { codeChannel: 'email' },
      { code: '123456', sourceIp: '192.0.2.1' },
    );

    // Assess
    expect(login).toEqual({ secondFactor: 'email-code', deviceCookie: undefined, deviceId: undefined });
    expect(remembered).toEqual([]);
    expect(events.map((event) => [event.type, event.detail])).toEqual([['login-succeeded', 'email']]);
  });

  it('records nothing and remembers no device when the code is not right', async () => {
    // Prepare
    const wrong = new InvalidInputError([{ field: 'code', message: 'The security code is not right' }]);
    const { service, events, remembered } = completion(async () => {
      throw wrong;
    });

    // Act
    const attempt = service.withCode(
      account,
      { codeChannel: 'sms' },
      { code: '000000', sourceIp: '192.0.2.1', remember: { userAgent: 'Mozilla/5.0' } },
    );

    // Assess
    await expect(attempt).rejects.toBe(wrong);
    expect(events).toEqual([]);
    expect(remembered).toEqual([]);
  });

  it('lets a remembered device stand for the second factor, marking it used and setting its cookie afresh', async () => {
    // Prepare
    const { service, events, used } = completion(async () => 'sms-code');

    // Act
    const login = await service.withRememberedDevice(account, device, 'cookie-value', '192.0.2.1');

    // Assess
    expect(login).toEqual({
      secondFactor: 'remembered-device',
      deviceCookie: 'cookie-value',
      deviceId: 'device-1',
    });
    expect(used).toEqual([device]);
    expect(events.map((event) => [event.type, event.detail, event.at])).toEqual([
      ['login-succeeded', 'remembered-device', AT.toISOString()],
    ]);
  });
});

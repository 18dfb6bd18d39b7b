import { describe, expect, it } from 'vitest';
import { securityCodeTextMessage } from '../../../../src/domain/messaging/sms-templates.ts';

/** The GSM 03.38 basic character set: a text message in it fits 160 characters a part. */
const GSM_BASIC = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà]*$/;

describe('securityCodeTextMessage', () => {
  it('puts the code first and names the service and the minutes it is valid for', () => {
    // Act
    const message = securityCodeTextMessage({
      to: '+447700900123',
      serviceName: 'NHS login',
      code: '123456',
      validForMinutes: 5,
    });

    // Assess
    expect(message).toEqual({
      kind: 'security-code',
      to: '+447700900123',
      text: '123456 is your NHS login security code. It expires in 5 minutes. Do not share it with anyone.',
    });
  });

  it('says "1 minute" for a one-minute code', () => {
    // Act
    const message = securityCodeTextMessage({
      to: '+447700900123',
      serviceName: 'Patient login',
      code: '654321',
      validForMinutes: 1,
    });

    // Assess
    expect(message.text).toBe(
      '654321 is your Patient login security code. It expires in 1 minute. Do not share it with anyone.',
    );
  });

  it('fits one GSM 7-bit message part', () => {
    // Act
    const { text } = securityCodeTextMessage({
      to: '+447700900123',
      serviceName: 'NHS login',
      code: '123456',
      validForMinutes: 10,
    });

    // Assess
    expect(text).toMatch(GSM_BASIC);
    expect(text.length).toBeLessThanOrEqual(160);
  });
});

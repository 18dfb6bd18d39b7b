import { describe, expect, it } from 'vitest';
import { defaultPhotoIdSettings } from '../../../src/domain/identity/photo-id/photo-id-settings.ts';
import { defaultLimits } from '../../../src/domain/limits/limits.ts';
import { loadFunctionConfig } from '../../../src/platform/function-config.ts';

const validEnv = {
  STAGE: 'dev',
  ISSUER: 'https://auth.example.nhs.uk',
  TABLE_NAME: 'patient-login',
  SIGNING_KEY_IDS: 'arn:key/current, arn:key/next',
  ACTIVE_SIGNING_KEY_ID: 'arn:key/current',
  EMAIL_FROM_ADDRESS: 'no-reply@auth.example.nhs.uk',
  PDS_SIGNING_KEY_ID: 'arn:key/pds',
  GP_CREDENTIALS_KEY_ID: 'arn:key/gp',
  MEDIA_BUCKET: 'media-bucket',
  PHOTO_ID_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check',
  STAFF_SECRETS_KEY_ID: 'arn:key/staff',
  APP_SECRETS_KEY_ID: 'arn:key/app',
};

describe('loadFunctionConfig', () => {
  it('reads a complete environment, with the defaults for what it leaves out', () => {
    // Act
    const config = loadFunctionConfig(validEnv);

    // Assess
    expect(config).toEqual({
      stage: 'dev',
      issuer: 'https://auth.example.nhs.uk',
      tableName: 'patient-login',
      signingKeyIds: ['arn:key/current', 'arn:key/next'],
      activeSigningKeyId: 'arn:key/current',
      logLevel: 'INFO',
      serviceName: 'NHS login',
      emailFromAddress: 'no-reply@auth.example.nhs.uk',
      sesConfigurationSet: undefined,
      smsSenderId: undefined,
      contactUrl: 'https://auth.example.nhs.uk/contact',
      allowedPhoneCountries: ['GB'],
      limits: defaultLimits,
      clientAddressSource: 'connection',
      pdsSigningKeyId: 'arn:key/pds',
      pdsBaseUrl: undefined,
      pdsTokenUrl: undefined,
      pdsApiKey: undefined,
      gpCredentialsKeyId: 'arn:key/gp',
      gpBaseUrl: undefined,
      gpApiKey: undefined,
      mediaBucket: 'media-bucket',
      photoIdStateMachineArn: 'arn:aws:states:eu-west-2:111122223333:stateMachine:photo-id-check',
      photoId: defaultPhotoIdSettings,
      staffSecretsKeyId: 'arn:key/staff',
      appSecretsKeyId: 'arn:key/app',
    });
  });

  it('reads every optional setting when it is given', () => {
    // Act
    const config = loadFunctionConfig({
      ...validEnv,
      LOG_LEVEL: 'DEBUG',
      SERVICE_NAME: 'Patient login (dev)',
      SES_CONFIGURATION_SET: 'patient-login_dev',
      SMS_SENDER_ID: 'NHSlogin',
      CONTACT_URL: 'https://help.example.nhs.uk/contact-us',
      ALLOWED_PHONE_COUNTRIES: 'GB, IE,JE',
      LIMITS: '{"securityCodeAttempts": 3, "sessionIdleSeconds": 900}',
      CLIENT_ADDRESS_SOURCE: 'cloudfront-viewer-address',
      PDS_BASE_URL: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4',
      PDS_TOKEN_URL: 'https://int.api.service.nhs.uk/oauth2/token',
      PDS_API_KEY: 'api-key',
    });

    // Assess
    expect(config).toMatchObject({
      logLevel: 'DEBUG',
      serviceName: 'Patient login (dev)',
      sesConfigurationSet: 'patient-login_dev',
      smsSenderId: 'NHSlogin',
      contactUrl: 'https://help.example.nhs.uk/contact-us',
      allowedPhoneCountries: ['GB', 'IE', 'JE'],
      clientAddressSource: 'cloudfront-viewer-address',
      pdsBaseUrl: 'https://int.api.service.nhs.uk/personal-demographics/FHIR/R4',
      pdsTokenUrl: 'https://int.api.service.nhs.uk/oauth2/token',
      pdsApiKey: 'api-key',
    });
    expect(config.limits).toEqual({ ...defaultLimits, securityCodeAttempts: 3, sessionIdleSeconds: 900 });
  });

  it.each([
    ['an issuer with a trailing slash', { ISSUER: 'https://auth.example.nhs.uk/' }, 'ISSUER'],
    ['an issuer with a query', { ISSUER: 'https://auth.example.nhs.uk?a=b' }, 'ISSUER'],
    ['an issuer that is not a URL', { ISSUER: 'auth.example' }, 'ISSUER'],
    ['a plain http issuer', { ISSUER: 'http://auth.example.nhs.uk' }, 'ISSUER'],
    ['a plain http issuer on localhost', { ISSUER: 'http://localhost:3000' }, 'ISSUER'],
    ['no table name', { TABLE_NAME: undefined }, 'TABLE_NAME'],
    ['no PDS key', { PDS_SIGNING_KEY_ID: undefined }, 'PDS_SIGNING_KEY_ID'],
    ['no GP credentials key', { GP_CREDENTIALS_KEY_ID: undefined }, 'GP_CREDENTIALS_KEY_ID'],
    ['a plain http GP broker', { GP_BASE_URL: 'http://gp.example.nhs.uk' }, 'GP_BASE_URL'],
    ['no media bucket', { MEDIA_BUCKET: undefined }, 'MEDIA_BUCKET'],
    ['no staff secrets key', { STAFF_SECRETS_KEY_ID: undefined }, 'STAFF_SECRETS_KEY_ID'],
    ['no app secrets key', { APP_SECRETS_KEY_ID: undefined }, 'APP_SECRETS_KEY_ID'],
    [
      'a state machine that is not one',
      { PHOTO_ID_STATE_MACHINE_ARN: 'arn:aws:lambda:x' },
      'PHOTO_ID_STATE_MACHINE_ARN',
    ],
    ['photo-ID settings that are not JSON', { PHOTO_ID: '{' }, 'PHOTO_ID'],
    ['an unknown photo-ID setting', { PHOTO_ID: '{"reviewMinutes": 60}' }, 'PHOTO_ID'],
    [
      'staffed hours that close before they open',
      { PHOTO_ID: '{"staffedHours": {"opens": "21:00", "closes": "09:00"}}' },
      'PHOTO_ID',
    ],
    ['a retention beyond 14 days', { PHOTO_ID: '{"mediaRetentionDays": 15}' }, 'PHOTO_ID'],
    ['a plain http PDS', { PDS_BASE_URL: 'http://pds.example.nhs.uk/FHIR/R4' }, 'PDS_BASE_URL'],
    [
      'a PDS base with a trailing slash',
      { PDS_BASE_URL: 'https://pds.example.nhs.uk/FHIR/R4/' },
      'PDS_BASE_URL',
    ],
    [
      'a plain http PDS token URL',
      { PDS_TOKEN_URL: 'http://pds.example.nhs.uk/oauth2/token' },
      'PDS_TOKEN_URL',
    ],
    [
      'an active key that is not published',
      { ACTIVE_SIGNING_KEY_ID: 'arn:key/other' },
      'ACTIVE_SIGNING_KEY_ID',
    ],
    ['an unknown log level', { LOG_LEVEL: 'LOUD' }, 'LOG_LEVEL'],
    ['an empty service name', { SERVICE_NAME: '' }, 'SERVICE_NAME'],
    ['a service name with a quote', { SERVICE_NAME: 'NHS "login"' }, 'SERVICE_NAME'],
    ['a service name of more than 40 characters', { SERVICE_NAME: 'N'.repeat(41) }, 'SERVICE_NAME'],
    ['no from address', { EMAIL_FROM_ADDRESS: undefined }, 'EMAIL_FROM_ADDRESS'],
    ['a from address that is not one', { EMAIL_FROM_ADDRESS: 'no-reply' }, 'EMAIL_FROM_ADDRESS'],
    [
      'a from address with a display name',
      { EMAIL_FROM_ADDRESS: 'NHS login <no-reply@auth.example.nhs.uk>' },
      'EMAIL_FROM_ADDRESS',
    ],
    [
      'a configuration set name with a dot',
      { SES_CONFIGURATION_SET: 'patient.login' },
      'SES_CONFIGURATION_SET',
    ],
    ['a sender ID of 2 characters', { SMS_SENDER_ID: 'NH' }, 'SMS_SENDER_ID'],
    ['a sender ID of 12 characters', { SMS_SENDER_ID: 'NHSloginNHSl' }, 'SMS_SENDER_ID'],
    ['a sender ID with a space', { SMS_SENDER_ID: 'NHS login' }, 'SMS_SENDER_ID'],
    ['a sender ID of digits only', { SMS_SENDER_ID: '12345' }, 'SMS_SENDER_ID'],
    ['a contact URL that is not one', { CONTACT_URL: 'contact us' }, 'CONTACT_URL'],
    ['a plain http contact URL', { CONTACT_URL: 'http://help.example.nhs.uk' }, 'CONTACT_URL'],
    ['a phone country that is not a code', { ALLOWED_PHONE_COUNTRIES: 'UK' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['a lower-case phone country', { ALLOWED_PHONE_COUNTRIES: 'gb' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['no phone country at all', { ALLOWED_PHONE_COUNTRIES: ' , ' }, 'ALLOWED_PHONE_COUNTRIES'],
    ['limits that are not JSON', { LIMITS: 'securityCodeAttempts=3' }, 'LIMITS'],
    ['limits that are not an object', { LIMITS: '[3]' }, 'LIMITS'],
    ['an unknown limit', { LIMITS: '{"codeAttempts": 3}' }, 'LIMITS'],
    ['a limit that is not a positive whole number', { LIMITS: '{"securityCodeAttempts": 0}' }, 'LIMITS'],
    ['an idle timeout longer than the absolute one', { LIMITS: '{"sessionIdleSeconds": 50000}' }, 'LIMITS'],
    [
      'a client address header a client could set',
      { CLIENT_ADDRESS_SOURCE: 'x-forwarded-for' },
      'CLIENT_ADDRESS_SOURCE',
    ],
  ])('refuses %s, naming the variable', (_case, overrides, variable) => {
    // Act
    const load = () => loadFunctionConfig({ ...validEnv, ...overrides });

    // Assess
    expect(load).toThrow(new RegExp(`Invalid function configuration: .*${variable}`));
  });
});

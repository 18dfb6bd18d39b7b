import type { Account } from '../../../../src/domain/accounts/account.ts';
import type { ClaimsSource, VerifiedIdentity } from '../../../../src/domain/oidc/claims.ts';

/** A P0 account as registration leaves it: email and phone confirmed, nothing proven. */
export const p0Account: Account = {
  accountId: 'account-1',
  subject: '5c3e3a47-6c3b-4a39-a3f6-5a4f5e0b8a11',
  email: 'Pat.Smith@example.test',
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g',
  phoneNumber: '+447700900123',
  proofingLevel: 'P0',
  createdAt: '2026-01-05T09:00:00.000Z',
};

export const provenIdentity: VerifiedIdentity = {
  nhsNumber: '9912003888',
  familyName: 'SMITH',
  givenName: 'Pat',
  birthdate: '1980-02-29',
  gpOdsCode: 'A12345',
  gpIntegrationCredentials: { gpUserId: 'gp-user-1', gpLinkageKey: 'linkage-key-1', gpOdsCode: 'A12345' },
  phoneNumberPdsMatched: true,
};

export const p9Account: ClaimsSource = { ...p0Account, proofingLevel: 'P9', identity: provenIdentity };
export const p5Account: ClaimsSource = { ...p0Account, proofingLevel: 'P5', identity: provenIdentity };

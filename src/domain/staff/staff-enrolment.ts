import { randomBytes, randomUUID } from 'node:crypto';
import { checkNewEmailAddress } from '../accounts/email-address.ts';
import type { Clock } from '../clock.ts';
import type { PasswordHasher } from '../credentials/password-hasher.ts';
import type { SecretBox } from '../identity/secret-box.ts';
import { InvalidInputError } from '../invalid-input-error.ts';
import { newTotpSecret } from '../second-factors/totp.ts';
import {
  type StaffAccount,
  type StaffAccountStore,
  type StaffRole,
  totpSecretContext,
} from './staff-account.ts';
import { normaliseStaffEmail } from './staff-login.ts';

/** What the person adding a member of staff hands over, once: it is stored only hashed or sealed. */
export interface StaffCredentials {
  readonly account: StaffAccount;
  readonly password: string;
  /** The authenticator app's key, to type in (base32). */
  readonly totpSecret: string;
  /** The same key as an `otpauth://` URI, for a QR code. */
  readonly totpUri: string;
}

export interface StaffEnrolmentDependencies {
  readonly staff: StaffAccountStore;
  readonly hasher: PasswordHasher;
  readonly secrets: Pick<SecretBox, 'seal'>;
  readonly clock: Clock;
  /** The issuer name the authenticator app shows beside the code. */
  readonly issuerName: string;
}

/** A generated password: 144 random bits, so no policy or list check is needed. */
const newPassword = () => randomBytes(18).toString('base64url');

const credentialsFor = async (
  deps: StaffEnrolmentDependencies,
  staffId: string,
  email: string,
): Promise<{
  password: string;
  passwordHash: string;
  totpSecret: string;
  sealedTotpSecret: string;
  totpUri: string;
}> => {
  const password = newPassword();
  const totp = await newTotpSecret(deps.issuerName, email);
  return {
    password,
    passwordHash: await deps.hasher.hash(password),
    totpSecret: totp.secret,
    sealedTotpSecret: await deps.secrets.seal(totp.secret, totpSecretContext(staffId)),
    totpUri: totp.uri,
  };
};

/**
 * Adds a member of staff with a generated password and authenticator key, shown once to whoever
 * runs `npm run staff -- add`; ConflictError when the address has an account.
 */
export const addStaffMember = async (
  deps: StaffEnrolmentDependencies,
  request: { readonly email: string; readonly name: string; readonly role: StaffRole },
): Promise<StaffCredentials> => {
  const email = normaliseStaffEmail(request.email);
  const name = request.name.trim();
  const problems = [
    ...checkNewEmailAddress(email),
    ...(name.length > 0 && name.length <= 100
      ? []
      : [{ field: 'name', message: 'Enter a name of up to 100 characters' }]),
  ];
  if (problems.length > 0) throw new InvalidInputError(problems);
  const staffId = randomUUID();
  const { password, passwordHash, totpSecret, sealedTotpSecret, totpUri } = await credentialsFor(
    deps,
    staffId,
    email,
  );
  const account: StaffAccount = {
    staffId,
    email,
    name,
    role: request.role,
    passwordHash,
    sealedTotpSecret,
    createdAt: deps.clock().toISOString(),
  };
  await deps.staff.create(account);
  return { account, password, totpSecret, totpUri };
};

/** A new password and authenticator key for a member of staff who lost theirs; the old ones stop working. */
export const resetStaffCredentials = async (
  deps: StaffEnrolmentDependencies,
  account: StaffAccount,
): Promise<StaffCredentials> => {
  const { password, passwordHash, totpSecret, sealedTotpSecret, totpUri } = await credentialsFor(
    deps,
    account.staffId,
    account.email,
  );
  await deps.staff.replaceCredentials(account.staffId, passwordHash, sealedTotpSecret);
  return { account, password, totpSecret, totpUri };
};

import type { GpIntegrationCredentials } from './gp-online-services.ts';

/**
 * Encryption of a secret kept at rest, bound to a context (what it is and whose) that must be
 * given again to open it: a sealed value copied to another purpose or patient does not open.
 */
export interface SecretBox {
  seal(plaintext: string, context: Readonly<Record<string, string>>): Promise<string>;
  /** Throws when the value was not sealed by this box's key with this context. */
  open(sealed: string, context: Readonly<Record<string, string>>): Promise<string>;
}

/**
 * GP credentials are sealed to their purpose only. KMS logs the encryption context, and anything
 * derived from the NHS number there (even a digest: there are only about 10^9 numbers) would put
 * the number in CloudTrail; binding them to an account would stop a replacing account taking them
 * over without a function that may decrypt. The account item that holds them is the binding.
 */
const gpCredentialsContext = { purpose: 'gp-integration-credentials' } as const;

export const sealGpCredentials = (
  box: Pick<SecretBox, 'seal'>,
  credentials: GpIntegrationCredentials,
): Promise<string> => box.seal(JSON.stringify(credentials), gpCredentialsContext);

export const openGpCredentials = async (
  box: Pick<SecretBox, 'open'>,
  sealed: string,
): Promise<GpIntegrationCredentials> =>
  JSON.parse(await box.open(sealed, gpCredentialsContext)) as GpIntegrationCredentials;

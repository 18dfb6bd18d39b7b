import { createHash } from 'node:crypto';
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
 * GP credentials are sealed to the patient's NHS number (as a digest: the context is logged by
 * KMS), not to an account, so they stay openable when a replacing account takes them over.
 */
const gpCredentialsContext = (nhsNumber: string) => ({
  purpose: 'gp-integration-credentials',
  patient: createHash('sha256').update(nhsNumber).digest('base64url'),
});

export const sealGpCredentials = (
  box: Pick<SecretBox, 'seal'>,
  nhsNumber: string,
  credentials: GpIntegrationCredentials,
): Promise<string> => box.seal(JSON.stringify(credentials), gpCredentialsContext(nhsNumber));

export const openGpCredentials = async (
  box: Pick<SecretBox, 'open'>,
  nhsNumber: string,
  sealed: string,
): Promise<GpIntegrationCredentials> =>
  JSON.parse(await box.open(sealed, gpCredentialsContext(nhsNumber))) as GpIntegrationCredentials;

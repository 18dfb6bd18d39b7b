/** Phone numbers the service has texted before (recently enough to remember), by E.164 number. */
export interface KnownPhoneNumbers {
  /** Whether the service has texted this number before. */
  isKnown(e164: string): Promise<boolean>;
  /** Remembers that the service has texted this number. */
  remember(e164: string): Promise<void>;
}

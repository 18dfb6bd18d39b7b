/** What messages and pages say about the service, and where its links point. */
export interface PatientServiceSettings {
  /** As patients see it, e.g. "NHS login". */
  readonly serviceName: string;
  /** The public base URL of the hosted pages (the issuer), for links in emails. */
  readonly baseUrl: string;
  /** Where patients can get help. */
  readonly contactLink: string;
}

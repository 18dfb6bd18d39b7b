import type { RouteId } from '../../routes.ts';

/** The absolute URL of one of our pages, for a link in an email: the domain names the page, not its path. */
export type PageUrl = (page: RouteId, query?: Readonly<Record<string, string>>) => string;

/** What messages and pages say about the service, and where its links point. */
export interface PatientServiceSettings {
  /** As patients see it, e.g. "NHS login". */
  readonly serviceName: string;
  /** Links to our pages in emails. */
  readonly pageUrl: PageUrl;
  /** Where patients can get help. */
  readonly contactLink: string;
}

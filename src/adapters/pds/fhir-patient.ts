import type { DemographicsRecord } from '../../domain/identity/demographics.ts';

/** The parts of a PDS FHIR R4 Patient resource the service reads; everything else is ignored. */
interface FhirPatient {
  readonly resourceType?: string;
  readonly id?: string;
  readonly identifier?: readonly {
    readonly system?: string;
    readonly value?: string;
    readonly extension?: readonly FhirExtension[];
  }[];
  readonly meta?: { readonly security?: readonly { readonly code?: string }[] };
  readonly name?: readonly FhirName[];
  readonly birthDate?: string;
  readonly deceasedDateTime?: string;
  readonly deceasedBoolean?: boolean;
  readonly address?: readonly {
    readonly use?: string;
    readonly postalCode?: string;
    readonly period?: FhirPeriod;
  }[];
  readonly telecom?: readonly {
    readonly system?: string;
    readonly use?: string;
    readonly value?: string;
    readonly period?: FhirPeriod;
  }[];
  readonly generalPractitioner?: readonly { readonly identifier?: { readonly value?: string } }[];
}

interface FhirName {
  readonly use?: string;
  readonly given?: readonly string[];
  readonly family?: string;
  readonly period?: FhirPeriod;
}

interface FhirPeriod {
  readonly start?: string;
  readonly end?: string;
}

interface FhirExtension {
  readonly url?: string;
  readonly valueCodeableConcept?: { readonly coding?: readonly { readonly code?: string }[] };
}

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';

/** Current on `today` (YYYY-MM-DD): no period, or one that has begun and not ended. */
const isCurrent = (period: FhirPeriod | undefined, today: string): boolean =>
  !period || ((!period.start || period.start <= today) && (!period.end || period.end >= today));

/** The usual name that is current, else any usual name, else the first name. */
const usualName = (names: readonly FhirName[], today: string): FhirName | undefined =>
  names.find((name) => name.use === 'usual' && isCurrent(name.period, today)) ??
  names.find((name) => name.use === 'usual') ??
  names[0];

/** Thrown for a body that is not a Patient resource PDS could have sent. */
export class UnreadablePatientError extends Error {}

/**
 * Reads a PDS Patient resource into a DemographicsRecord: the usual name, birth date, death,
 * current home postcodes, the registered GP's ODS code, mobile numbers, the NHS number's
 * verification status and whether the record is restricted. `today` decides which periods
 * are current.
 */
export const recordFromFhirPatient = (body: unknown, today: string): DemographicsRecord => {
  const patient = body as FhirPatient;
  if (patient?.resourceType !== 'Patient' || typeof patient.id !== 'string')
    throw new UnreadablePatientError('Not a Patient resource');
  const identifier = patient.identifier?.find((entry) => entry.system === NHS_NUMBER_SYSTEM);
  const nhsNumber = identifier?.value ?? patient.id;
  const verification = identifier?.extension?.find((extension) =>
    extension.url?.endsWith('NHSNumberVerificationStatus'),
  );
  const name = usualName(patient.name ?? [], today);
  return {
    nhsNumber,
    givenNames: name?.given ?? [],
    familyName: name?.family,
    birthDate: patient.birthDate,
    deceased: patient.deceasedDateTime !== undefined || patient.deceasedBoolean === true,
    postalCodes: (patient.address ?? [])
      .filter((address) => address.use !== 'old' && isCurrent(address.period, today))
      .flatMap((address) => (address.postalCode ? [address.postalCode] : [])),
    gpOdsCode: patient.generalPractitioner?.[0]?.identifier?.value,
    mobileNumbers: (patient.telecom ?? [])
      .filter(
        (telecom) =>
          telecom.system === 'phone' && telecom.use === 'mobile' && isCurrent(telecom.period, today),
      )
      .flatMap((telecom) => (telecom.value ? [telecom.value] : [])),
    nhsNumberVerified: verification?.valueCodeableConcept?.coding?.[0]?.code === '01',
    restricted: patient.meta?.security?.some((label) => label.code === 'R') ?? false,
  };
};

/** The Spine error code of a FHIR OperationOutcome (`INVALIDATED_RESOURCE`, `TOO_MANY_MATCHES`...), if it is one. */
export const spineErrorCode = (body: unknown): string | undefined => {
  const outcome = body as {
    resourceType?: string;
    issue?: readonly { details?: { coding?: readonly { code?: string }[] } }[];
  };
  if (outcome?.resourceType !== 'OperationOutcome') return undefined;
  return outcome.issue?.[0]?.details?.coding?.[0]?.code;
};

/** The entries of a searchset Bundle (its Patient resources); refuses any other body. */
export const patientsOfSearchset = (body: unknown): unknown[] => {
  const bundle = body as { resourceType?: string; type?: string; entry?: readonly { resource?: unknown }[] };
  if (bundle?.resourceType !== 'Bundle' || bundle.type !== 'searchset')
    throw new UnreadablePatientError('Not a searchset Bundle');
  return (bundle.entry ?? []).map((entry) => entry.resource);
};

import { describe, expect, it } from 'vitest';
import {
  patientsOfSearchset,
  recordFromFhirPatient,
  spineErrorCode,
  UnreadablePatientError,
} from '../../../../src/adapters/pds/fhir-patient.ts';

const TODAY = '2026-12-01';

/** A Patient shaped as PDS publishes its example: periods, several names and addresses, extensions. */
const patient = (changes: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  id: '9000000009',
  identifier: [
    {
      system: 'https://fhir.nhs.uk/Id/nhs-number',
      value: '9000000009',
      extension: [
        {
          url: 'https://fhir.nhs.uk/R4/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
          valueCodeableConcept: {
            coding: [
              { system: 'https://fhir.nhs.uk/R4/CodeSystem/UKCore-NHSNumberVerificationStatus', code: '01' },
            ],
          },
        },
      ],
    },
  ],
  meta: {
    versionId: '2',
    security: [{ system: 'https://www.hl7.org/fhir/valueset-security-labels.html', code: 'U' }],
  },
  name: [
    {
      id: '1',
      use: 'old',
      given: ['Janet'],
      family: 'Jones',
      period: { start: '1990-01-01', end: '2010-12-31' },
    },
    {
      id: '2',
      use: 'usual',
      given: ['Jane', 'Anne'],
      family: 'Smith',
      prefix: ['Mrs'],
      period: { start: '2011-01-01' },
    },
  ],
  gender: 'female',
  birthDate: '1980-10-22',
  address: [
    {
      id: '1',
      use: 'home',
      line: ['1 Trevelyan Square'],
      postalCode: 'LS1 6AE',
      period: { start: '2020-01-01' },
    },
    {
      id: '2',
      use: 'home',
      line: ['2 Old Road'],
      postalCode: 'LS9 9ZZ',
      period: { start: '2000-01-01', end: '2019-12-31' },
    },
  ],
  telecom: [
    { id: '1', system: 'phone', use: 'mobile', value: '07700900001' },
    { id: '2', system: 'phone', use: 'home', value: '01632960587' },
    { id: '3', system: 'email', use: 'home', value: 'jane.smith@example.com' },
  ],
  generalPractitioner: [
    {
      id: '1',
      type: 'Organization',
      identifier: { system: 'https://fhir.nhs.uk/Id/ods-organization-code', value: 'Y12345' },
    },
  ],
  ...changes,
});

describe('reading a PDS Patient resource', () => {
  it('reads the usual name, birth date, current postcodes, GP, mobiles and verification', () => {
    expect(recordFromFhirPatient(patient(), TODAY)).toEqual({
      nhsNumber: '9000000009',
      givenNames: ['Jane', 'Anne'],
      familyName: 'Smith',
      birthDate: '1980-10-22',
      deceased: false,
      postalCodes: ['LS1 6AE'],
      gpOdsCode: 'Y12345',
      mobileNumbers: ['07700900001'],
      nhsNumberVerified: true,
      restricted: false,
    });
  });

  it('reads a death, whether a date or a flag', () => {
    expect(
      recordFromFhirPatient(patient({ deceasedDateTime: '2024-01-01T00:00:00+00:00' }), TODAY).deceased,
    ).toBe(true);
    expect(recordFromFhirPatient(patient({ deceasedBoolean: true }), TODAY).deceased).toBe(true);
  });

  it('reads a restricted record, which comes without its location fields', () => {
    const restricted = patient({
      meta: { security: [{ code: 'R', display: 'restricted' }] },
      address: undefined,
      telecom: undefined,
      generalPractitioner: undefined,
    });
    expect(recordFromFhirPatient(restricted, TODAY)).toMatchObject({
      restricted: true,
      postalCodes: [],
      mobileNumbers: [],
      gpOdsCode: undefined,
    });
  });

  it('reads a superseding record under its own NHS number', () => {
    const superseding = patient({
      id: '9000000068',
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9000000068' }],
    });
    expect(recordFromFhirPatient(superseding, TODAY)).toMatchObject({
      nhsNumber: '9000000068',
      nhsNumberVerified: false,
    });
  });

  it('reads the verification status under either extension URL PDS uses', () => {
    const hl7 = patient({
      identifier: [
        {
          system: 'https://fhir.nhs.uk/Id/nhs-number',
          value: '9000000009',
          extension: [
            {
              url: 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus',
              valueCodeableConcept: { coding: [{ code: '02' }] },
            },
          ],
        },
      ],
    });
    expect(recordFromFhirPatient(hl7, TODAY).nhsNumberVerified).toBe(false);
  });

  it.each([
    ['an OperationOutcome', { resourceType: 'OperationOutcome', issue: [] }],
    ['a Bundle', { resourceType: 'Bundle', type: 'searchset' }],
    ['a Patient without an id', { resourceType: 'Patient' }],
    ['nothing', null],
  ])('refuses %s', (_case, body) => {
    expect(() => recordFromFhirPatient(body, TODAY)).toThrow(UnreadablePatientError);
  });

  it('reads the Spine code of an OperationOutcome, and the entries of a searchset', () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'value', details: { coding: [{ code: 'INVALIDATED_RESOURCE' }] } }],
    };
    expect(spineErrorCode(outcome)).toBe('INVALIDATED_RESOURCE');
    expect(spineErrorCode(patient())).toBeUndefined();
    expect(patientsOfSearchset({ resourceType: 'Bundle', type: 'searchset', total: 0 })).toEqual([]);
    expect(() => patientsOfSearchset(outcome)).toThrow(UnreadablePatientError);
  });
});

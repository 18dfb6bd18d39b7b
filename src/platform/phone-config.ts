import { isSupportedCountry } from 'libphonenumber-js/max';
import * as z from 'zod/mini';
import { commaList, configNames, type Setting } from './config.ts';

/** ISO 3166-1 alpha-2 codes of the countries whose mobile numbers may receive security codes. */
export const phoneCountriesSchema = z.pipe(
  commaList,
  z
    .array(
      z
        .string()
        .check(
          z.refine(
            (code) => /^[A-Z]{2}$/.test(code) && isSupportedCountry(code),
            'must be ISO 3166-1 alpha-2 country codes with phone numbering, like GB',
          ),
        ),
    )
    .check(z.minLength(1)),
);

/** The phone countries setting, for the functions that send security codes (they carry the metadata anyway). */
export const allowedPhoneCountries = {
  variable: configNames.allowedPhoneCountries,
  schema: z._default(phoneCountriesSchema, ['GB']),
} satisfies Setting;

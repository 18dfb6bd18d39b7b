/**
 * Vectors of trust as NHS login uses them (reference section 3): an identity proofing level
 * (P0, P5, P9) and an authentication credential combination (Cp, Cp.Cd, Cp.Ck, Cm).
 */
export const proofingLevels = ['P0', 'P5', 'P9'] as const;
export const credentialCombinations = ['Cp', 'Cp.Cd', 'Cp.Ck', 'Cm'] as const;

export type ProofingLevel = (typeof proofingLevels)[number];
export type CredentialCombination = (typeof credentialCombinations)[number];
export type VectorOfTrust = `${ProofingLevel}.${CredentialCombination}`;

/** Every vector NHS login's specification lists (EIS Table 21): 3 levels x 4 credential combinations. */
export const allVectors: readonly VectorOfTrust[] = proofingLevels.flatMap((level) =>
  credentialCombinations.map((credentials) => `${level}.${credentials}` as VectorOfTrust),
);

/** The vtr an authorize request gets when it sends none. */
export const defaultVtr: readonly VectorOfTrust[] = ['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'];

export const isVectorOfTrust = (value: string): value is VectorOfTrust =>
  (allVectors as readonly string[]).includes(value);

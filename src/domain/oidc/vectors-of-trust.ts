import { quoteForDescription } from './oidc-errors.ts';

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

/**
 * A vector a relying party may put in `vtr`: a full vector, or one part alone, the other part then
 * meaning "any value" (EIS §5.1.3): `P9` is P9 with any credentials, `Cp.Cd` is Cp.Cd at any level.
 */
export type RequestedVector = VectorOfTrust | ProofingLevel | CredentialCombination;

/** A vector's parts; an absent part means any value. */
export interface VectorParts {
  readonly proofingLevel?: ProofingLevel;
  readonly credentials?: CredentialCombination;
}

/** How a patient logged in: the account's proofing level and the credentials used this time. */
export interface AchievedLogin {
  readonly proofingLevel: ProofingLevel;
  readonly credentials: CredentialCombination;
}

export type VtrParseResult =
  | { readonly valid: true; readonly vectors: readonly RequestedVector[] }
  | { readonly valid: false; readonly problem: string };

/** The best vector a login meets, or why none is met (what to ask the patient for next). */
export type VectorMatch =
  | {
      readonly met: true;
      /** The requested vector that is met, as the relying party wrote it. */
      readonly vector: RequestedVector;
      /** What goes in the tokens' `vot`: the vector met, any part it left out filled from the login. */
      readonly vot: VectorOfTrust;
    }
  | {
      readonly met: false;
      readonly reason: 'proofing-too-low';
      /** The lowest proofing level any requested vector accepts: where "prove who you are" must reach. */
      readonly proofingLevel: ProofingLevel;
    }
  | {
      readonly met: false;
      readonly reason: 'credentials-not-enough';
      /** The credential combinations the requested vectors accept at the patient's proofing level. */
      readonly credentials: readonly CredentialCombination[];
    };

const credentialComponents = ['Cp', 'Cd', 'Ck', 'Cm'] as const;
type CredentialComponent = (typeof credentialComponents)[number];

/**
 * Quotes that word processors put in place of `"`; NHS login's own vtr example has a `”`
 * (reference section 8.3). Named by code point, as an error description must be ASCII.
 */
const typographicQuotes: Readonly<Record<string, string>> = {
  '\u2018': 'U+2018, left single quotation mark',
  '\u2019': 'U+2019, right single quotation mark',
  '\u201A': 'U+201A, single low-9 quotation mark',
  '\u201B': 'U+201B, single high-reversed-9 quotation mark',
  '\u201C': 'U+201C, left double quotation mark',
  '\u201D': 'U+201D, right double quotation mark',
  '\u201E': 'U+201E, double low-9 quotation mark',
  '\u201F': 'U+201F, double high-reversed-9 quotation mark',
  '\u2032': 'U+2032, prime',
  '\u2033': 'U+2033, double prime',
  '\u00AB': 'U+00AB, left-pointing double angle quotation mark',
  '\u00BB': 'U+00BB, right-pointing double angle quotation mark',
  '\uFF02': 'U+FF02, fullwidth quotation mark',
};

const EXAMPLE = 'for example the default: P9.Cp.Cd, P9.Cp.Ck and P9.Cm, each in straight double quotes';

const isProofingLevel = (value: string): value is ProofingLevel =>
  (proofingLevels as readonly string[]).includes(value);

const isCredentialCombination = (value: string): value is CredentialCombination =>
  (credentialCombinations as readonly string[]).includes(value);

const isCredentialComponent = (value: string): value is CredentialComponent =>
  (credentialComponents as readonly string[]).includes(value);

const itemLabel = (index: number, item: string): string => {
  const value = quoteForDescription(item);
  return `vtr item ${index + 1}${value === undefined ? '' : ` (${value})`}`;
};

const jsonKind = (value: unknown): string => {
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
};

type VectorParse = { readonly vector: RequestedVector } | { readonly problem: string };

/** Parses one vector string, which must be written in canonical form so `vot` can equal it. */
const parseVector = (value: string, label: string): VectorParse => {
  if (value === '') return { problem: `${label} is an empty string` };
  const components = value.split('.');
  const unknown = components.find(
    (component) => !isProofingLevel(component) && !isCredentialComponent(component),
  );
  if (unknown === '')
    return { problem: `${label} has an empty component: a dot at an end or two dots together` };
  if (unknown !== undefined) {
    const value = quoteForDescription(unknown);
    return {
      problem: `${label} has an unknown component${value === undefined ? '' : ` ${value}`}: proofing levels are P0, P5 and P9, credentials are Cp, Cd, Ck and Cm`,
    };
  }
  const levels = components.filter(isProofingLevel);
  if (levels.length > 1) return { problem: `${label} names more than one proofing level` };
  const credentials = components.filter(isCredentialComponent);
  const repeated = credentials.find((component, index) => credentials.indexOf(component) !== index);
  if (repeated !== undefined) return { problem: `${label} names ${repeated} twice` };
  const combination = credentialComponents.filter((component) => credentials.includes(component)).join('.');
  if (combination !== '' && !isCredentialCombination(combination)) {
    return {
      problem: `${label} combines the credentials ${combination}, which is not one of Cp, Cp.Cd, Cp.Ck and Cm`,
    };
  }
  const canonical = [...levels, ...(combination === '' ? [] : [combination])].join('.');
  if (canonical !== value) return { problem: `${label} must be written ${canonical}` };
  return { vector: canonical as RequestedVector };
};

const findTypographicQuote = (raw: string): string | undefined =>
  [...raw].find((character) => Object.hasOwn(typographicQuotes, character));

/**
 * Parses the `vtr` parameter (already URL-decoded): a JSON array of vector strings, each a
 * proofing level and a credential combination joined by dots in that order, either part
 * optional. Absent (or empty, as RFC 6749 §3.1 treats empty parameters) means the default.
 * Vectors listed twice are kept once. The problem, when there is one, is fit for an
 * `error_description`: ASCII, without `"` or `\`.
 */
export const parseVtr = (raw: string | undefined): VtrParseResult => {
  if (raw === undefined || raw === '') return { valid: true, vectors: defaultVtr };
  const quote = findTypographicQuote(raw);
  if (quote !== undefined) {
    return {
      valid: false,
      problem: `vtr contains a typographic quote (${typographicQuotes[quote]}), as pasted from a document: write the JSON with straight double quotes`,
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return {
      valid: false,
      problem: `vtr is not valid JSON: send a JSON array of vector strings, ${EXAMPLE}`,
    };
  }
  if (!Array.isArray(parsed)) {
    return {
      valid: false,
      problem: `vtr must be a JSON array of vector strings, not ${jsonKind(parsed)}: put the vectors in square brackets`,
    };
  }
  if (parsed.length === 0) return { valid: false, problem: `vtr must list at least one vector, ${EXAMPLE}` };
  const vectors: RequestedVector[] = [];
  for (const [index, item] of parsed.entries()) {
    if (typeof item !== 'string') {
      return { valid: false, problem: `vtr item ${index + 1} is ${jsonKind(item)}, not a string` };
    }
    const parsedVector = parseVector(item, itemLabel(index, item));
    if ('problem' in parsedVector) return { valid: false, problem: parsedVector.problem };
    if (!vectors.includes(parsedVector.vector)) vectors.push(parsedVector.vector);
  }
  return { valid: true, vectors };
};

/** Every form a requested vector may take (19 in all). */
export const requestableVectors: readonly RequestedVector[] = [
  ...allVectors,
  ...proofingLevels,
  ...credentialCombinations,
];

export const isRequestedVector = (value: string): value is RequestedVector =>
  (requestableVectors as readonly string[]).includes(value);

/** Splits a vector into its proofing level and credential combination, either possibly absent. */
export const vectorParts = (vector: RequestedVector): VectorParts => {
  if (isProofingLevel(vector)) return { proofingLevel: vector };
  if (isCredentialCombination(vector)) return { credentials: vector };
  const [proofingLevel, ...credentials] = vector.split('.');
  return {
    proofingLevel: proofingLevel as ProofingLevel,
    credentials: credentials.join('.') as CredentialCombination,
  };
};

/** The full vectors a requested vector accepts as `vot`: itself, or every value of a part left out. */
export const coveredVectors = (vector: RequestedVector): readonly VectorOfTrust[] => {
  const parts = vectorParts(vector);
  return allVectors.filter((candidate) => {
    const full = vectorParts(candidate);
    return (
      (parts.proofingLevel ?? full.proofingLevel) === full.proofingLevel &&
      (parts.credentials ?? full.credentials) === full.credentials
    );
  });
};

/** The requested vectors that accept a `vot` the client is not registered for. */
export const vectorsOutsideRegistration = (
  requested: readonly RequestedVector[],
  registered: readonly VectorOfTrust[],
): readonly RequestedVector[] =>
  requested.filter((vector) => !coveredVectors(vector).every((full) => registered.includes(full)));

/**
 * Whether a client may request these vectors: each must be one it is registered for. A vector with
 * a part left out stands for every value of that part, so `P9` needs all four P9 vectors registered:
 * a request never widens what the client was registered for.
 */
export const isWithinRegistered = (
  requested: readonly RequestedVector[],
  registered: readonly VectorOfTrust[],
): boolean => vectorsOutsideRegistration(requested, registered).length === 0;

const levelRank = (level: ProofingLevel): number => proofingLevels.indexOf(level);

/** The higher of two proofing levels: what an account keeps, since a level is never lowered. */
export const higherProofingLevel = (a: ProofingLevel, b: ProofingLevel): ProofingLevel =>
  levelRank(a) >= levelRank(b) ? a : b;

const componentsOf = (credentials: CredentialCombination): readonly string[] => credentials.split('.');

/**
 * Components within a vector are ANDed (EIS §5.1.3), so a login meets a credential combination when
 * it used every credential the combination names: a password and a texted code meet `Cp` as well
 * as `Cp.Cd`; a passkey (`Cm`) does not meet `Cp`.
 */
const credentialsMet = (requested: CredentialCombination | undefined, achieved: CredentialCombination) =>
  requested === undefined || componentsOf(requested).every((part) => componentsOf(achieved).includes(part));

const proofingMet = (requested: ProofingLevel | undefined, achieved: ProofingLevel) =>
  requested === undefined || levelRank(requested) <= levelRank(achieved);

/**
 * Whether a login with these credentials alone could meet any requested vector (its proofing level
 * aside): the login page offers a passkey (`Cm`) only when one of the vectors allows it.
 */
export const credentialsAllowed = (
  requested: readonly RequestedVector[],
  credentials: CredentialCombination,
): boolean => requested.some((vector) => credentialsMet(vectorParts(vector).credentials, credentials));

/**
 * The best requested vector a login meets: the highest proofing level, then the most credentials
 * named, then a vector written in full, then the relying party's order. The `vot` is that vector,
 * with a part it left out filled from the login (the account's level, the credentials used).
 * When none is met: `proofing-too-low` when the account is below every requested level (send the
 * patient to prove who they are), otherwise `credentials-not-enough` (ask for a stronger login).
 * `requested` is never empty when it comes from parseVtr; an empty list is a programming error.
 */
export const bestAchievedVector = (
  requested: readonly RequestedVector[],
  achieved: AchievedLogin,
): VectorMatch => {
  if (requested.length === 0) throw new RangeError('bestAchievedVector needs at least one requested vector');
  const candidates = requested
    .map((vector, order) => {
      const parts = vectorParts(vector);
      const level = parts.proofingLevel ?? achieved.proofingLevel;
      const vot: VectorOfTrust = `${level}.${parts.credentials ?? achieved.credentials}`;
      return { vector, parts, level, vot, order };
    })
    .filter(
      ({ parts }) =>
        proofingMet(parts.proofingLevel, achieved.proofingLevel) &&
        credentialsMet(parts.credentials, achieved.credentials),
    )
    .sort(
      (a, b) =>
        levelRank(b.level) - levelRank(a.level) ||
        componentCount(b.parts.credentials) - componentCount(a.parts.credentials) ||
        Number(b.parts.proofingLevel !== undefined) - Number(a.parts.proofingLevel !== undefined) ||
        a.order - b.order,
    );
  const [best] = candidates;
  if (best) return { met: true, vector: best.vector, vot: best.vot };
  const withLevelMet = requested
    .map(vectorParts)
    .filter((parts) => proofingMet(parts.proofingLevel, achieved.proofingLevel));
  if (withLevelMet.length === 0) {
    const lowest = requested
      .map((vector) => vectorParts(vector).proofingLevel as ProofingLevel)
      .sort((a, b) => levelRank(a) - levelRank(b))[0] as ProofingLevel;
    return { met: false, reason: 'proofing-too-low', proofingLevel: lowest };
  }
  const credentials = withLevelMet.map((parts) => parts.credentials as CredentialCombination);
  return {
    met: false,
    reason: 'credentials-not-enough',
    credentials: credentialCombinations.filter((combination) => credentials.includes(combination)),
  };
};

const componentCount = (credentials: CredentialCombination | undefined): number =>
  credentials === undefined ? 0 : componentsOf(credentials).length;

import { describe, expect, it } from 'vitest';
import {
  allVectors,
  bestAchievedVector,
  coveredVectors,
  credentialsAllowed,
  defaultVtr,
  isRequestedVector,
  isVectorOfTrust,
  isWithinRegistered,
  parseVtr,
  type RequestedVector,
  requestableVectors,
  type VectorOfTrust,
  vectorParts,
  vectorsOutsideRegistration,
} from '../../../../src/domain/oidc/vectors-of-trust.ts';

/** RFC 6749's charset for error_description. */
const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5B\x5D-\x7E]*$/;

const problemOf = (raw: string): string => {
  const result = parseVtr(raw);
  if (result.valid) throw new Error(`expected ${raw} to be refused`);
  return result.problem;
};

describe('parseVtr: what it accepts', () => {
  it('gives the default vectors when vtr is absent', () => {
    // Act
    const result = parseVtr(undefined);

    // Assess
    expect(result).toEqual({ valid: true, vectors: ['P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'] });
  });

  it('gives the default vectors when vtr is empty, as RFC 6749 treats an empty parameter as absent', () => {
    // Act
    const result = parseVtr('');

    // Assess
    expect(result).toEqual({ valid: true, vectors: defaultVtr });
  });

  it('reads a JSON array of vectors in the order sent, whitespace around items allowed', () => {
    // Act
    const result = parseVtr(' [ "P5.Cp.Cd" ,\n"P9.Cm", "P0.Cp" ] ');

    // Assess
    expect(result).toEqual({ valid: true, vectors: ['P5.Cp.Cd', 'P9.Cm', 'P0.Cp'] });
  });

  it.each(allVectors)('accepts the full vector %s', (vector) => {
    // Act
    const result = parseVtr(JSON.stringify([vector]));

    // Assess
    expect(result).toEqual({ valid: true, vectors: [vector] });
  });

  it.each(['P0', 'P5', 'P9', 'Cp', 'Cp.Cd', 'Cp.Ck', 'Cm'])(
    'accepts %s, a vector with a part left out, as the grammar allows',
    (vector) => {
      // Act
      const result = parseVtr(JSON.stringify([vector]));

      // Assess
      expect(result).toEqual({ valid: true, vectors: [vector] });
    },
  );

  it('keeps a vector listed twice once', () => {
    // Act
    const result = parseVtr('["P9.Cm","P9.Cp.Cd","P9.Cm"]');

    // Assess
    expect(result).toEqual({ valid: true, vectors: ['P9.Cm', 'P9.Cp.Cd'] });
  });
});

describe('parseVtr: what it refuses', () => {
  it('names the curly quote in NHS login own example, which a copy and paste brings along', () => {
    // Prepare
    const fromTheSpecification = '["P9.Cp.Cd","P9.Cp.Ck","P9.Cm”]';

    // Act
    const problem = problemOf(fromTheSpecification);

    // Assess
    expect(problem).toBe(
      'vtr contains a typographic quote (U+201D, right double quotation mark), as pasted from a document: write the JSON with straight double quotes',
    );
  });

  it.each([
    ['[“P9.Cp.Cd”]', 'U+201C, left double quotation mark'],
    ['[‘P9.Cp.Cd’]', 'U+2018, left single quotation mark'],
    ['["P9.Cp.Cd’]', 'U+2019, right single quotation mark'],
    ['[„P9.Cp.Cd“]', 'U+201E, double low-9 quotation mark'],
    ['[«P9.Cp.Cd»]', 'U+00AB, left-pointing double angle quotation mark'],
    ['[″P9.Cp.Cd″]', 'U+2033, double prime'],
    ['[＂P9.Cp.Cd＂]', 'U+FF02, fullwidth quotation mark'],
    ['["P9.Cp.Cd”"]', 'U+201D, right double quotation mark'],
  ])('names the typographic quote in %s', (raw, named) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toContain(`typographic quote (${named})`);
  });

  it.each(['P9.Cp.Cd', "['P9.Cp.Cd']", '["P9.Cp.Cd"', '["P9.Cp.Cd",]', '[P9.Cp.Cd]', '%5B%22P9.Cp.Cd%22%5D'])(
    'refuses %s as not JSON',
    (raw) => {
      // Act
      const problem = problemOf(raw);

      // Assess
      expect(problem).toBe(
        'vtr is not valid JSON: send a JSON array of vector strings, for example the default: P9.Cp.Cd, P9.Cp.Ck and P9.Cm, each in straight double quotes',
      );
    },
  );

  it.each([
    ['"P9.Cp.Cd"', 'a string'],
    ['{"vtr":["P9.Cp.Cd"]}', 'an object'],
    ['null', 'null'],
    ['9', 'a number'],
    ['true', 'a boolean'],
  ])('refuses %s as not an array', (raw, kind) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toBe(
      `vtr must be a JSON array of vector strings, not ${kind}: put the vectors in square brackets`,
    );
  });

  it('refuses an empty array', () => {
    // Act
    const problem = problemOf('[]');

    // Assess
    expect(problem).toMatch(/^vtr must list at least one vector/);
  });

  it.each([
    ['["P9.Cp.Cd",9]', 'vtr item 2 is a number, not a string'],
    ['[null]', 'vtr item 1 is null, not a string'],
    ['[["P9.Cp.Cd"]]', 'vtr item 1 is an object, not a string'],
    ['[{"P":"P9"}]', 'vtr item 1 is an object, not a string'],
    ['[""]', 'vtr item 1 is an empty string'],
  ])('refuses %s for an item that is not a vector string', (raw, expected) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toBe(expected);
  });

  it.each([
    ['["P3.Cp"]', "vtr item 1 ('P3.Cp') has an unknown component 'P3'"],
    ['["P9.Ca.Cc"]', "vtr item 1 ('P9.Ca.Cc') has an unknown component 'Ca'"],
    ['["p9.cp.cd"]', "vtr item 1 ('p9.cp.cd') has an unknown component 'p9'"],
    ['["P9.Cp.Cd","P9.Cx"]', "vtr item 2 ('P9.Cx') has an unknown component 'Cx'"],
    ['["P9.Cp.Cd "]', "vtr item 1 ('P9.Cp.Cd ') has an unknown component 'Cd '"],
    ['["P9.Cp.<b>"]', 'vtr item 1 has an unknown component:'],
  ])('refuses %s for an unknown component', (raw, expected) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toContain(expected);
    expect(problem).toContain('proofing levels are P0, P5 and P9, credentials are Cp, Cd, Ck and Cm');
  });

  it.each(['["P9..Cp"]', '["P9.Cp."]', '[".Cm"]'])('refuses %s for an empty component', (raw) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toMatch(/^vtr item 1 \('[^']+'\) has an empty component/);
  });

  it.each([
    ['["P9.P5.Cp"]', "vtr item 1 ('P9.P5.Cp') names more than one proofing level"],
    ['["P9.P9.Cm"]', "vtr item 1 ('P9.P9.Cm') names more than one proofing level"],
    ['["P9.Cp.Cp"]', "vtr item 1 ('P9.Cp.Cp') names Cp twice"],
    ['["Cm.Cm"]', "vtr item 1 ('Cm.Cm') names Cm twice"],
  ])('refuses %s for a component given twice', (raw, expected) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toBe(expected);
  });

  it.each([
    ['["P9.Cd"]', 'Cd'],
    ['["Ck"]', 'Ck'],
    ['["P9.Cp.Cm"]', 'Cp.Cm'],
    ['["P9.Cp.Cd.Ck"]', 'Cp.Cd.Ck'],
    ['["P5.Cd.Ck"]', 'Cd.Ck'],
  ])('refuses %s for a credential combination NHS login does not define', (raw, combination) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toContain(
      `combines the credentials ${combination}, which is not one of Cp, Cp.Cd, Cp.Ck and Cm`,
    );
  });

  it.each([
    ['["Cp.Cd.P9"]', 'P9.Cp.Cd'],
    ['["P9.Cd.Cp"]', 'P9.Cp.Cd'],
    ['["Cm.P5"]', 'P5.Cm'],
  ])('refuses %s written out of order, saying how to write it', (raw, canonical) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toMatch(new RegExp(`must be written ${canonical.replaceAll('.', '\\.')}$`));
  });

  it.each([
    '["P9.Cp.Cd","P9.Cm”]',
    '["\\"P9"]',
    '["P9.Cp.\\\\"]',
    '["P9.Cé"]',
    '["P9.Cp.Cd\\u0000"]',
    '{"a":1}',
    '[1]',
    '["P9.Cp.Cm"]',
  ])('keeps the problem with %s within the error_description charset', (raw) => {
    // Act
    const problem = problemOf(raw);

    // Assess
    expect(problem).toMatch(DESCRIPTION_CHARSET);
  });
});

describe('requested vectors and their parts', () => {
  it('knows 19 forms: 12 full vectors, 3 levels alone and 4 credential combinations alone', () => {
    // Assess
    expect(requestableVectors).toHaveLength(19);
    expect(requestableVectors.every(isRequestedVector)).toBe(true);
    expect(isRequestedVector('P9.Cx')).toBe(false);
    expect(isVectorOfTrust('P9')).toBe(false);
  });

  it.each([
    ['P9.Cp.Cd', { proofingLevel: 'P9', credentials: 'Cp.Cd' }],
    ['P0.Cm', { proofingLevel: 'P0', credentials: 'Cm' }],
    ['P5', { proofingLevel: 'P5' }],
    ['Cp.Ck', { credentials: 'Cp.Ck' }],
  ] as const)('splits %s into its parts', (vector, parts) => {
    // Act
    const result = vectorParts(vector);

    // Assess
    expect(result).toEqual(parts);
  });

  it.each([
    ['P9.Cm', ['P9.Cm']],
    ['P9', ['P9.Cp', 'P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm']],
    ['Cp.Cd', ['P0.Cp.Cd', 'P5.Cp.Cd', 'P9.Cp.Cd']],
  ] as const)('takes %s to stand for the full vectors %j', (vector, covered) => {
    // Act
    const result = coveredVectors(vector);

    // Assess
    expect(result).toEqual(covered);
  });
});

describe('isWithinRegistered', () => {
  const registered: VectorOfTrust[] = ['P5.Cp.Cd', 'P5.Cm', 'P9.Cp.Cd', 'P9.Cm'];

  it('accepts the registered vectors themselves', () => {
    // Act
    const within = isWithinRegistered(registered, registered);

    // Assess
    expect(within).toBe(true);
  });

  it('accepts some of the registered vectors, as a step-up request for P9 only does', () => {
    // Act
    const within = isWithinRegistered(['P9.Cp.Cd', 'P9.Cm'], registered);

    // Assess
    expect(within).toBe(true);
  });

  it('refuses a request with one vector the client is not registered for, and names it', () => {
    // Prepare
    const requested: RequestedVector[] = ['P9.Cp.Cd', 'P9.Cp.Ck'];

    // Act
    const within = isWithinRegistered(requested, registered);
    const outside = vectorsOutsideRegistration(requested, registered);

    // Assess
    expect(within).toBe(false);
    expect(outside).toEqual(['P9.Cp.Ck']);
  });

  it('refuses a lower vector than registered: a P9 client may not ask for P5', () => {
    // Act
    const within = isWithinRegistered(['P5.Cp.Cd'], ['P9.Cp.Cd']);

    // Assess
    expect(within).toBe(false);
  });

  it('accepts a level alone only when every credential combination at that level is registered', () => {
    // Prepare
    const allP9: VectorOfTrust[] = ['P9.Cp', 'P9.Cp.Cd', 'P9.Cp.Ck', 'P9.Cm'];

    // Act
    const withAll = isWithinRegistered(['P9'], allP9);
    const withThree = isWithinRegistered(['P9'], allP9.slice(1));

    // Assess
    expect(withAll).toBe(true);
    expect(withThree).toBe(false);
  });

  it('accepts credentials alone only when they are registered at every level', () => {
    // Act
    const withAll = isWithinRegistered(['Cp.Cd'], ['P0.Cp.Cd', 'P5.Cp.Cd', 'P9.Cp.Cd']);
    const withTwo = isWithinRegistered(['Cp.Cd'], ['P5.Cp.Cd', 'P9.Cp.Cd']);

    // Assess
    expect(withAll).toBe(true);
    expect(withTwo).toBe(false);
  });
});

describe('bestAchievedVector', () => {
  it('meets the default vtr with a P9 account, password and texted code, as P9.Cp.Cd', () => {
    // Act
    const match = bestAchievedVector(defaultVtr, { proofingLevel: 'P9', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P9.Cp.Cd', vot: 'P9.Cp.Cd' });
  });

  it('meets the default vtr with a passkey as P9.Cm', () => {
    // Act
    const match = bestAchievedVector(defaultVtr, { proofingLevel: 'P9', credentials: 'Cm' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P9.Cm', vot: 'P9.Cm' });
  });

  it('returns the requested level, not the account level, so the vot equals a requested vector', () => {
    // Act
    const match = bestAchievedVector(['P5.Cp.Cd', 'P5.Cm'], { proofingLevel: 'P9', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P5.Cp.Cd', vot: 'P5.Cp.Cd' });
  });

  it('picks the highest level the account meets when several are requested', () => {
    // Prepare
    const requested: RequestedVector[] = ['P5.Cp.Cd', 'P5.Cm', 'P9.Cp.Cd', 'P9.Cm'];

    // Act
    const atP9 = bestAchievedVector(requested, { proofingLevel: 'P9', credentials: 'Cp.Cd' });
    const atP5 = bestAchievedVector(requested, { proofingLevel: 'P5', credentials: 'Cp.Cd' });

    // Assess
    expect(atP9).toEqual({ met: true, vector: 'P9.Cp.Cd', vot: 'P9.Cp.Cd' });
    expect(atP5).toEqual({ met: true, vector: 'P5.Cp.Cd', vot: 'P5.Cp.Cd' });
  });

  it('meets P0.Cp with a password and a texted code, since the password was used', () => {
    // Act
    const match = bestAchievedVector(['P0.Cp'], { proofingLevel: 'P0', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P0.Cp', vot: 'P0.Cp' });
  });

  it('prefers the vector naming more of the credentials used', () => {
    // Act
    const match = bestAchievedVector(['P9.Cp', 'P9.Cp.Cd'], { proofingLevel: 'P9', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P9.Cp.Cd', vot: 'P9.Cp.Cd' });
  });

  it('fills a level left out with the account level, and credentials left out with those used', () => {
    // Act
    const anyLevel = bestAchievedVector(['Cp.Cd'], { proofingLevel: 'P5', credentials: 'Cp.Cd' });
    const anyCredentials = bestAchievedVector(['P9'], { proofingLevel: 'P9', credentials: 'Cm' });

    // Assess
    expect(anyLevel).toEqual({ met: true, vector: 'Cp.Cd', vot: 'P5.Cp.Cd' });
    expect(anyCredentials).toEqual({ met: true, vector: 'P9', vot: 'P9.Cm' });
  });

  it('prefers a vector written in full to one with a part left out, so the vot is what was sent', () => {
    // Act
    const match = bestAchievedVector(['P9', 'P9.Cp.Cd'], { proofingLevel: 'P9', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: true, vector: 'P9.Cp.Cd', vot: 'P9.Cp.Cd' });
  });

  it('says the proofing is too low when the account is below every requested level, with the lowest', () => {
    // Act
    const fromP5 = bestAchievedVector(defaultVtr, { proofingLevel: 'P5', credentials: 'Cp.Cd' });
    const fromP0 = bestAchievedVector(['P9.Cm', 'P5.Cp.Cd'], { proofingLevel: 'P0', credentials: 'Cp.Cd' });

    // Assess
    expect(fromP5).toEqual({ met: false, reason: 'proofing-too-low', proofingLevel: 'P9' });
    expect(fromP0).toEqual({ met: false, reason: 'proofing-too-low', proofingLevel: 'P5' });
  });

  it('says the credentials are not enough when the level is met, with the combinations that would do', () => {
    // Act
    const passkeyOnly = bestAchievedVector(['P9.Cm'], { proofingLevel: 'P9', credentials: 'Cp.Cd' });
    const passwordOnly = bestAchievedVector(defaultVtr, { proofingLevel: 'P9', credentials: 'Cp' });
    const passkeyForPassword = bestAchievedVector(['P9.Cp.Cd'], { proofingLevel: 'P9', credentials: 'Cm' });

    // Assess
    expect(passkeyOnly).toEqual({ met: false, reason: 'credentials-not-enough', credentials: ['Cm'] });
    expect(passwordOnly).toEqual({
      met: false,
      reason: 'credentials-not-enough',
      credentials: ['Cp.Cd', 'Cp.Ck', 'Cm'],
    });
    expect(passkeyForPassword).toEqual({
      met: false,
      reason: 'credentials-not-enough',
      credentials: ['Cp.Cd'],
    });
  });

  it('asks for stronger credentials rather than proofing when some requested level is already met', () => {
    // Act
    const match = bestAchievedVector(['P9.Cp.Cd', 'P5.Cm'], { proofingLevel: 'P5', credentials: 'Cp.Cd' });

    // Assess
    expect(match).toEqual({ met: false, reason: 'credentials-not-enough', credentials: ['Cm'] });
  });

  it('refuses an empty request, which parseVtr never produces', () => {
    // Act
    const act = () => bestAchievedVector([], { proofingLevel: 'P9', credentials: 'Cm' });

    // Assess
    expect(act).toThrow(RangeError);
  });
});

describe('credentialsAllowed: whether a passkey (Cm) may make the login', () => {
  it.each([
    [['P9.Cm'], true],
    [['P0.Cp.Cd', 'P0.Cm'], true],
    [['P9'], true],
    [['Cm'], true],
    [['P9.Cp.Cd'], false],
    [['P0.Cp'], false],
    [['Cp.Cd', 'P9.Cp.Ck'], false],
  ] as const)('%j: %s', (requested, allowed) => {
    expect(credentialsAllowed(requested as readonly RequestedVector[], 'Cm')).toBe(allowed);
  });

  it('allows the password credentials where a vector names them or none', () => {
    expect(credentialsAllowed(['P9.Cp.Cd'], 'Cp.Cd')).toBe(true);
    expect(credentialsAllowed(['P9.Cm'], 'Cp.Cd')).toBe(false);
  });
});

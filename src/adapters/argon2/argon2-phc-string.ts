/** Argon2 cost parameters, as the PHC string names them: m (KiB), t (passes), p (lanes). */
export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** OWASP's argon2id minimum: m=19 MiB, t=2, p=1 (docs/passwords.md). Both adapters hash with these. */
export const defaultArgon2Parameters: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** The argon2 version every current hash has: 0x13, written `v=19`. */
export const currentArgon2Version = 19;

export type Argon2Variant = 'argon2id' | 'argon2i' | 'argon2d';

/** An argon2 hash as its PHC string spells it out. */
export interface Argon2PhcHash extends Argon2Parameters {
  readonly variant: Argon2Variant;
  readonly version: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

// `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`: unpadded standard base64, as both libraries write it.
const phcPattern =
  /^\$(argon2id|argon2i|argon2d)\$v=(\d{1,3})\$m=(\d{1,10}),t=(\d{1,10}),p=(\d{1,8})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

/** The parts of an argon2 PHC string, or undefined when it is not one (never throws). */
export const parseArgon2PhcString = (encoded: string): Argon2PhcHash | undefined => {
  const match = phcPattern.exec(encoded);
  if (!match) return undefined;
  const [, variant, version, memoryCost, timeCost, parallelism, salt, hash] = match as unknown as [
    string,
    Argon2Variant,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    variant,
    version: Number(version),
    memoryCost: Number(memoryCost),
    timeCost: Number(timeCost),
    parallelism: Number(parallelism),
    salt: Buffer.from(salt, 'base64'),
    hash: Buffer.from(hash, 'base64'),
  };
};

/**
 * True unless the PHC string is an argon2id hash of the current version made with exactly these
 * costs: a stored hash that cannot be parsed needs a rehash too.
 */
export const needsArgon2Rehash = (encoded: string, parameters: Argon2Parameters): boolean => {
  const parsed = parseArgon2PhcString(encoded);
  return (
    parsed === undefined ||
    parsed.variant !== 'argon2id' ||
    parsed.version !== currentArgon2Version ||
    parsed.memoryCost !== parameters.memoryCost ||
    parsed.timeCost !== parameters.timeCost ||
    parsed.parallelism !== parameters.parallelism
  );
};

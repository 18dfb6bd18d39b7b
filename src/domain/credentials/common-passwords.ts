/** The common-password list: `has` takes a password already normalised and lowercased. */
export interface CommonPasswordList {
  has(lowercasePassword: string): boolean;
}

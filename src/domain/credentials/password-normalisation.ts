/**
 * The one normalisation applied to a password before it is checked or hashed (NFKC), so that
 * registration, login and reset hash the same bytes however the patient's keyboard composed
 * the characters (a composed "é" and "e" + combining acute are the same password).
 */
export const normalisePassword = (password: string): string => password.normalize('NFKC');

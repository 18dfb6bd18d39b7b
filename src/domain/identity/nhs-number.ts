/**
 * NHS numbers: 10 digits, the last a modulus 11 check digit over the first nine (weights 10 to
 * 2; 11 becomes 0, and 10 means the number is not valid). Spaces and hyphens as people type
 * them ("943 476 5919") are dropped first.
 */
export const normaliseNhsNumber = (typed: string): string => typed.replace(/[\s-]/g, '');

/** Whether a normalised number has 10 digits and a right check digit. */
export const isValidNhsNumber = (nhsNumber: string): boolean => {
  if (!/^\d{10}$/.test(nhsNumber)) return false;
  const digits = [...nhsNumber].map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, index) => total + digit * (10 - index), 0);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits[9];
};

/** Test NHS numbers start with 9: the only ones any sandbox or test of ours may use. */
export const isTestNhsNumber = (nhsNumber: string): boolean => nhsNumber.startsWith('9');

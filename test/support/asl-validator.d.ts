/** asl-validator ships no types: the one call the tests make. */
declare module 'asl-validator' {
  interface AslValidation {
    readonly isValid: boolean;
    readonly errors: readonly { readonly message?: string; readonly [key: string]: unknown }[];
  }
  const validator: (definition: unknown) => AslValidation;
  export default validator;
}

import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so synthesis does not depend on the working directory. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** One folder per Lambda function, named after its `functionSpecs` entry. */
export const functionsDir = fileURLToPath(new URL('../functions', import.meta.url));

export const functionEntry = (name: string): string =>
  fileURLToPath(new URL(`../functions/${name}/lambda.ts`, import.meta.url));

export const lockFile = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/**
 * How a function's bundle is built: the esbuild options HouseFunction hands CDK, and the bundle
 * benchmark builds with, so what is measured is what is deployed.
 */
export const houseBundling = {
  format: 'esm',
  platform: 'node',
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  // Minifying renames classes; our errors name themselves `new.target.name`, which logs must show.
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  // Some CommonJS dependencies call `require`, which an ES module does not have.
  banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
} as const;

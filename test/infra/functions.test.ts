import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { HouseFunction } from '../../lib/constructs/house-function.ts';
import { functionsDir } from '../../lib/project-paths.ts';
import { configNames } from '../../src/platform/config.ts';
import { type FunctionName, functionSpecs } from '../../src/routes.ts';
import { bundlingApp, synthesizeStack, testFunctionSettings, testStage } from './synthesize.ts';
import { propertiesOfEvery, type Resource } from './template-queries.ts';

interface FunctionProperties {
  readonly Runtime: string;
  readonly Architectures: string[];
  readonly LoggingConfig?: { LogGroup?: { Ref: string } };
  readonly Environment: { Variables: Record<string, unknown> };
  readonly Code: { S3Key: string };
}

describe('Lambda functions', () => {
  const { stack, template } = synthesizeStack();
  const functions = propertiesOfEvery<FunctionProperties>(template, 'AWS::Lambda::Function');

  it('runs every function on Node 24 on arm64', () => {
    // Prepare
    const expected = { runtime: 'nodejs24.x', architectures: ['arm64'] };

    // Act
    const actual = functions.map(([, fn]) => ({ runtime: fn.Runtime, architectures: fn.Architectures }));

    // Assess
    expect(actual).toEqual(functions.map(() => expected));
  });

  it('gives every function its own log group, kept for the stage retention', () => {
    // Prepare
    const resources = template.toJSON().Resources as Record<string, Resource>;

    // Act
    const logGroupIds = functions.map(([, fn]) => fn.LoggingConfig?.LogGroup?.Ref);
    const logGroups = logGroupIds.map((id) => (id === undefined ? undefined : resources[id]));

    // Assess
    expect(new Set(logGroupIds).size).toBe(functions.length);
    for (const logGroup of logGroups) {
      expect(logGroup?.Type).toBe('AWS::Logs::LogGroup');
      expect(logGroup?.Properties.RetentionInDays).toBe(testStage.logRetention);
    }
  });

  it('builds exactly one function per functionSpecs entry', () => {
    // Prepare
    const specNames = Object.keys(functionSpecs).sort();

    // Act
    const builtNames = [...stack.api.functions.keys()].sort();

    // Assess
    expect(builtNames).toEqual(specNames);
    expect(functions).toHaveLength(specNames.length);
  });

  it('has a functionSpecs entry for every folder under functions/, and a lambda.ts for every entry', () => {
    // Prepare
    const specNames = Object.keys(functionSpecs).sort();

    // Act
    const folders = readdirSync(functionsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();

    // Assess
    expect(folders).toEqual(specNames);
    for (const name of specNames) expect(existsSync(join(functionsDir, name, 'lambda.ts'))).toBe(true);
  });

  it('sets every configuration variable the functions read, from the stack', () => {
    // Prepare
    const resolve = (value: unknown) => stack.resolve(value);
    const expected = {
      [configNames.stage]: testStage.name,
      [configNames.issuer]: resolve(stack.issuer),
      [configNames.tableName]: resolve(stack.table.tableName),
      [configNames.signingKeyIds]: resolve(stack.signingKeys.activeKey.keyArn),
      [configNames.activeSigningKeyId]: resolve(stack.signingKeys.activeKey.keyArn),
      [configNames.logLevel]: testStage.logLevel,
    };

    // Act
    const environments = functions.map(([, fn]) => fn.Environment.Variables);

    // Assess
    expect(Object.keys(expected).sort()).toEqual(Object.values(configNames).sort());
    for (const environment of environments) expect(environment).toMatchObject(expected);
  });
});

describe('Lambda bundles', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'patient-login-bundle-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Bundles one function as `cdk synth` would, and returns its code. */
  const bundledCode = (name: FunctionName): string => {
    const stack = new Stack(bundlingApp(outdir), 'bundle-test');
    new HouseFunction(stack, 'Function', {
      name,
      spec: functionSpecs[name],
      settings: testFunctionSettings,
      logRetention: testStage.logRetention,
    });
    const [[, fn]] = propertiesOfEvery<FunctionProperties>(
      Template.fromStack(stack),
      'AWS::Lambda::Function',
    ) as [[string, FunctionProperties]];
    const assetHash = fn.Code.S3Key.replace(/\.zip$/, '');
    return readFileSync(join(outdir, `asset.${assetHash}`, 'index.mjs'), 'utf8');
  };

  it('keep class names through minification, so errors log under their own class names', () => {
    // Prepare: every function maps errors at the edge, so every bundle has DomainError in it.
    const [name] = Object.keys(functionSpecs) as [FunctionName];

    // Act
    const code = bundledCode(name);

    // Assess: minified, the class is `class jo extends Error`; esbuild's keepNames records its name.
    expect(code).toContain('"DomainError"');
  });
});

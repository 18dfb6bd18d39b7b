import { globSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { TooManyAttemptsError } from '../../../src/domain/limits/too-many-attempts-error.ts';
import { PatientProblemError } from '../../../src/domain/patient-problems.ts';
import { NoSecondFactorError } from '../../../src/domain/second-factors/second-factor.ts';
import { classifyError } from '../../../src/platform/http/error-mapper.ts';
import { limitLogMessages, logMessages, problemLogMessages } from '../../../src/platform/log-messages.ts';
import { createLogger } from '../../../src/platform/logger.ts';

const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('the registry of log messages', () => {
  it('is what every log line of the deployed code uses: a message from it, never free text', () => {
    // Prepare: the functions and everything they import (the local stack prints to its console)
    const sources = globSync('{functions,src/domain,src/adapters,src/platform,src/web,src/wiring}/**/*.ts', {
      cwd: projectRoot,
    });

    // Act
    const calls = sources.flatMap((path) =>
      [
        ...readFileSync(join(projectRoot, path), 'utf8').matchAll(
          /logger\.(?:debug|info|warn|error)\(\s*([^\s])/g,
        ),
      ].map((match) => ({ path, argument: match[1] })),
    );

    // Assess: each call starts with an object spreading a registry entry
    expect(calls.length).toBeGreaterThan(5);
    expect(calls.filter((call) => call.argument !== '{')).toEqual([]);
    const spreads = sources.flatMap((path) =>
      [
        ...readFileSync(join(projectRoot, path), 'utf8').matchAll(
          /logger\.(?:debug|info|warn|error)\(\{\s*\.\.\.([A-Za-z]+)/g,
        ),
      ].map((match) => match[1]),
    );
    expect(spreads.length).toBe(calls.length);
    expect(new Set(spreads)).toEqual(new Set(['logMessages', 'limitLogMessages', 'problemLogMessages']));
  });

  it('gives every message a code of its own', () => {
    // Prepare
    const all = [
      ...Object.values(logMessages),
      ...Object.values(limitLogMessages),
      ...Object.values(problemLogMessages),
    ].map((message) => message.messageCode);

    // Assess
    expect(new Set(all).size).toBe(all.length);
    for (const code of all) expect(code).toMatch(/^PL_[A-Z0-9_]+$/);
  });

  it('logs the ceiling on texts to new numbers at warn with its own code, for the SMS pumping alarm', () => {
    // Prepare
    const logger = createLogger('SILENT');
    const warn = vi.spyOn(logger, 'warn');
    const info = vi.spyOn(logger, 'info');

    // Act
    const classified = classifyError(new TooManyAttemptsError('new-number-ceiling', new Date()), logger);

    // Assess
    expect(classified).toMatchObject({ status: 429, code: 'too_many_attempts' });
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        messageCode: 'PL_LIMIT_NEW_NUMBER_TEXTS_CEILING',
        detail: 'new-number-ceiling',
      }),
    );
    expect(info).not.toHaveBeenCalled();
  });

  it('logs a problem page by its own code, and any other typed error as a rejection', () => {
    // Prepare
    const logger = createLogger('SILENT');
    const info = vi.spyOn(logger, 'info');

    // Act
    classifyError(new PatientProblemError('recovery-needs-second-factor'), logger);
    classifyError(new NoSecondFactorError('none'), logger);

    // Assess
    expect(
      info.mock.calls.map(([entry]) => (entry as unknown as { messageCode: string }).messageCode),
    ).toEqual(['PL_PROBLEM_RECOVERY_NEEDS_SECOND_FACTOR', 'PL_HTTP_REQUEST_REJECTED']);
  });
});

import validator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import {
  photoIdCheckDefinitionText,
  photoIdTaskFunctions,
  photoIdTaskSubstitutions,
  substituteDefinition,
} from '../../../src/workflows/photo-id-check-workflow.ts';

type State = {
  Type: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> };
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
  Catch?: { ErrorEquals: string[]; Next: string }[];
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Next?: string;
  Default?: string;
  Choices?: { Next: string }[];
};

const text = photoIdCheckDefinitionText();
const arns = Object.fromEntries(
  Object.values(photoIdTaskSubstitutions).map((name) => [
    name,
    `arn:aws:lambda:eu-west-2:111122223333:function:${name}`,
  ]),
);
const definition = JSON.parse(substituteDefinition(text, arns)) as {
  StartAt: string;
  States: Record<string, State>;
};
const tasks = Object.entries(definition.States).filter(([, state]) => state.Type === 'Task');
const functionOfArn = (arn: string | undefined) =>
  (Object.entries(photoIdTaskSubstitutions).find(([, name]) => arns[name] === arn)?.[0] ??
    '') as keyof typeof photoIdTaskFunctions;

describe('the photo-ID check workflow definition', () => {
  it('is valid Amazon States Language, as written and with its substitutions made', () => {
    // Act
    const asWritten = validator(JSON.parse(text));
    const substituted = validator(definition);

    // Assess
    expect(asWritten.errors).toEqual([]);
    expect(asWritten.isValid).toBe(true);
    expect(substituted.isValid).toBe(true);
  });

  it('names a substitution for every task function and nothing else', () => {
    // Act
    const names = [...text.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]);

    // Assess
    expect(new Set(names)).toEqual(new Set(Object.values(photoIdTaskSubstitutions)));
    expect(() => substituteDefinition(text, {})).toThrow(/No value/);
  });

  it('gives every Task a timeout, retries and a catch, and never retries a check that is gone or in the wrong state', () => {
    // Prepare: the steps that read the check, and so may find it gone or in the wrong state
    const readingTheCheck = [
      'ValidateSubmission',
      'MatchDetails',
      'PrepareReview',
      'WaitForReview',
      'Escalate',
      'SendDelayedEmail',
      'ApplyDecision',
      'SendOutcomeEmail',
    ];

    // Assess
    expect(tasks.length).toBeGreaterThanOrEqual(12);
    for (const [name, state] of tasks) {
      expect(state.TimeoutSeconds ?? state.TimeoutSecondsPath, name).toBeDefined();
      expect(state.Retry?.length, name).toBeGreaterThan(0);
      expect(
        state.Catch?.some((catcher) => catcher.ErrorEquals.includes('States.ALL')),
        name,
      ).toBe(true);
      expect(
        state.Retry?.some((retrier) => retrier.ErrorEquals.includes('States.TaskFailed')),
        name,
      ).toBe(true);
      const gone = state.Retry?.find((retrier) => retrier.ErrorEquals.includes('CheckGone'));
      if (readingTheCheck.includes(name)) {
        expect(gone, name).toMatchObject({ ErrorEquals: ['CheckGone', 'CheckState'], MaxAttempts: 0 });
        expect(state.Retry?.[0], name).toBe(gone);
      }
    }
  });

  it('deletes a gone check’s media, and carries a decision’s email and deletion past what the patient does next', () => {
    // Act
    const goneTargets = tasks
      .flatMap(([, state]) => state.Catch ?? [])
      .filter((catcher) => catcher.ErrorEquals.includes('CheckGone'))
      .map((catcher) => catcher.Next);
    const apply = definition.States.ApplyDecision as State & { ResultSelector?: Record<string, string> };

    // Assess
    expect(new Set(goneTargets)).toEqual(new Set(['DeleteGoneMedia', 'ScheduleMediaDeletion']));
    expect(definition.States.DeleteGoneMedia?.Next).toBe('CheckGone');
    expect(apply.Parameters?.Payload?.['decided.$']).toBe('$.decision');
    expect(Object.keys(apply.ResultSelector ?? {}).sort()).toEqual([
      'decidedAt.$',
      'email.$',
      'mediaKeys.$',
      'outcome.$',
    ]);
    for (const name of ['SendOutcomeEmail', 'ScheduleMediaDeletion', 'DeleteMedia'])
      expect((definition.States[name] as State).Parameters?.Payload?.['outcome.$'], name).toBe('$.outcome');
  });

  it('runs each task on the function that holds it, with the check', () => {
    // Assess
    for (const [name, state] of tasks) {
      const fn = functionOfArn(state.Parameters?.FunctionName);
      expect(fn, name).not.toBe('');
      expect(photoIdTaskFunctions[fn] as readonly unknown[], name).toContain(state.Parameters?.Payload?.task);
      expect(state.Parameters?.Payload?.['check.$'], name).toBe('$.check');
    }
  });

  it('waits for the reviewer with a task token whose timeout is the deadline, escalating on timeout', () => {
    // Act
    const wait = definition.States.WaitForReview as State;

    // Assess
    expect(wait.Resource).toBe('arn:aws:states:::lambda:invoke.waitForTaskToken');
    expect(wait.Parameters?.Payload?.['taskToken.$']).toBe('$$.Task.Token');
    expect(wait.TimeoutSecondsPath).toBe('$.Payload.timeoutSeconds');
    expect(wait.Parameters?.Payload?.['timeoutSeconds.$']).toBe('$.Payload.timeoutSeconds');
    expect(wait.Catch?.[0]).toMatchObject({ ErrorEquals: ['States.Timeout'], Next: 'Escalate' });
    expect(definition.States.PrepareReview?.Next).toBe('WaitForReview');
  });

  it('reaches an end from every state, and ends only in a final state of the check', () => {
    // Prepare
    const next = (state: State) => [
      ...(state.Next ? [state.Next] : []),
      ...(state.Default ? [state.Default] : []),
      ...(state.Choices ?? []).map((choice) => choice.Next),
      ...(state.Catch ?? []).map((catcher) => catcher.Next),
    ];
    const seen = new Set<string>();
    const queue = [definition.StartAt];

    // Act
    while (queue.length > 0) {
      const name = queue.shift() as string;
      if (seen.has(name)) continue;
      seen.add(name);
      queue.push(...next(definition.States[name] as State));
    }
    const ends = Object.entries(definition.States)
      .filter(([, state]) => state.Type === 'Succeed' || state.Type === 'Fail')
      .map(([name]) => name);

    // Assess
    expect([...seen].sort()).toEqual(Object.keys(definition.States).sort());
    expect(ends.sort()).toEqual(['CheckFailed', 'CheckGone', 'Done', 'MediaNotDeleted']);
    expect(definition.States.RecordFailure?.Next).toBe('CheckFailed');
  });
});

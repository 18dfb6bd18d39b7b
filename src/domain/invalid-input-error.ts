import { DomainError } from './errors.ts';

/** One field's problem, as the NHS error summary and the field's error message show it. */
export interface FieldProblem {
  /** The input's name; pages link the error summary to the element with this id. */
  readonly field: string;
  readonly message: string;
}

/**
 * What a patient entered cannot be used: the page is shown again with the error summary, each
 * field's message and what they typed (never passwords).
 */
export class InvalidInputError extends DomainError {
  readonly code = 'invalid_input';
  readonly status = 400;
  readonly problems: readonly FieldProblem[];

  constructor(problems: readonly FieldProblem[]) {
    super('What was entered has problems.');
    this.problems = problems;
  }
}

import { VigilError } from '../../core/index.js';

/** A part of a Sigma rule that cannot be compiled; `at` is its path in the rule document (for the line). */
export class SigmaError extends VigilError {
  constructor(
    readonly at: (string | number)[],
    message: string,
    options?: { cause?: unknown },
  ) {
    super('ANL_SIGMA', `${at.join('.')}: ${message}`, options);
  }
}

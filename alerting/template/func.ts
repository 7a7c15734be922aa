import type { GoValue } from './values.js';

/** A parameter type of a template function, checked as Go's reflect-based call checks it. */
export type Param = 'string' | 'int' | '[]string' | 'any' | 'bool';

/** A function callable from a template: Go builtins, Alertmanager's funcs, and methods. */
export interface GoFunc {
  params: Param[];
  /** Type of the trailing `...` parameter, when the function is variadic. */
  variadic?: Param;
  call(args: GoValue[]): GoValue;
}

/** A Go function's returned error (`error calling NAME: ...`). */
export class GoCallError extends Error {}

/** The "no value" of Go's reflect (an invalid Value), printed `<no value>`. */
export const NO_VALUE = undefined;
export type MaybeValue = GoValue | typeof NO_VALUE;

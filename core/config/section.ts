import type { z } from 'zod';

/** Reports a problem at a path inside the parsed config (e.g. ['services', 2, 'sla']). */
export type IssueReporter = (path: (string | number)[], message: string) => void;

/**
 * A top-level config key contributed by a domain (DESIGN.md §6). The loader builds one strict
 * schema from all registered sections, so unknown keys anywhere are errors, and then runs every
 * section's cross-reference check over the whole parsed config.
 */
export interface ConfigSection {
  /** Top-level key, snake_case. */
  key: string;
  /** zod schema of the value; use z.strictObject so unknown keys are errors. */
  schema: z.ZodType;
  /** Whether the key may be absent. */
  optional?: boolean;
  /**
   * Paths (from the top of the file, e.g. ['alerting', 'route', 'match', 'team']) whose numbers and
   * booleans are taken as the text written, as Go's YAML decoder does for string fields.
   */
  scalarsAsText?(path: (string | number)[]): boolean;
  /** Checks across the whole config: unique ids, references that point at something defined. */
  check?(config: Record<string, unknown>, report: IssueReporter): void;
  /**
   * Checks of the files the config names (rule directories, their rules), run only by
   * `vigil config check` (`loadConfig(…, { checkFiles: true })`): `vigil start` must still come up
   * when such a file is broken, and reports it at run time instead. `warn` reports a problem that
   * does not make the config invalid.
   */
  checkFiles?(config: Record<string, unknown>, report: IssueReporter, warn: IssueReporter): void;
}

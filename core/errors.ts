/** Stable error code prefixes (DESIGN.md §9): CFG_, PRB_, ANL_, ALR_, EVD_, AUTH_, STO_, SLA_, SCN_, APP_, INC_. */
export type ErrorCode =
  `${'CFG' | 'PRB' | 'ANL' | 'ALR' | 'EVD' | 'AUTH' | 'STO' | 'SLA' | 'SCN' | 'APP' | 'INC'}_${string}`;

/**
 * The one error type of vigil. Thrown only for bad configuration, broken infrastructure and bugs:
 * a failed probe or a detection is data, never an exception.
 */
export class VigilError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'VigilError';
    this.code = code;
  }
}

/** One problem in a configuration, with where it is. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

/** Formats an issue as `file:line:col: message`, the form `vigil config check` prints. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}: ${issue.message}`;
}

/** A configuration with one or more problems; carries every issue found, not just the first. */
export class ConfigError extends VigilError {
  readonly issues: ConfigIssue[];

  constructor(issues: ConfigIssue[], options?: { cause?: unknown }) {
    super(
      'CFG_INVALID',
      issues.length === 1
        ? formatIssue(issues[0]!)
        : `${issues.length} configuration problems:\n${issues.map(formatIssue).join('\n')}`,
      options,
    );
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** A malformed input record or file (logs, results files); carries the file and line. */
export class ParseError extends VigilError {
  readonly file: string;
  readonly line: number;

  constructor(code: ErrorCode, file: string, line: number, message: string, options?: { cause?: unknown }) {
    super(code, `${file}:${line}: ${message}`, options);
    this.name = 'ParseError';
    this.file = file;
    this.line = line;
  }
}

/** The message of anything thrown, for logs and errors. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

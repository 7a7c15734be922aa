import type { Finding, Severity } from '../core/index.js';

/** Which family a record comes from. */
export type LogSource = 'zeek' | 'suricata';

/**
 * One normalised log record. `fields` holds the record's values keyed as Zeek names them
 * (`id.orig_h`) or, for Suricata EVE, as the EVE object (nested objects kept). Time values are
 * epoch seconds (numbers) internally; `timeFields` names them so the NDJSON form prints ISO 8601.
 */
export interface LogRecord {
  source: LogSource;
  /** Zeek log path (`conn`, `dns`, …) or `eve.<event_type>` for Suricata. */
  path: string;
  /** Event time, epoch seconds (microsecond precision), NaN when the record has none. */
  ts: number;
  fields: Record<string, unknown>;
  timeFields: readonly string[];
  file: string;
  line: number;
}

/** A line that could not be read as a record: counted per file, with its line number, and skipped. */
export interface BadRecord {
  file: string;
  line: number;
  message: string;
}

/** A finding as a detector makes it (the store assigns id, runId and status). */
export type DetectedFinding = Omit<Finding, 'id' | 'runId' | 'status'>;

/** What a detector may consult while it runs. */
export interface DetectorContext {
  /** The customer owning an address, from `customers[].networks`. */
  customerOf(ip: string | undefined): string | undefined;
  /** Loaded threat-intel indicators (analyzers.intel). */
  intel?: import('./intel.js').IntelSet;
  /** Compiled Sigma rules (analyzers.sigma). */
  sigma?: import('./sigma/index.js').CompiledSigmaRule[];
}

/**
 * A detector: fed every record of a run (in file order), asked for its findings at the end.
 * Detectors hold only bounded per-key state, never the records themselves.
 */
export interface Detector {
  readonly name: string;
  /** Log paths this detector wants (`conn`, `eve.alert`…); `*` for all. */
  readonly paths: readonly string[];
  observe(rec: LogRecord): void;
  finish(): DetectedFinding[];
}

export type DetectorFactory = (options: Record<string, unknown>, ctx: DetectorContext) => Detector;

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

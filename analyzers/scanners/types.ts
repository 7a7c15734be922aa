/**
 * Shapes shared by the scanning engines (ClamAV, YARA, hash lists) and the scan runs.
 * A malicious file is data (a `FileScanResult` with status `infected`), never an exception.
 */

/** One string (pattern) match of a YARA rule: where, not what (the matched text is lossy). */
export interface YaraStringMatch {
  identifier: string;
  offset: number;
  length: number;
}

/** One detection in one file by one engine. */
export interface ScanHit {
  engine: 'clamav' | 'yara' | 'hash';
  /** ClamAV signature name, YARA `namespace:rule`, or the hash list entry name. */
  name: string;
  tags?: string[];
  meta?: Record<string, unknown>;
  strings?: YaraStringMatch[];
  /** For hash hits: which list and which digest matched. */
  list?: string;
  digest?: string;
}

/** What one engine says about one file. `error` is never to be read as clean. */
export type EngineVerdict =
  { status: 'clean' } | { status: 'infected'; hits: ScanHit[] } | { status: 'error'; reason: string };

/** Facts about a file that engines and the incremental index need. */
export interface FileFacts {
  path: string;
  size: number;
  mtimeMs: number;
  dev: number;
  ino: number;
  uid: number;
}

/** The verdict on one file over all engines. */
export interface FileScanResult {
  path: string;
  status: 'clean' | 'infected' | 'error';
  /** Why the file is `error` (every engine error, joined), or absent. */
  reason?: string;
  hits: ScanHit[];
  /** Each engine's own verdict, so a report can say which engine failed. */
  engines: Record<string, EngineVerdict>;
  size?: number;
  /** Set when the file was moved to quarantine. */
  quarantineId?: string;
}

/** A scanning engine: `Scanner.scan(path) → verdict` (DESIGN.md §2), one shape for every engine. */
export interface Scanner {
  readonly name: string;
  scan(file: FileFacts, signal?: AbortSignal): Promise<EngineVerdict>;
  /** Fingerprint of the signature/rule set in use; a change forces a full rescan. */
  fingerprint(): Promise<string>;
}

/**
 * Combines the engines' verdicts: any hit makes the file infected, any engine error makes it
 * error (hits are kept), and only a file every engine called clean is clean.
 */
export function combineVerdicts(
  path: string,
  engines: Record<string, EngineVerdict>,
  size?: number,
): FileScanResult {
  const hits: ScanHit[] = [];
  const errors: string[] = [];
  for (const [name, v] of Object.entries(engines)) {
    if (v.status === 'infected') hits.push(...v.hits);
    else if (v.status === 'error') errors.push(`${name}: ${v.reason}`);
  }
  const names = Object.keys(engines);
  if (names.length === 0) errors.push('no scanning engine ran');
  const status = hits.length > 0 ? 'infected' : errors.length > 0 ? 'error' : 'clean';
  const result: FileScanResult = { path, status, hits, engines };
  if (errors.length > 0) result.reason = errors.join('; ');
  if (size !== undefined) result.size = size;
  return result;
}

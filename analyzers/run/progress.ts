import type { LogRecord } from '../types.js';
import type { PlannedInput } from './inputs.js';

/** How far a run has got. Bytes are on-disk bytes of finished files (a gzip file counts when done). */
export interface ProgressReport {
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
  records: number;
  /** The file being read. */
  current?: string;
  /** Epoch ms the run started reading. */
  startedAt: number;
  /** Epoch ms of this report. */
  at: number;
}

/**
 * Counts a run's progress and hands it to a sink at most every `everyMs` (and after each file):
 * the CLI draws it on a terminal, the runner stores it in the run record while the run is going.
 */
export class RunProgress {
  private readonly p: ProgressReport;
  private lastSent = 0;
  /** The last error of a progress write (kept for debugging; never thrown). */
  lastError: unknown;

  constructor(
    planned: PlannedInput[],
    private readonly sink: ((p: ProgressReport) => void | Promise<void>) | undefined,
    private readonly now: () => number = Date.now,
    private readonly everyMs = 1000,
  ) {
    const t = now();
    this.p = {
      filesDone: 0,
      filesTotal: planned.length,
      bytesDone: 0,
      bytesTotal: planned.reduce((a, x) => a + x.size, 0),
      records: 0,
      startedAt: t,
      at: t,
    };
  }

  /** Records passed to the detectors; reports when a report is due. */
  records(n: number, last: LogRecord | undefined): void {
    this.p.records += n;
    if (last) this.p.current = last.file;
    const t = this.now();
    if (this.sink && t - this.lastSent >= this.everyMs) {
      this.lastSent = t;
      this.p.at = t;
      // progress is informational: a failed progress write must neither stop nor fail the run
      void Promise.resolve(this.sink({ ...this.p })).catch((err: unknown) => {
        this.lastError = err;
      });
    }
  }

  /** One file finished (read, unchanged or skipped): always reported. */
  async fileDone(p: PlannedInput): Promise<void> {
    this.p.filesDone++;
    this.p.bytesDone += p.size;
    const t = this.now();
    this.p.at = t;
    this.lastSent = t;
    if (this.sink) await this.sink({ ...this.p });
  }
}

const units = (n: number): string =>
  n >= 1 << 30
    ? `${(n / (1 << 30)).toFixed(1)} GiB`
    : n >= 1 << 20
      ? `${(n / (1 << 20)).toFixed(1)} MiB`
      : `${Math.round(n / 1024)} KiB`;

/** One terminal line: files, bytes, records, rate and time left (by bytes). */
export function formatProgress(p: ProgressReport): string {
  const secs = Math.max(0.001, (p.at - p.startedAt) / 1000);
  const rate = Math.round(p.records / secs);
  const left =
    p.bytesDone > 0 && p.bytesTotal > p.bytesDone
      ? `${Math.round(((p.bytesTotal - p.bytesDone) * secs) / p.bytesDone)} s left`
      : '';
  return `${p.filesDone}/${p.filesTotal} files, ${units(p.bytesDone)}/${units(p.bytesTotal)}, ${p.records} records, ${rate}/s ${left}`.trimEnd();
}

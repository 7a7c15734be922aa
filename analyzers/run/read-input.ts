import type { Checkpoint, Logger, RecordedAnalysisInput } from '../../core/index.js';
import { readLog, type ReadResult, type ReadState } from '../readers/index.js';
import type { LogRecord } from '../types.js';
import type { PlannedInput } from './inputs.js';

export interface InputReadOptions {
  analyzer: string;
  /** The checkpoint this file continues (findCheckpoint), if any. */
  cp: Checkpoint | undefined;
  /** Whether a plain file is finished (its unfinished last line is read as a record). */
  final: boolean;
  maxErrors: number;
  maxLineBytes?: number;
  onRecords(recs: LogRecord[]): void;
  log?: Logger;
}

/** What reading one input gave: its line in the run record, its new checkpoint, or nothing to do. */
export type InputReadOutcome =
  | { kind: 'unchanged' }
  | { kind: 'read'; input: RecordedAnalysisInput; checkpoint: Checkpoint; broken: boolean };

/** Whether the file is the checkpoint's file unchanged since then (same inode, size and mtime). */
function untouched(p: PlannedInput, cp: Checkpoint): boolean {
  const s = cp.state ?? {};
  return cp.dev === p.dev && cp.ino === p.ino && s.size === p.size && s.mtimeMs === p.mtimeMs;
}

/**
 * Reads one input from its checkpoint. The checkpoint is trusted only when the bytes just before
 * its offset are the ones it saw (its `windowHash`, checked before any record is passed on); else
 * the file is another one sharing its head and is read from its start. A gzip stream that breaks
 * ends the read there: the records before it were passed on, so the checkpoint is set where they
 * end (and marked broken) — the next run neither reads them again nor re-reads an unchanged file.
 */
export async function readInput(p: PlannedInput, o: InputReadOptions): Promise<InputReadOutcome> {
  const cp = o.cp;
  if (cp && untouched(p, cp) && (cp.state?.complete === true || cp.state?.broken === true))
    return { kind: 'unchanged' };
  if (cp && !p.gzip && cp.offset === p.size && cp.dev === p.dev && cp.ino === p.ino)
    return { kind: 'unchanged' };
  let from = cp && (p.gzip || cp.offset <= p.size) ? cp.offset : 0;
  let res = await readFrom(p, o, from, cp);
  if (res.mismatch || (from > 0 && res.pendingBytes < 0)) {
    // not the checkpoint's file after all (or shorter than it): nothing was passed on; read it whole
    o.log?.warn(
      { file: p.path, checkpoint: cp?.path },
      'input differs from the checkpoint it resembles; read from its start',
    );
    from = 0;
    res = await readFrom(p, o, 0, undefined);
  }
  const broken = res.error !== undefined;
  const checkpoint: Checkpoint = {
    analyzer: o.analyzer,
    inputKey: p.inputKey,
    path: p.path,
    dev: p.dev,
    ino: p.ino,
    headHash: p.headHash,
    offset: res.endOffset,
    state: {
      ...res.state,
      headLen: p.headLen,
      windowHash: res.windowHash,
      size: p.size,
      mtimeMs: p.mtimeMs,
      complete: p.gzip && !broken && res.pendingBytes === 0,
      ...(broken ? { broken: true } : {}),
    },
  };
  return {
    kind: 'read',
    broken,
    checkpoint,
    input: {
      path: p.path,
      sha256: res.sha256,
      fromOffset: from,
      toOffset: res.endOffset,
      records: res.records,
      badRecords: res.badRecords,
      errors: res.errors.map((e) => ({ line: e.line, message: e.message })),
    },
  };
}

async function readFrom(
  p: PlannedInput,
  o: InputReadOptions,
  from: number,
  cp: Checkpoint | undefined,
): Promise<ReadResult> {
  const state = (from > 0 ? cp?.state : undefined) as (ReadState & Record<string, unknown>) | undefined;
  const expect = from > 0 && typeof state?.windowHash === 'string' ? state.windowHash : undefined;
  const it = readLog(p.path, {
    fromOffset: from,
    ...(state ? { state } : {}),
    final: p.gzip || o.final,
    maxErrors: o.maxErrors,
    ...(o.maxLineBytes ? { maxLineBytes: o.maxLineBytes } : {}),
    ...(expect ? { expectWindow: expect } : {}),
  });
  for (;;) {
    const n = await it.next();
    if (n.done) return n.value;
    o.onRecords(n.value);
  }
}

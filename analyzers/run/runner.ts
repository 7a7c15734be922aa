import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Finding, Logger } from '../../core/index.js';
import {
  commitAnalysis,
  createRun,
  failStaleRuns,
  finishRun,
  listCheckpoints,
  listFindings,
  type AnalysisDb,
  type Checkpoint,
  type RecordedAnalysisInput,
  type StoredAnalysisRun,
} from '../../core/index.js';
import { readLog, type ReadState } from '../readers/index.js';
import { AssetMap, type CustomerNetworks } from '../assets.js';
import { loadIntel } from '../intel.js';
import { loadSigmaRules } from '../sigma/index.js';
import type { AnalyzersConfig } from '../config.js';
import type { DetectedFinding, DetectorContext } from '../types.js';
import { DetectorFanout, buildDetectors } from './build-detectors.js';
import { expandInputs, findCheckpoint, planInputs } from './inputs.js';
import { summarise } from './summary.js';

export interface RunAnalysisOptions {
  db: Kysely<AnalysisDb>;
  /** Analyzer name: runs, checkpoints and the dead-man alert are per analyzer (default `ids`). */
  analyzer?: string;
  config: AnalyzersConfig;
  customers?: CustomerNetworks[];
  /** Files to read instead of the configured globs. */
  inputs?: string[];
  /** Only these detector types. */
  detectors?: string[];
  scheduledFor?: Date;
  log?: Logger;
  now?: () => number;
  /** Called after each input is read (tests use it to kill a run half way). */
  onInputRead?: (path: string, index: number, total: number) => void;
}

export interface RunAnalysisResult {
  run: StoredAnalysisRun;
  /** Every finding the run produced or re-sighted, as stored. */
  findings: Finding[];
  /** The findings that were new in this run. */
  newFindings: Finding[];
}

/**
 * One analysis run (DESIGN.md §5 "Analysis cadence"): reads every input from its checkpoint,
 * feeds the records to the detectors, then stores ALL findings and ALL new checkpoints in ONE
 * transaction. A crash before that commit leaves the old checkpoints, so the next run re-reads
 * the same bytes; findings are upserted by their stable key, so nothing is skipped or doubled.
 * Bad records are counted per input with line numbers; the run ends `partial`, never throws for
 * bad data.
 */
export async function runAnalysis(o: RunAnalysisOptions): Promise<RunAnalysisResult> {
  const analyzer = o.analyzer ?? 'ids';
  const now = o.now ?? Date.now;
  const log = o.log;
  await failStaleRuns(o.db, analyzer, now());
  const run = await createRun(o.db, {
    analyzer,
    scheduledFor: o.scheduledFor ?? new Date(now()),
    startedAt: new Date(now()),
  });
  const assets = new AssetMap(o.customers ?? []);
  try {
    const ctx: DetectorContext = { customerOf: assets.customerOf };
    if (o.config.intel.files.length > 0) ctx.intel = loadIntel(o.config.intel.files);
    if (o.config.sigma.rules.length > 0) ctx.sigma = loadSigmaRules(o.config.sigma.rules);
    const detectors = buildDetectors(o.config, ctx, o.detectors);
    const fan = new DetectorFanout(detectors);
    const paths =
      o.inputs ??
      (await expandInputs([...o.config.zeek.paths, ...o.config.suricata.eve], o.config.zeek.exclude));
    const planned = await planInputs(paths);
    const cps = await listCheckpoints(o.db, analyzer);
    const newCps: Checkpoint[] = [];
    const inputs: RecordedAnalysisInput[] = [];
    const recordsPerPath: Record<string, number> = {};
    let partial = false;
    for (const [idx, p] of planned.entries()) {
      if (p.headLen === 0) continue; // empty file: nothing to read, nothing to identify it by
      const cp = findCheckpoint(cps, p);
      const complete = cp?.state?.complete === true && cp.inputKey === p.inputKey;
      if (complete || (!p.gzip && cp && cp.offset === p.size)) continue; // nothing new
      const final = p.gzip || now() - p.mtimeMs > o.config.settle;
      const from = cp && (p.gzip || cp.offset <= p.size) ? cp.offset : 0;
      const state = (from > 0 ? cp?.state : undefined) as (ReadState & Record<string, unknown>) | undefined;
      const it = readLog(p.path, {
        fromOffset: from,
        ...(state ? { state } : {}),
        final,
        maxErrors: o.config.max_errors_per_input,
      });
      let res;
      try {
        for (;;) {
          const n = await it.next();
          if (n.done) {
            res = n.value;
            break;
          }
          for (const rec of n.value) {
            recordsPerPath[rec.path] = (recordsPerPath[rec.path] ?? 0) + 1;
            for (const d of fan.forPath(rec.path)) d.observe(rec);
          }
        }
      } catch (err) {
        // an unreadable input (broken gzip, vanished file) is recorded, not fatal to the run
        partial = true;
        log?.warn({ file: p.path, err }, 'input could not be read to the end');
        inputs.push({
          path: p.path,
          sha256: '',
          fromOffset: from,
          toOffset: from,
          records: 0,
          badRecords: 1,
          errors: [{ line: 0, message: (err as Error).message }],
        });
        continue;
      }
      if (res.pendingBytes < 0) {
        // shorter than the checkpoint: a different file with the same head; read it again from 0 next run
        log?.warn({ file: p.path }, 'input shorter than its checkpoint');
      }
      if (res.badRecords > 0) partial = true;
      const sha256 = p.gzip ? await sha256File(p.path) : res.sha256;
      inputs.push({
        path: p.path,
        sha256,
        fromOffset: from,
        toOffset: res.endOffset,
        records: res.records,
        badRecords: res.badRecords,
        errors: res.errors.map((e) => ({ line: e.line, message: e.message })),
      });
      const next: Checkpoint = {
        analyzer,
        inputKey: p.inputKey,
        path: p.path,
        dev: p.dev,
        ino: p.ino,
        headHash: p.headHash,
        offset: res.pendingBytes < 0 ? 0 : res.endOffset,
        state: { ...res.state, headLen: p.headLen, complete: p.gzip && res.pendingBytes === 0 },
      };
      newCps.push(next);
      // a second copy of the same content later in this run (live file and its rotated .gz) resumes here
      const at = cps.findIndex((c) => c.inputKey === p.inputKey);
      if (at >= 0) cps.splice(at, 1);
      cps.push(next);
      o.onInputRead?.(p.path, idx, planned.length);
    }
    const detected: DetectedFinding[] = [];
    for (const d of detectors) detected.push(...d.finish());
    for (const f of detected) {
      const c = assets.customerOf(f.dst) ?? assets.customerOf(f.src);
      if (c && !f.customerId) f.customerId = c;
    }
    const res = await commitAnalysis(o.db, run.id, { findings: detected, checkpoints: newCps });
    const newFindings = await listFindings(o.db, { newInRun: run.id });
    const summary = summarise(res.findings, newFindings, recordsPerPath, inputs);
    const done = await finishRun(o.db, run.id, {
      status: partial ? 'partial' : 'ok',
      inputs,
      summary,
      finishedAt: new Date(now()),
    });
    log?.info(
      {
        run: run.id,
        status: done.status,
        findings: done.findings,
        new: done.newFindings,
        inputs: inputs.length,
      },
      'analysis run finished',
    );
    return { run: done, findings: res.findings, newFindings };
  } catch (err) {
    await finishRun(o.db, run.id, {
      status: 'failed',
      inputs: [],
      summary: { error: (err as Error).message },
      finishedAt: new Date(now()),
    });
    throw err;
  }
}

async function sha256File(path: string): Promise<string> {
  const { createReadStream } = await import('node:fs');
  const h = createHash('sha256');
  for await (const c of createReadStream(path)) h.update(c as Buffer);
  return h.digest('hex');
}

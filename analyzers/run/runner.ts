import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Finding, Logger } from '../../core/index.js';
import {
  commitAnalysis,
  createRun,
  failStaleRuns,
  finishRun,
  listCheckpoints,
  setRunProgress,
  type AnalysisDb,
  type Checkpoint,
  type RecordedAnalysisInput,
  type StoredAnalysisRun,
} from '../../core/index.js';
import { openInput } from '../readers/open-input.js';
import { AssetMap, type CustomerNetworks } from '../assets.js';
import { loadIntel } from '../intel.js';
import { formatSigmaProblem, loadSigmaRuleSet, type SigmaProblem } from '../sigma/index.js';
import type { AnalyzersConfig } from '../config.js';
import type { DetectedFinding, DetectorContext } from '../types.js';
import { DetectorFanout, buildDetectors } from './build-detectors.js';
import { expandInputs, findCheckpoint, planInputs, walkInputs } from './inputs.js';
import { readInput, type InputReadOutcome } from './read-input.js';
import { RunProgress, type ProgressReport } from './progress.js';
import { summarise } from './summary.js';

export interface RunAnalysisOptions {
  db: Kysely<AnalysisDb>;
  /** Analyzer name: runs, checkpoints and the dead-man alert are per analyzer (default `ids`). */
  analyzer?: string;
  config: AnalyzersConfig;
  customers?: CustomerNetworks[];
  /** Files or directories (walked recursively, links not followed) to read instead of the configured globs. */
  inputs?: string[];
  /** Only these detector types. */
  detectors?: string[];
  scheduledFor?: Date;
  log?: Logger;
  now?: () => number;
  /** Called after each input is read (tests use it to kill a run half way). */
  onInputRead?: (path: string, index: number, total: number) => void;
  /** Progress while the run reads (files, bytes, records done; the CLI prints it on a terminal). */
  onProgress?: (p: ProgressReport) => void | Promise<void>;
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
    // A rule that cannot be compiled is reported and skipped: the others still run, the run is partial.
    let sigmaProblems: SigmaProblem[] = [];
    if (o.config.sigma.rules.length > 0) {
      const set = loadSigmaRuleSet(o.config.sigma.rules);
      ctx.sigma = set.rules;
      sigmaProblems = set.problems;
      for (const p of sigmaProblems)
        log?.warn({ rule: p.file, line: p.line }, `Sigma rule skipped: ${formatSigmaProblem(p)}`);
    }
    const detectors = buildDetectors(o.config, ctx, o.detectors);
    const fan = new DetectorFanout(detectors);
    const listed = o.inputs
      ? await walkInputs(o.inputs)
      : await expandInputs([...o.config.zeek.paths, ...o.config.suricata.eve], o.config.zeek.exclude);
    const { planned, skipped: unplannable } = await planInputs(listed.files);
    const skipped = [...listed.skipped, ...unplannable];
    const cps = await listCheckpoints(o.db, analyzer);
    const newCps: Checkpoint[] = [];
    const superseded: { analyzer: string; inputKey: string }[] = [];
    const claimed = new Set<string>();
    const inputs: RecordedAnalysisInput[] = [];
    const recordsPerPath: Record<string, number> = {};
    // a listed input that could not be read (a symlink, a FIFO, unreadable) is in the record, never silently dropped
    for (const sk of skipped) {
      log?.warn({ file: sk.path }, `input skipped: ${sk.reason}`);
      inputs.push(skippedInput(sk.path, sk.reason));
    }
    let partial = sigmaProblems.length > 0 || skipped.length > 0;
    // the run record shows how far a (scheduled) run has got while it runs
    let stored = 0;
    let storedFiles = -1;
    const progress = new RunProgress(
      planned,
      async (pr) => {
        if (pr.at - stored >= 10_000 || pr.filesDone !== storedFiles) {
          stored = pr.at;
          storedFiles = pr.filesDone;
          await setRunProgress(o.db, run.id, { ...pr });
        }
        await o.onProgress?.(pr);
      },
      now,
    );
    for (const [idx, p] of planned.entries()) {
      if (p.headLen === 0) {
        await progress.fileDone(p); // empty file: nothing to read, nothing to identify it by
        continue;
      }
      const cp = findCheckpoint(cps, p, claimed);
      if (cp) claimed.add(cp.inputKey);
      let out: InputReadOutcome;
      try {
        out = await readInput(p, {
          analyzer,
          cp,
          final: now() - p.mtimeMs > o.config.settle,
          maxErrors: o.config.max_errors_per_input,
          ...(o.config.max_line_bytes ? { maxLineBytes: o.config.max_line_bytes } : {}),
          ...(log ? { log } : {}),
          onRecords: (recs) => {
            for (const rec of recs) {
              recordsPerPath[rec.path] = (recordsPerPath[rec.path] ?? 0) + 1;
              for (const d of fan.forPath(rec.path)) d.observe(rec);
            }
            progress.records(recs.length, recs[recs.length - 1]);
          },
        });
      } catch (err) {
        // the file vanished or was swapped for a link after it was listed: recorded, not fatal
        partial = true;
        log?.warn({ file: p.path, err }, 'input could not be read');
        inputs.push(skippedInput(p.path, (err as Error).message));
        continue;
      } finally {
        await progress.fileDone(p);
      }
      if (out.kind === 'unchanged') continue;
      if (out.input.badRecords > 0) partial = true;
      if (p.gzip) out.input.sha256 = await sha256File(p.path);
      inputs.push(out.input);
      newCps.push(out.checkpoint);
      // the checkpoint this file continued under another key (a live file that grew or was rotated)
      if (cp && cp.inputKey !== p.inputKey) superseded.push({ analyzer, inputKey: cp.inputKey });
      const at = cps.findIndex((c) => c.inputKey === p.inputKey);
      if (at >= 0) cps.splice(at, 1);
      // a second copy of the same content later in this run (live file and its rotated .gz) resumes here
      cps.push(out.checkpoint);
      claimed.delete(p.inputKey);
      o.onInputRead?.(p.path, idx, planned.length);
    }
    const detected: DetectedFinding[] = [];
    for (const d of detectors) detected.push(...d.finish());
    for (const f of detected) {
      const c = assets.customerOf(f.dst) ?? assets.customerOf(f.src);
      if (c && !f.customerId) f.customerId = c;
    }
    const res = await commitAnalysis(o.db, run.id, {
      findings: detected,
      checkpoints: newCps,
      deleteCheckpoints: superseded.filter((d) => !newCps.some((c) => c.inputKey === d.inputKey)),
    });
    // from the commit itself, not a listing (which stops at 10,000): a summary is never cut silently
    const newFindings = res.findings.filter((f) => f.runId === run.id);
    const summary = summarise(res.findings, newFindings, recordsPerPath, inputs);
    if (sigmaProblems.length > 0) summary.sigmaProblems = sigmaProblems;
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

const skippedInput = (path: string, reason: string): RecordedAnalysisInput => ({
  path,
  sha256: '',
  fromOffset: 0,
  toOffset: 0,
  records: 0,
  badRecords: 0,
  errors: [{ line: 0, message: `not read: ${reason}` }],
});

async function sha256File(path: string): Promise<string> {
  const { fh } = await openInput(path);
  try {
    const h = createHash('sha256');
    for await (const c of fh.createReadStream({ autoClose: false })) h.update(c as Buffer);
    return h.digest('hex');
  } finally {
    await fh.close();
  }
}

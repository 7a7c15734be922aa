import type { AnalysisInput, Finding } from '../../core/index.js';
import type { LogCheckpoint, ScanRunStore } from './scan-run.js';
import type { ScanFinding } from './findings.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- the repository's db type is core's; passed through untouched */

/**
 * The functions of the shared analysis-run repository (core/store/analysis-runs.ts) that scan
 * runs use. app/ passes core's functions in; tests may too. Typed structurally so the scanners
 * need no deep import into core/store.
 */
export interface AnalysisRepo {
  createRun(db: any, opts: { analyzer: string; scheduledFor: Date }): Promise<{ id: string }>;
  finishRun(
    db: any,
    id: string,
    opts: { status: 'ok' | 'partial' | 'failed'; inputs: AnalysisInput[]; summary: Record<string, unknown> },
  ): Promise<unknown>;
  commitAnalysis(
    db: any,
    runId: string,
    batch: { findings: ScanFinding[]; checkpoints: LogCheckpoint[] },
  ): Promise<{ inserted: number; updated: number; findings: Finding[] }>;
  getCheckpoint(
    db: any,
    analyzer: string,
    inputKey: string,
  ): Promise<{ offset: number; dev?: string; ino?: string } | undefined>;
  lastFinishedRun(db: any, analyzer: string): Promise<{ finishedAt?: string } | undefined>;
}

/** A ScanRunStore over the shared repository and a store's Kysely instance. */
export function scanRunStore(
  db: any,
  repo: AnalysisRepo,
): ScanRunStore & { lastFinishedAt(analyzer: string): Promise<number | undefined> } {
  return {
    createRun: (o) => repo.createRun(db, o),
    finishRun: (id, o) => repo.finishRun(db, id, o),
    commitAnalysis: (runId, batch) => repo.commitAnalysis(db, runId, batch),
    getCheckpoint: (a, k) => repo.getCheckpoint(db, a, k),
    async lastFinishedAt(analyzer) {
      const run = await repo.lastFinishedRun(db, analyzer);
      return run?.finishedAt ? Date.parse(run.finishedAt) : undefined;
    },
  };
}

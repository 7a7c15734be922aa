import { beforeEach, expect, it } from 'vitest';
import { describeStores } from '../helpers/stores.js';
import type { Kysely } from 'kysely';
import {
  commitAnalysis,
  createRun,
  finishRun,
  getCheckpoint,
  lastFinishedRun,
  listFindings,
  listRunReviews,
  listRuns,
  reviewRun,
  setCheckpoint,
  upsertFindings,
  type AnalysisDb,
  type NewFinding,
} from '../../core/index.js';

const finding = (key: string, over: Partial<NewFinding> = {}): NewFinding => ({
  detector: 'ssh-bruteforce',
  key,
  severity: 'high',
  title: `guessing ${key}`,
  src: '73.54.23.243',
  firstSeen: '2024-04-19T10:00:00.000Z',
  lastSeen: '2024-04-19T11:00:00.000Z',
  count: 3,
  evidence: [{ file: 'ssh.log', line: 9 }],
  ...over,
});

describeStores('analysis runs repository', (getStore) => {
  let db: Kysely<AnalysisDb>;
  beforeEach(() => {
    db = getStore().db as Kysely<AnalysisDb>;
  });

  it('creates, finishes and lists runs with their inputs', async () => {
    const run = await createRun(db, { analyzer: 'ids', scheduledFor: '2026-11-21T06:00:00.000Z' });
    expect(run.status).toBe('running');
    await upsertFindings(db, run.id, [finding('a'), finding('b')]);
    const done = await finishRun(db, run.id, {
      status: 'partial',
      inputs: [
        {
          path: '/x/conn.log',
          sha256: 'ab',
          fromOffset: 0,
          toOffset: 10,
          records: 5,
          badRecords: 1,
          errors: [{ line: 4, message: 'bad port' }],
        },
      ],
      summary: { perDetector: { 'ssh-bruteforce': 2 } },
    });
    expect(done.status).toBe('partial');
    expect(done.findings).toBe(2);
    expect(done.newFindings).toBe(2);
    expect(done.inputs).toEqual([
      {
        path: '/x/conn.log',
        sha256: 'ab',
        fromOffset: 0,
        toOffset: 10,
        records: 5,
        badRecords: 1,
        errors: [{ line: 4, message: 'bad port' }],
      },
    ]);
    expect(done.summary).toEqual({ perDetector: { 'ssh-bruteforce': 2 } });
    expect((await listRuns(db, { analyzer: 'ids' })).map((r) => r.id)).toEqual([run.id]);
    expect((await lastFinishedRun(db, 'ids'))?.id).toBe(run.id);
    expect(await lastFinishedRun(db, 'other')).toBeUndefined();
  });

  it('a failed run is not the last finished run', async () => {
    const ok = await createRun(db, { analyzer: 'ids', scheduledFor: new Date(0) });
    await finishRun(db, ok.id, { status: 'ok', inputs: [], finishedAt: '2026-01-01T00:00:00Z' });
    const bad = await createRun(db, { analyzer: 'ids', scheduledFor: new Date(0) });
    await finishRun(db, bad.id, { status: 'failed', inputs: [], finishedAt: '2026-01-02T00:00:00Z' });
    expect((await lastFinishedRun(db, 'ids'))?.id).toBe(ok.id);
  });

  it('deduplicates findings by detector and key: a re-sight updates count, lastSeen and evidence', async () => {
    const r1 = await createRun(db, { analyzer: 'ids', scheduledFor: new Date() });
    expect(
      await upsertFindings(db, r1.id, [
        finding('k'),
        finding('k', { count: 2, evidence: [{ file: 'ssh.log', line: 12 }] }),
      ]),
    ).toMatchObject({
      inserted: 1,
      updated: 0,
    });
    const r2 = await createRun(db, { analyzer: 'ids', scheduledFor: new Date() });
    const res = await upsertFindings(db, r2.id, [
      finding('k', { lastSeen: '2024-04-20T00:00:00.000Z', count: 4 }),
    ]);
    expect(res).toMatchObject({ inserted: 0, updated: 1 });
    const all = await listFindings(db);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      count: 9,
      firstSeen: '2024-04-19T10:00:00.000Z',
      lastSeen: '2024-04-20T00:00:00.000Z',
      runId: r1.id,
      status: 'new',
    });
    expect(all[0]!.evidence).toEqual([
      { file: 'ssh.log', line: 9 },
      { file: 'ssh.log', line: 12 },
    ]);
    expect(await listFindings(db, { newInRun: r2.id })).toHaveLength(0);
    expect(await listFindings(db, { runId: r2.id })).toHaveLength(1);
    // the same key under another detector is another finding
    await upsertFindings(db, r2.id, [finding('k', { detector: 'scan' })]);
    expect(await listFindings(db)).toHaveLength(2);
  });

  it('commits findings and checkpoints together, and rolls both back together', async () => {
    const run = await createRun(db, { analyzer: 'ids', scheduledFor: new Date() });
    await commitAnalysis(db, run.id, {
      findings: [finding('a')],
      checkpoints: [
        {
          analyzer: 'ids',
          inputKey: 'dev:1/ino:2',
          path: '/x/conn.log',
          dev: '1',
          ino: '2',
          headHash: 'h',
          offset: 100,
          state: { header: ['ts'] },
        },
      ],
    });
    expect(await getCheckpoint(db, 'ids', 'dev:1/ino:2')).toMatchObject({
      offset: 100,
      dev: '1',
      ino: '2',
      headHash: 'h',
      state: { header: ['ts'] },
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await upsertFindings(trx, run.id, [finding('b')]);
        await setCheckpoint(trx, {
          analyzer: 'ids',
          inputKey: 'dev:1/ino:2',
          path: '/x/conn.log',
          offset: 200,
        });
        throw new Error('crash');
      }),
    ).rejects.toThrow('crash');
    expect((await getCheckpoint(db, 'ids', 'dev:1/ino:2'))?.offset).toBe(100);
    expect((await listFindings(db)).map((f) => f.key)).toEqual(['a']);
  });

  it('records reviews and keeps their history', async () => {
    const run = await createRun(db, { analyzer: 'ids', scheduledFor: new Date() });
    await expect(reviewRun(db, 'nope', { by: 'x' })).rejects.toMatchObject({ code: 'ANL_RUN_UNKNOWN' });
    await expect(reviewRun(db, run.id, { by: ' ' })).rejects.toMatchObject({ code: 'ANL_REVIEW' });
    await reviewRun(db, run.id, { by: 'alice', note: 'first look', at: '2026-11-21T07:00:00Z' });
    const r = await reviewRun(db, run.id, { by: 'bob', note: 'signed off', at: '2026-11-21T08:00:00Z' });
    expect(r).toMatchObject({
      reviewedBy: 'bob',
      reviewNote: 'signed off',
      reviewedAt: '2026-11-21T08:00:00.000Z',
    });
    expect(await listRunReviews(db, run.id)).toEqual([
      { by: 'alice', at: '2026-11-21T07:00:00.000Z', note: 'first look' },
      { by: 'bob', at: '2026-11-21T08:00:00.000Z', note: 'signed off' },
    ]);
    expect(await listRuns(db, { unreviewed: true })).toHaveLength(0);
  });
});

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import {
  createMetricsRegistry,
  silentLogger,
  systemClock,
  type AnalysisDb,
  type Registry,
} from '../../core/index.js';
import { analyzersComponent, analyzersSchema } from '../../analyzers/index.js';
import { describeStores } from '../helpers/stores.js';

async function runsOf(metrics: Registry): Promise<number> {
  const m = await metrics.getSingleMetric('vigil_analysis_runs_total')!.get();
  return m.values.reduce((n, v) => n + v.value, 0);
}

describeStores('scheduled analysis runs with several instances', (getStore) => {
  it('run on the leader only; a follower that becomes leader runs them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-leader-gate-'));
    // Every second (croner's seconds field), so the test sees several ticks of both instances.
    const config = analyzersSchema.parse({
      schedule: '* * * * * *',
      suricata: { eve: [join(dir, 'eve.json')] },
    });
    let bLeads = false;
    const make = (metrics: Registry, isLeader: () => boolean) =>
      analyzersComponent({
        config,
        customers: [],
        db: getStore().db as Kysely<AnalysisDb>,
        log: silentLogger(),
        metrics,
        clock: systemClock,
        alerts: async () => undefined,
        findings: async () => undefined,
        leader: { isLeader },
      });
    const [ma, mb] = [createMetricsRegistry(), createMetricsRegistry()];
    const a = make(ma, () => !bLeads);
    const b = make(mb, () => bLeads);
    await a.start();
    await b.start();
    try {
      while ((await runsOf(ma)) < 3) await sleep(200);
      expect(await runsOf(mb)).toBe(0);
      bLeads = true; // takeover
      const aRuns = await runsOf(ma);
      while ((await runsOf(mb)) < 2) await sleep(200);
      // a may finish a run it had started before the takeover, never start a new one
      expect(await runsOf(ma)).toBeLessThanOrEqual(aRuns + 1);
    } finally {
      await a.stop(2000);
      await b.stop(2000);
    }
  }, 120_000);
});

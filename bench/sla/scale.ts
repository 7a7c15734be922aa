// SLA figures for many services from the store, on SQLite and on PostgreSQL: month to date for
// SERVICES services (default 1,000) and the month report figures for all of them, through
// `servicesMonthFigures` (the overview's and the report's fast path). The store holds one month of
// running aggregates for 3 locations per service (day rows, every hour row) plus the minute
// rollups of the running day, written directly (writing 134 M minute rollups first would take
// hours). That the aggregates give the rollups' figures is tested in tests/sla/aggregate-compute.
// Run: nice node --import tsx bench/sla/scale.ts   (appends a section to bench/sla/RESULTS.md)
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../core/index.js';
import { monthRange, servicesMonthFigures, slaPolicySchema, type SlaService } from '../../sla/index.js';
import { createDatabase, startPostgresCluster } from '../../tests/helpers/postgres.js';

const N = Number(process.env.SERVICES ?? 1000);
const TZ = 'Europe/Amsterdam';
const [FROM, TO] = monthRange('2026-03', TZ);
const NOW = Date.UTC(2026, 2, 20, 13, 37, 25);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MIN = 60_000;
const LOCS = ['ams', 'fra', 'lon'];
const timeIntervals = [
  {
    name: 'sat',
    time_intervals: [{ weekdays: ['saturday'], times: [{ start_time: '09:00', end_time: '17:00' }] }],
  },
];
const policy = slaPolicySchema.parse({
  id: 'std',
  availability: '99.9%',
  latency: { average_ms: 50 },
  maintenance: ['sat'],
  quorum: 2,
});
const services: SlaService[] = Array.from({ length: N }, (_, i) => ({
  id: `svc-${i}`,
  customer: `c-${i % 50}`,
  policy,
  timezone: TZ,
  targetIds: [`svc-${i}/http`],
  probeIntervalMs: 10_000,
}));

let seed = 7;
const rnd = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;

async function insertAll(store: Store, table: string, rows: Record<string, unknown>[]): Promise<void> {
  const per = Math.floor(30_000 / Object.keys(rows[0]!).length);
  await store.db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += per)
      await tx
        .insertInto(table)
        .values(rows.slice(i, i + per))
        .execute();
  });
}

/** One month of aggregates per service and location: 6 samples a minute, a few outages. */
async function fill(store: Store): Promise<number> {
  const t0 = performance.now();
  const firstDay = Math.floor(FROM / DAY) * DAY;
  for (let s = 0; s < N; s++) {
    const days: Record<string, unknown>[] = [];
    const hours: Record<string, unknown>[] = [];
    const minutes: Record<string, unknown>[] = [];
    for (const location of LOCS) {
      for (let d = firstDay; d < TO; d += DAY) {
        // A 20-minute outage on some days, seen from this location.
        const out = rnd() < 0.1 ? Math.floor(rnd() * 1400) : -1;
        const up = out < 0 ? '0-1440' : `${out > 0 ? `0-${out},` : ''}${out + 20}-1440`;
        days.push({
          target_id: `svc-${s}/http`,
          location,
          day_at: d,
          up,
          down: out < 0 ? '' : `${out}-${out + 20}`,
          lat_sum: 1440 * 6 * 30,
          lat_count: 1440 * 6,
          flagged_count: 0,
          hist: `39:${1440 * 3},40:${1440 * 3}`,
        });
        for (let h = d; h < d + DAY; h += HOUR)
          hours.push({
            target_id: `svc-${s}/http`,
            location,
            hour_at: h,
            lat_sum: 360 * 30,
            lat_count: 360,
            flagged_count: 0,
            hist: '39:180,40:180',
          });
      }
      // The running day's minute rollups (read for the part of the hour after now).
      for (let m = Math.floor(NOW / HOUR) * HOUR; m < NOW + HOUR; m += MIN)
        minutes.push({
          target_id: `svc-${s}/http`,
          location,
          minute_at: m,
          ok_count: 6,
          fail_count: 0,
          flagged_count: 0,
          lat_sum: 180,
          lat_count: 6,
          hist: '39:3,40:3',
          last_at: m + 50_000,
          last_ok: 1,
        });
    }
    await insertAll(store, 'probe_day_aggregates', days);
    await insertAll(store, 'probe_hour_aggregates', hours);
    await insertAll(store, 'probe_rollups', minutes);
  }
  return performance.now() - t0;
}

async function measure(
  store: Store,
  month?: string,
): Promise<{ median: number; min: number; cpu: number; runs: number[] }> {
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < 5; k++) {
    const c = process.cpuUsage();
    const a = performance.now();
    const out = await servicesMonthFigures({
      store,
      services,
      timeIntervals,
      nowMs: NOW,
      ...(month ? { month } : {}),
    });
    runs.push(performance.now() - a);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
    if (out.length !== N || out.some((o) => o.figures.availability === null))
      throw new Error('missing figures');
  }
  const sorted = [...runs].sort((a, b) => a - b);
  return { median: sorted[2]!, min: sorted[0]!, cpu: [...cpu].sort((a, b) => a - b)[2]!, runs };
}

const lines: string[] = [];
const log = (s: string): void => {
  console.log(s);
  lines.push(s);
};
log(`\n## ${N.toLocaleString('en')} services from the running aggregates (${new Date().toISOString()})\n`);
log(
  `Node ${process.version}; load average before: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ')}\n`,
);
log(
  '| engine | fill | month to date: wall median of 5 (min) / vigil CPU | month report: wall median (min) / vigil CPU | load after |',
);
log('|---|---:|---:|---:|---:|');
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-sla-scale-'));
const pg = await startPostgresCluster();
try {
  for (const engine of ['sqlite', 'postgres'] as const) {
    const url = engine === 'sqlite' ? `sqlite:${join(dir, 's.db')}` : await createDatabase(pg, 'vigil_bench');
    const store = await openStore(url);
    const fillMs = await fill(store);
    const mtd = await measure(store);
    const month = await measure(store, '2026-03');
    log(
      `| ${engine} | ${(fillMs / 1000).toFixed(0)} s | ${mtd.median.toFixed(0)} ms (${mtd.min.toFixed(0)}) / ${mtd.cpu.toFixed(0)} ms | ${month.median.toFixed(0)} ms (${month.min.toFixed(0)}) / ${month.cpu.toFixed(0)} ms | ${loadavg()[0]!.toFixed(1)} |`,
    );
    await store.close();
  }
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}
appendFileSync(new URL('./RESULTS.md', import.meta.url), lines.join('\n') + '\n');

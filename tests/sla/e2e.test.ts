import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createLogger,
  createMetricsRegistry,
  insertProbeResults,
  openStore,
  queryProbeResults,
  zonedParts,
  type Alert,
  type ProbeResult,
  type Store,
} from '../../core/index.js';
import {
  createSlaEvaluator,
  serviceMonthReport,
  slaPoliciesSchema,
  slaServicesFrom,
  upsertRollups,
} from '../../sla/index.js';

// A real HTTP service, probed once a second from three "locations" (a fetch loop in this process
// labelling its results), goes down for DOWN_S seconds. Default: the real 90 s.
const DOWN_S = Number(process.env.VIGIL_SLA_E2E_DOWN_S ?? 90);
const INTERVAL = 1000;
const LOCATIONS = ['ams', 'fra', 'lon'];
const TZ = 'Europe/Amsterdam';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const tmp = mkdtempSync(join(tmpdir(), 'vigil-sla-e2e-'));
let server: Server | undefined;
let store: Store | undefined;
afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await store?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function probe(url: string, location: string): Promise<ProbeResult> {
  const started = Date.now();
  const t0 = performance.now();
  const base = {
    targetId: 'office-web/http',
    location,
    startedAt: new Date(started).toISOString(),
    loopDelayMs: 0,
    phases: { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 },
  };
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(800) });
    await res.arrayBuffer();
    const totalMs = performance.now() - t0;
    return {
      ...base,
      ok: res.status === 200,
      status: res.status,
      totalMs,
      phases: { ...base.phases, processing: totalMs },
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      totalMs: performance.now() - t0,
      error: { kind: 'reset', message: String(err) },
    };
  }
}

describe('end to end: a real service down for a while, probed from three locations', () => {
  it(
    `raises one outage alert when it goes down, resolves it, and the month report shows the downtime (${DOWN_S} s)`,
    async () => {
      let down = false;
      server = createServer((req, res) => {
        if (down) req.socket.destroy();
        else res.end('ok');
      });
      await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      store = await openStore(`sqlite:${join(tmp, 'vigil.db')}`);
      const config = {
        timezone: TZ,
        time_intervals: [],
        sla_policies: slaPoliciesSchema.parse([
          { id: 'standard', availability: '99.9%', latency: { average_ms: 50 } },
        ]),
        services: [
          {
            id: 'office-web',
            customer: 'acme',
            sla: 'standard',
            probes: [{ id: 'http', sla: true, interval: INTERVAL }],
          },
        ],
      };
      const services = slaServicesFrom(config);
      const received: { at: number; alert: Alert }[] = [];
      const evaluator = createSlaEvaluator({
        services,
        timeIntervals: [],
        store,
        log: createLogger({ level: 'silent' }),
        metrics: createMetricsRegistry(),
        clock: { now: () => Date.now() },
        sink: async (alerts) => {
          for (const alert of alerts) received.push({ at: Date.now(), alert });
        },
        tickMs: 250,
      });
      await evaluator.start();

      let stop = false;
      const loop = (async () => {
        while (!stop) {
          const next = Date.now() + INTERVAL;
          const results = await Promise.all(LOCATIONS.map((l) => probe(url, l)));
          await insertProbeResults(store!.db, results);
          await upsertRollups(store!.db, results);
          await sleep(Math.max(0, next - Date.now()));
        }
      })();

      await sleep(5 * INTERVAL);
      down = true;
      const downAt = Date.now();
      await sleep(DOWN_S * 1000);
      down = false;
      const upAt = Date.now();
      await sleep(6 * INTERVAL);
      stop = true;
      await loop;
      await evaluator.stop(1000);

      const outages = received.filter((r) => r.alert.labels.alertname === 'SlaServiceDown');
      // Firing alerts carry an endsAt ahead of when they were sent (re-sent while firing, as
      // Prometheus does); the one resolving it carries an endsAt not after it was sent.
      const state = (r: (typeof outages)[0]) => (Date.parse(r.alert.endsAt!) > r.at ? 'firing' : 'resolved');
      expect(new Set(outages.slice(0, -1).map(state))).toEqual(new Set(['firing']));
      expect(state(outages.at(-1)!)).toBe('resolved');
      for (const r of outages) expect(r.alert.startsAt).toBe(outages[0]!.alert.startsAt);
      const [firing, resolved] = [outages[0]!, outages.at(-1)!];
      expect(firing.alert.labels).toEqual({
        alertname: 'SlaServiceDown',
        service: 'office-web',
        customer: 'acme',
        severity: 'page',
      });
      // Order, not speed: the page follows the outage, the resolve follows the recovery.
      expect(firing.at).toBeGreaterThanOrEqual(downAt);
      expect(resolved.at).toBeGreaterThanOrEqual(upAt);

      // What the probes saw: down from when a majority of locations first failed to when a
      // majority first succeeded again.
      const results = await queryProbeResults(store.db, {
        targetIds: ['office-web/http'],
        fromMs: downAt - 10_000,
        toMs: Date.now(),
      });
      const firstFail = LOCATIONS.map((l) =>
        Date.parse(results.find((r) => r.location === l && !r.ok)!.startedAt),
      ).sort((a, b) => a - b);
      const firstOkAfter = LOCATIONS.map((l) =>
        Date.parse(
          results.find((r) => r.location === l && r.ok && Date.parse(r.startedAt) > firstFail[2]!)!.startedAt,
        ),
      ).sort((a, b) => a - b);
      const sawFrom = firstFail[1]!;
      const sawTo = firstOkAfter[1]!;
      expect(Date.parse(firing.alert.startsAt)).toBe(sawFrom);
      expect(Date.parse(resolved.alert.endsAt!)).toBe(sawTo);

      const p = zonedParts(Date.now(), TZ);
      const month = `${p.year}-${String(p.month).padStart(2, '0')}`;
      const report = await serviceMonthReport({
        store,
        service: services[0]!,
        timeIntervals: [],
        month,
        nowMs: Date.now(),
      });
      expect(report.downIntervals).toEqual([
        [new Date(sawFrom).toISOString(), new Date(sawTo).toISOString()],
      ]);
      expect(Math.abs(report.downSeconds - (sawTo - sawFrom) / 1000)).toBeLessThan(1);
      expect(report.availabilityMet).toBe(false);
    },
    DOWN_S * 1000 + 120_000,
  );
});

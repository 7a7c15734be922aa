import { describe, expect, it, vi } from 'vitest';
import {
  createMetricsRegistry,
  insertProbeResults,
  openStore,
  pruneProbeResults,
  queryProbeResults,
  createLogger,
  type ProbeResult,
} from '../../core/index.js';
import {
  ProbeRunner,
  httpProbeSchema,
  makeResult,
  probesSectionSchema,
  tlsProbeSchema,
  type ResolvedProbe,
} from '../../probes/index.js';
import { httpServer } from './helpers/servers.js';

describe('probe runner (the vigil start component)', () => {
  it.each([0, 1])(
    "with threads: %i, probes its location's targets, stores through the sink, exports blackbox metrics and prunes old rows",
    async (threads) => {
      const service = await httpServer((req, res) => res.writeHead(req.url === '/down' ? 503 : 200).end('x'));
      const store = await openStore('sqlite::memory:');
      const old = makeResult(
        { id: 'web/up', serviceId: 'web', type: 'http', location: 'ams', intervalMs: 1, timeoutMs: 1 },
        new Date(Date.now() - 200 * 86_400_000),
        { ok: true, totalMs: 1 },
      );
      await insertProbeResults(store.db, [old]);
      const metrics = createMetricsRegistry();
      const stored: ProbeResult[] = [];
      const probe = (targetId: string, url: string, locations = ['ams']): ResolvedProbe => ({
        targetId,
        serviceId: 'web',
        customer: 'acme',
        probeId: targetId.split('/')[1]!,
        sla: true,
        intervalMs: 1000,
        timeoutMs: 1000,
        locations,
        config: httpProbeSchema.parse({ type: 'http', url }),
      });
      const runner = new ProbeRunner({
        probes: [
          probe('web/up', `${service.url}/`),
          probe('web/down', `${service.url}/down`),
          probe('web/elsewhere', `${service.url}/`, ['fra']),
          {
            ...probe('web/tls', 'http://x/'),
            config: tlsProbeSchema.parse({ type: 'tls', host: '127.0.0.1', port: service.port }),
          },
        ],
        settings: probesSectionSchema.parse({ location: 'ams', retention: '90d', threads }),
        log: createLogger({ level: 'error' }),
        metrics,
        sink: async (results) => {
          stored.push(...results);
          await insertProbeResults(store.db, results);
        },
        prune: (before) => pruneProbeResults(store.db, before),
        flushIntervalMs: 50,
      });
      await runner.start();
      await vi.waitFor(() => expect(new Set(stored.map((r) => r.targetId)).size).toBe(3), {
        timeout: 10_000,
      });
      await runner.stop(2000);
      await service.close();

      expect(stored.some((r) => r.targetId === 'web/elsewhere')).toBe(false);
      expect(stored.find((r) => r.targetId === 'web/down')?.error?.kind).toBe('http_status');
      expect(stored.find((r) => r.targetId === 'web/tls')?.error?.kind).toBe('tls');
      const rows = await queryProbeResults(store.db, {
        targetIds: ['web/up'],
        fromMs: 0,
        toMs: Date.now() + 1000,
      });
      expect(rows.every((r) => Date.parse(r.startedAt) > Date.now() - 86_400_000)).toBe(true);
      expect(rows.length).toBeGreaterThan(0);

      const text = await metrics.metrics();
      expect(text).toMatch(/probe_success\{target="web\/up",location="ams"\} 1/);
      expect(text).toMatch(/probe_success\{target="web\/down",location="ams"\} 0/);
      expect(text).toMatch(/probe_http_status_code\{target="web\/down",location="ams"\} 503/);
      for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
        expect(text).toContain(
          `probe_http_duration_seconds{target="web/up",location="ams",phase="${phase}"}`,
        );
      }
      expect(text).toMatch(/probe_duration_seconds\{target="web\/up",location="ams"\} [\d.e-]+/);
      await store.close();
    },
    30_000,
  );
});

import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import {
  createMetricsRegistry,
  silentLogger,
  systemClock,
  type Alert,
  type AnalysisDb,
} from '../../core/index.js';
import { analyzersComponent, analyzersSchema } from '../../analyzers/index.js';
import { describeStores } from '../helpers/stores.js';
import { CORPUS } from './corpus.js';

describeStores('analyzers component of vigil start', (getStore) => {
  it('follows eve.json from start and hands a new high-severity alert to the alert sink without waiting for a run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-comp-'));
    const eve = join(dir, 'eve.json');
    writeFileSync(eve, '');
    const alerts: Alert[] = [];
    const config = analyzersSchema.parse({
      suricata: { eve: [eve] },
      tail: { interval: '100ms', min_severity: 'medium' },
    });
    const comp = analyzersComponent({
      config,
      customers: [{ id: 'acme', networks: ['10.16.1.0/24'] }],
      db: getStore().db as Kysely<AnalysisDb>,
      log: silentLogger(),
      metrics: createMetricsRegistry(),
      clock: systemClock,
      alerts: async (a) => void alerts.push(...a),
      findings: async () => undefined,
    });
    await comp.start();
    try {
      // the first poll learns the file (empty: nothing to learn); wait for it to be recorded
      for (let i = 0; i < 100 && alerts.length === 0; i++) {
        if (i === 5) {
          const line = readFileSync(
            `${CORPUS}suricata-eve/generated-suricata-7.0.10/alert-testmyids-async.eve.json`,
            'utf8',
          )
            .split('\n')
            .find((l) => l.includes('"event_type":"alert"'))!;
          appendFileSync(eve, `${line}\n`);
        }
        await sleep(100);
      }
      expect(alerts.map((a) => [a.labels.alertname, a.labels.customer])).toEqual([['IDSAlert', 'acme']]);
      // Held explicitly (an event, not a state): it ends by the source's word, not resolve_timeout.
      expect(Date.parse(alerts[0]!.endsAt!)).toBeGreaterThan(Date.now());
    } finally {
      await comp.stop(2000);
    }
  });
});

// CPU cost of one audit entry (hash + insert + commit share) by batch size: what the group commit
// saves, measured as process CPU (steadier than wall time on a shared machine).
//   node --import tsx bench/audit/append-cost.ts [--entries 20000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog, openStore, silentLogger, systemClock } from '../../core/index.js';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '20000' } } });
const n = Number(values.entries);
process.stdout.write('| entries per commit | CPU µs per entry |\n|---|---|\n');
for (const batch of [1, 7, 100, 2000]) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-cost-'));
  const store = await openStore(`sqlite:${join(dir, 'vigil.db')}`);
  const log = new AuditLog({ store, log: silentLogger(), clock: systemClock, maxBatch: batch });
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++)
    log.append({
      at: Date.now(),
      actor: { kind: 'user', name: 'alice', id: 'u1' },
      source: '127.0.0.1',
      action: 'GET /api/v2/alerts',
      object: '/api/v2/alerts?filter=service%3D%22office-web%22',
      result: '200',
    });
  await log.flush();
  const c = process.cpuUsage(c0);
  process.stdout.write(`| ${batch} | ${((c.user + c.system) / n).toFixed(1)} |\n`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

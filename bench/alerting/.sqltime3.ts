import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../core/index.js';
const N = 3000, B = 17;
const payload = JSON.stringify({ x: 'y'.repeat(900) });
async function fresh() { const file = join(mkdtempSync(join(tmpdir(), 'sq-')), 'x.db'); const st = await openStore(`sqlite:${file}`); await st.close(); const db = new Database(file); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL'); return db; }
const q = (n: number) => Array.from({ length: n }, () => '?').join(',');
function cpu(fn: () => void) { const c = process.cpuUsage(); fn(); const d = process.cpuUsage(c); return (d.user + d.system) / N; }
async function run(variant: 'A' | 'B') {
  const db = await fresh();
  const ids = Array.from({ length: N }, (_, i) => `id-${i}-${Math.random()}`);
  const ins = cpu(() => { for (let i = 0; i < N; i += 50) { const rows = ids.slice(i, i + 50); const sql = `insert into alerting_notifications (notification_id, kind, group_key, group_id, receiver, integration, dedup_key, payload, status, attempts, next_attempt_at, created_at) values ${rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`; db.exec('begin'); db.prepare(sql).run(...rows.flatMap((id) => [id, 'notify', 'gk' + id, 'g' + id, 'h', 'webhook/0', 'd', payload, 'pending', 0, 1, 1])); db.exec('commit'); } });
  // delivery: per flush, mark batch i+1 and finish batch i
  const del = cpu(() => {
    for (let i = 0; i <= N; i += B) {
      const next = ids.slice(i, i + B), done = ids.slice(Math.max(0, i - B), i);
      db.exec('begin');
      if (variant === 'A') {
        if (next.length) db.prepare(`update alerting_notifications set in_flight_since = ? where status = 'pending' and notification_id in (${q(next.length)})`).run(5, ...next);
        if (done.length) { db.prepare(`insert into alerting_attempts (notification_id, started_at, finished_at, outcome, reason) values ${done.map(() => '(?,?,?,?,?)').join(',')}`).run(...done.flatMap((id) => [id, 1, 2, 'ok', null]));
          db.prepare(`update alerting_notifications set status='sent', attempts = attempts + 1, sent_at = ?, last_error = null, in_flight_since = null where notification_id in (${q(done.length)})`).run(7, ...done); }
      } else {
        if (next.length) db.prepare(`insert into alerting_attempts (notification_id, started_at, finished_at, outcome, reason) values ${next.map(() => '(?,?,?,?,?)').join(',')}`).run(...next.flatMap((id) => [id, 1, null, 'in_flight', null]));
        if (done.length) { db.prepare(`update alerting_attempts set outcome = 'ok', finished_at = case notification_id ${done.map(() => 'when ? then ?').join(' ')} end where finished_at is null and notification_id in (${q(done.length)})`).run(...done.flatMap((id) => [id, 9]), ...done);
          db.prepare(`update alerting_notifications set status='sent', attempts = attempts + 1, sent_at = ?, last_error = null where notification_id in (${q(done.length)})`).run(7, ...done); }
      }
      db.exec('commit');
    }
  });
  return `${variant}: insert ${ins.toFixed(0)} deliver ${del.toFixed(0)} µs cpu/row`;
}
for (let k = 0; k < 3; k++) console.log(await run('A'), ' || ', await run('B'));

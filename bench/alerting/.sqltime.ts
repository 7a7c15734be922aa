import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../core/index.js';
const file = join(mkdtempSync(join(tmpdir(), 'sq-')), 'x.db');
const st = await openStore(`sqlite:${file}`); await st.close();
const db = new Database(file); db.pragma('journal_mode = WAL'); db.pragma('synchronous = NORMAL');
const N = 3000, B = 17;
const payload = JSON.stringify({ x: 'y'.repeat(900) });
const ids = Array.from({ length: N }, (_, i) => `id-${i}-${Math.random()}`);
function time(name: string, fn: () => void) { const t = performance.now(); fn(); console.log(name, ((performance.now() - t) * 1000 / N).toFixed(1), 'µs/row'); }
time('insert notif (50/txn)', () => { for (let i = 0; i < N; i += 50) { const rows = ids.slice(i, i + 50); const sql = `insert into alerting_notifications (notification_id, kind, group_key, group_id, receiver, integration, dedup_key, payload, status, attempts, next_attempt_at, created_at) values ${rows.map(() => '(?,?,?,?,?,?,?,?,?,?,?,?)').join(',')}`; const args = rows.flatMap((id) => [id, 'notify', 'gk' + id, 'g' + id, 'h', 'webhook/0', 'd', payload, 'pending', 0, Date.now(), Date.now()]); db.exec('begin'); db.prepare(sql).run(...args); db.exec('commit'); } });
time('mark inflight (B/txn)', () => { for (let i = 0; i < N; i += B) { const rows = ids.slice(i, i + B); db.exec('begin'); db.prepare(`update alerting_notifications set in_flight_since = ? where status = ? and notification_id in (${rows.map(() => '?').join(',')})`).run(Date.now(), 'pending', ...rows); db.exec('commit'); } });
time('attempt+sent (B/txn)', () => { for (let i = 0; i < N; i += B) { const rows = ids.slice(i, i + B); db.exec('begin'); db.prepare(`insert into alerting_attempts (notification_id, started_at, finished_at, outcome, reason) values ${rows.map(() => '(?,?,?,?,?)').join(',')}`).run(...rows.flatMap((id) => [id, 1, 2, 'ok', null])); db.prepare(`update alerting_notifications set status='sent', attempts = attempts + 1, sent_at = ?, last_error = null, in_flight_since = null where notification_id in (${rows.map(() => '?').join(',')})`).run(Date.now(), ...rows); db.exec('commit'); } });
time('empty txn x N/B', () => { for (let i = 0; i < N; i += B) { db.exec('begin'); db.exec('commit'); } });

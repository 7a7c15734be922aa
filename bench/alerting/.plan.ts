import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../core/index.js';
const file = join(mkdtempSync(join(tmpdir(), 'sq-')), 'x.db');
const st = await openStore(`sqlite:${file}`); await st.close();
const db = new Database(file);
for (const q of [
 `update alerting_notifications set in_flight_since = 1 where status = 'pending' and notification_id in ('a','b')`,
 `update alerting_notifications set in_flight_since = 1 where notification_id in ('a','b') and status = 'pending'`,
 `update alerting_notifications set status='sent' where notification_id in ('a','b')`,
 `update alerting_notifications set status='x' where notification_id = 'a'`,
 `select * from alerting_notifications where status = 'pending' order by id`,
 `update alerting_notifications set status = 'superseded' where status = 'pending' and notification_id in ('a')`,
]) console.log(q.slice(0, 90), '\n   ', db.prepare(`explain query plan ${q}`).all().map((r: any) => r.detail).join(' | '));

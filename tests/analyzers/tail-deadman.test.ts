import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRun, finishRun, type Alert, type AnalysisDb } from '../../core/index.js';
import { AlertTail, checkDeadMan, checkSchedule } from '../../analyzers/index.js';
import { describeStores } from '../helpers/stores.js';
import { CORPUS } from './corpus.js';

describeStores('alert tail', (getStore) => {
  let dir: string;
  let sent: Alert[];
  let tail: AlertTail;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-tail-'));
    sent = [];
    tail = new AlertTail({
      paths: [join(dir, '*.json'), join(dir, 'notice.log')],
      minSeverity: 'medium',
      suppressSids: [2200075],
      sink: async (a) => void sent.push(...a),
      customerOf: (ip) => (ip === '10.16.1.11' ? 'acme' : undefined),
      db: getStore().db as Kysely<AnalysisDb>,
    });
  });

  it('sends a Suricata alert appended to eve.json on the next poll, once, and skips history', async () => {
    const eve = join(dir, 'eve.json');
    const lines = readFileSync(
      `${CORPUS}suricata-eve/generated-suricata-7.0.10/alert-testmyids-async.eve.json`,
      'utf8',
    )
      .trim()
      .split('\n');
    const alert = lines.find((l) => l.includes('"event_type":"alert"'))!;
    writeFileSync(eve, `${alert}\n`);
    expect(await tail.poll()).toBe(0); // history: the runs analyse it
    appendFileSync(eve, `${lines.filter((l) => !l.includes('"alert"')).join('\n')}\n${alert}\n`);
    expect(await tail.poll()).toBe(1);
    expect(sent[0]!.labels).toMatchObject({
      alertname: 'IDSAlert',
      source: 'suricata',
      severity: 'medium',
      sid: '2100498',
      customer: 'acme',
      dest_ip: '10.16.1.11',
    });
    expect(sent[0]!.annotations.evidence).toBe(`${eve}:3`);
    expect(await tail.poll()).toBe(0);
    // an unfinished line waits for its newline
    appendFileSync(eve, alert.slice(0, 50));
    expect(await tail.poll()).toBe(0);
    appendFileSync(eve, `${alert.slice(50)}\n`);
    expect(await tail.poll()).toBe(1);
  });

  it('follows a Zeek notice.log (header learned first) and leaves out sensor notices and suppressed SIDs', async () => {
    const notice = join(dir, 'notice.log');
    const head =
      '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tnotice\n#fields\tts\tnote\tmsg\tsrc\tdst\n#types\ttime\tenum\tstring\taddr\taddr\n';
    writeFileSync(notice, head);
    await tail.poll();
    appendFileSync(
      notice,
      '1713484800.5\tSSH::Password_Guessing\t10.0.0.1 guessed\t203.0.113.5\t10.16.1.11\n1713484801.5\tCaptureLoss::Too_Much_Loss\tloss\t-\t-\n',
    );
    const dns = readFileSync(
      `${CORPUS}suricata-eve/generated-suricata-7.0.10/dns_dns-eve.eve.json`,
      'utf8',
    ).split('\n')[0]!; // SID 2200075, suppressed
    writeFileSync(join(dir, 'eve.json'), '');
    expect(await tail.poll()).toBe(1);
    appendFileSync(join(dir, 'eve.json'), `${dns}\n`);
    expect(await tail.poll()).toBe(0);
    expect(sent.map((a) => a.labels.signature)).toEqual(['SSH::Password_Guessing']);
    expect(sent[0]!.labels).toMatchObject({ severity: 'high', customer: 'acme', src_ip: '203.0.113.5' });
  });
});

describeStores('dead-man alert', (getStore) => {
  const H = 3_600_000;
  const base = Date.parse('2026-11-21T00:00:00Z');
  const check = (nowMs: number) =>
    checkDeadMan({
      db: getStore().db as Kysely<AnalysisDb>,
      analyzer: 'ids',
      schedule: '0 0,6,12,18 * * *',
      timezone: 'UTC',
      graceMs: 30 * 60_000,
      nowMs,
      sinceMs: base - 24 * H,
    });

  it('fires when the last scheduled run is overdue by its grace, and clears when a run finishes', async () => {
    const db = getStore().db as Kysely<AnalysisDb>;
    const run = await createRun(db, {
      analyzer: 'ids',
      scheduledFor: new Date(base),
      startedAt: new Date(base),
    });
    await finishRun(db, run.id, { status: 'ok', inputs: [], finishedAt: new Date(base + 60_000) });
    expect(await check(base + 6 * H + 29 * 60_000)).toBeUndefined(); // 06:00 run still within grace
    const alert = await check(base + 6 * H + 31 * 60_000);
    expect(alert?.labels).toEqual({
      alertname: 'VigilAnalysisRunMissed',
      analyzer: 'ids',
      severity: 'critical',
    });
    expect(alert?.startsAt).toBe('2026-11-21T06:30:00.000Z');
    const late = await createRun(db, { analyzer: 'ids', scheduledFor: new Date(base + 6 * H) });
    await finishRun(db, late.id, {
      status: 'partial',
      inputs: [],
      finishedAt: new Date(base + 6 * H + 40 * 60_000),
    });
    expect(await check(base + 6 * H + 41 * 60_000)).toBeUndefined();
  });
});

describe('schedule check (≥ 4 runs in every 24 h over the next year, DST included)', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['0 0,6,12,18 * * *', 'UTC', true],
    // the 25-hour fall-back day: 24 h after 00:00 is 23:00, so that window holds only 06, 12, 18
    ['0 0,6,12,18 * * *', 'Europe/Amsterdam', false],
    ['0 1,7,13,19 * * *', 'America/New_York', false],
    ['0 0,5,10,15,20 * * *', 'Europe/Amsterdam', true],
    ['0 */6 * * *', 'UTC', true],
    ['0 0,6,12,18 * * 1-5', 'UTC', false], // weekends have none
    ['0 0,8,16 * * *', 'UTC', false], // three a day
    ['30 2,7,12,17,22 * * *', 'Europe/Amsterdam', true], // 02:30 missing on the spring-forward day runs at 03:00
    ['0 0,5,12,18 * * *', 'UTC', true],
    ['0 0,1,2,3 * * *', 'UTC', true],
  ])('%s in %s → %s', (expr, tz, ok) => {
    const err = checkSchedule(expr, tz, from);
    if (ok) expect(err).toBeUndefined();
    else expect(err).toMatch(/only \d run\(s\) in the 24 h from .*at least 4/);
  });

  it('names a bad expression', () => {
    expect(checkSchedule('61 * * * *', 'UTC', from)).toMatch(/not a valid cron expression/);
  });
});

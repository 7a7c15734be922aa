import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectorRegistry,
  loadIntel,
  type DetectedFinding,
  type DetectorContext,
  type LogRecord,
} from '../../analyzers/index.js';
import { CORPUS, corpusFiles, readAll } from './corpus.js';

const ctx: DetectorContext = { customerOf: (ip) => (ip?.startsWith('10.') ? 'acme' : undefined) };
const run = (
  type: string,
  records: LogRecord[],
  options: Record<string, unknown> = {},
  c: DetectorContext = ctx,
): DetectedFinding[] => {
  const d = detectorRegistry[type]!(options, c);
  for (const r of records) if (d.paths.includes('*') || d.paths.includes(r.path)) d.observe(r);
  return d.finish();
};
let line = 0;
const rec = (
  path: string,
  ts: number,
  fields: Record<string, unknown>,
  source: 'zeek' | 'suricata' = 'zeek',
): LogRecord => ({
  source,
  path,
  ts,
  fields: { ts, ...fields },
  timeFields: ['ts'],
  file: 'crafted.log',
  line: ++line,
});
const T0 = 1_713_484_800; // 2024-04-19T00:00:00Z

describe('signature alerts on the Suricata corpus', () => {
  it('groups alerts per signature, source, destination and day, most severe first; suppressed SIDs vanish', async () => {
    const records: LogRecord[] = [];
    for (const f of corpusFiles('suricata-eve/generated-suricata-7.0.10'))
      records.push(...(await readAll(f)).records);
    const alerts = records.filter((r) => r.path === 'eve.alert');
    const found = run('signature-alerts', records);
    expect(found.reduce((a, f) => a + f.count, 0)).toBe(alerts.length);
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    for (let i = 1; i < found.length; i++)
      expect(order.indexOf(found[i]!.severity)).toBeGreaterThanOrEqual(order.indexOf(found[i - 1]!.severity));
    expect(found.some((f) => f.title.includes('GPL ATTACK_RESPONSE id check returned root'))).toBe(true);
    const quiet = run('signature-alerts', records, { suppress_sids: [2100498] });
    expect(quiet.some((f) => f.title.includes('GPL ATTACK_RESPONSE'))).toBe(false);
  });
});

describe('threat intel', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-intel-'));
  const zeekIntel = join(dir, 'intel.dat');
  writeFileSync(
    zeekIntel,
    '#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\n82.165.177.154\tIntel::ADDR\tfeed-a\tbad host\nclient-cf.dropbox.com\tIntel::DOMAIN\tfeed-a\ttest\n',
  );
  const plain = join(dir, 'list.txt');
  writeFileSync(
    plain,
    '# a plain list\n192.0.2.0/24\nevil.example\nhttp://www.eicar.org/download/eicar.com\n44d88612fea8a8f36de82e1278abb02f\n',
  );

  it('matches Zeek intel and plain lists against EVE and Zeek records', async () => {
    const intel = loadIntel([{ path: zeekIntel }, { path: plain }]);
    const records = [
      ...(await readAll(`${CORPUS}suricata-eve/generated-suricata-7.0.10/alert-testmyids-async.eve.json`))
        .records,
      ...(await readAll(`${CORPUS}suricata-eve/generated-suricata-7.0.10/dns_dns-eve.eve.json`)).records,
      ...(await readAll(`${CORPUS}suricata-eve/generated-suricata-7.0.10/output-eve-fileinfo.eve.json`))
        .records,
      rec('conn', T0, { 'id.orig_h': '10.1.1.1', 'id.resp_h': '192.0.2.77', 'id.resp_p': 443 }),
      rec('dns', T0, { 'id.orig_h': '10.1.1.1', 'id.resp_h': '10.0.0.53', query: 'a.b.evil.example' }),
      rec('files', T0, {
        md5: '44D88612FEA8A8F36DE82E1278ABB02F',
        sha1: '3395856ce81f2b7382dee72602f798b642f14140',
      }),
      rec('dns', T0, { 'id.orig_h': '10.1.1.1', 'id.resp_h': '10.0.0.53', query: 'notevil.example.com' }),
    ];
    const found = run('intel', records, {}, { ...ctx, intel });
    const what = new Set(found.map((f) => `${f.details?.type}:${f.details?.indicator}`));
    expect(what).toEqual(
      new Set([
        'ip:82.165.177.154',
        'domain:client-cf.dropbox.com',
        'cidr:192.0.2.0/24',
        'domain:evil.example',
        'url:http://www.eicar.org/download/eicar.com',
        'hash:44d88612fea8a8f36de82e1278abb02f',
      ]),
    );
  });
});

describe('crafted detections', () => {
  it('horizontal and vertical scans, only over the thresholds', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 30; i++)
      recs.push(
        rec('conn', T0 + i, {
          'id.orig_h': '203.0.113.9',
          'id.resp_h': `10.0.0.${i}`,
          'id.resp_p': 3389,
          conn_state: 'S0',
          proto: 'tcp',
        }),
      );
    for (let p = 1; p <= 60; p++)
      recs.push(
        rec('conn', T0 + p, {
          'id.orig_h': '203.0.113.10',
          'id.resp_h': '10.0.0.1',
          'id.resp_p': p,
          conn_state: 'REJ',
          proto: 'tcp',
        }),
      );
    for (let i = 0; i < 24; i++)
      recs.push(
        rec('conn', T0 + i, {
          'id.orig_h': '203.0.113.11',
          'id.resp_h': `10.0.1.${i}`,
          'id.resp_p': 22,
          conn_state: 'S0',
          proto: 'tcp',
        }),
      );
    const kinds = run('scans', recs)
      .map((f) => `${f.details?.kind}:${f.src}`)
      .sort();
    expect(kinds).toEqual(['horizontal:203.0.113.9', 'vertical:203.0.113.10']);
  });

  it('DNS tunnelling by unique subdomains and by long or high-entropy labels', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 250; i++)
      recs.push(rec('dns', T0 + i, { 'id.orig_h': '10.0.0.5', query: `x${i}.tunnel.co.uk` }));
    for (let i = 0; i < 25; i++)
      recs.push(
        rec('dns', T0 + i, {
          'id.orig_h': '10.0.0.6',
          query: `${Buffer.from(`secret-data-chunk-${i}-abcdefghijkl`).toString('base64url')}.exfil.example`,
        }),
      );
    for (let i = 0; i < 100; i++)
      recs.push(rec('dns', T0 + i, { 'id.orig_h': '10.0.0.7', query: `www${i % 5}.example.org` }));
    const found = run('dns-tunnelling', recs);
    expect(found.map((f) => f.details?.domain).sort()).toEqual(['exfil.example', 'tunnel.co.uk']);
  });

  it('TLS hygiene from Zeek ssl and x509 and Suricata tls', async () => {
    const eve = (await readAll(`${CORPUS}suricata-eve/generated-suricata-7.0.10/tls_tls-glupteba.eve.json`))
      .records;
    const recs = [
      ...eve,
      rec('ssl', T0, {
        'id.orig_h': '10.0.0.1',
        'id.resp_h': '198.51.100.1',
        server_name: 'old.example',
        version: 'TLSv10',
        validation_status: 'self signed certificate',
        sni_matches_cert: false,
      }),
      rec('x509', T0, {
        fingerprint: 'ab',
        'certificate.subject': 'CN=weak.example',
        'certificate.issuer': 'CN=ca',
        'certificate.key_type': 'rsa',
        'certificate.key_length': 1024,
        'certificate.not_valid_after': T0 - 10,
        host_cert: true,
      }),
    ];
    const issues = new Set(run('tls-hygiene', recs).map((f) => `${f.details?.issue}@${f.details?.server}`));
    expect(issues).toEqual(
      new Set([
        'old_protocol@old.example',
        'self_signed@old.example',
        'sni_mismatch@old.example',
        'weak_key@weak.example',
        'expired@weak.example',
        'old_protocol@72.16.54.30',
        'expired@72.16.54.30',
      ]),
    );
  });

  it('large outbound transfers only from a customer network to outside', () => {
    const recs = [
      rec('conn', T0, { 'id.orig_h': '10.0.0.1', 'id.resp_h': '198.51.100.1', orig_bytes: 800 * 1024 ** 2 }),
      rec('conn', T0 + 60, {
        'id.orig_h': '10.0.0.1',
        'id.resp_h': '198.51.100.1',
        orig_bytes: 400 * 1024 ** 2,
      }),
      rec('conn', T0, { 'id.orig_h': '10.0.0.2', 'id.resp_h': '10.0.0.3', orig_bytes: 5 * 1024 ** 3 }),
      rec('conn', T0, { 'id.orig_h': '198.51.100.2', 'id.resp_h': '10.0.0.3', orig_bytes: 5 * 1024 ** 3 }),
    ];
    const found = run('large-transfers', recs);
    expect(found.map((f) => [f.src, f.dst, f.count])).toEqual([['10.0.0.1', '198.51.100.1', 2]]);
  });

  it('sensor health: a weird spike and a missing hour', () => {
    const recs: LogRecord[] = [];
    for (let h = 0; h < 6; h++)
      if (h !== 3)
        recs.push(rec('conn', T0 + h * 3600 + 5, { 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2' }));
    for (let h = 0; h < 6; h++)
      for (let i = 0; i < (h === 4 ? 500 : 5); i++)
        recs.push(
          rec('weird', T0 + h * 3600 + i, { name: h === 4 ? 'bad_TCP_checksum' : 'dns_unmatched_msg' }),
        );
    const keys = run('sensor-health', recs)
      .map((f) => f.key)
      .sort();
    expect(keys).toEqual(['missing_hour|2024-04-19T03', 'weird_spike|2024-04-19T04']);
  });

  it('sensor health: conn.logs a year apart give one gap finding, not one per missing hour', () => {
    const recs = [
      rec('conn', T0 + 5, { 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2' }),
      rec('conn', T0 + 365 * 86_400 + 5, { 'id.orig_h': '10.0.0.1', 'id.resp_h': '10.0.0.2' }),
    ];
    const found = run('sensor-health', recs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      count: 365 * 24 - 1,
      details: { check: 'missing_hour', hours: 365 * 24 - 1 },
    });
  });

  it('sensor health: beyond 100 gaps the rest are counted in one finding', () => {
    const recs: LogRecord[] = [];
    for (let h = 0; h < 2 * 150; h += 2)
      recs.push(rec('conn', T0 + h * 3600 + 5, { 'id.orig_h': '10.0.0.1' }));
    const found = run('sensor-health', recs);
    expect(found).toHaveLength(101);
    expect(found.find((f) => f.key.startsWith('missing_hours_more|'))).toMatchObject({ count: 49 });
  });

  it('sensor health: Suricata stats events whose kernel drops since the last one pass the limit', () => {
    const stats = (t: number, packets: number, drops: number): LogRecord =>
      rec(
        'eve.stats',
        T0 + t,
        { host: 'ids1', stats: { capture: { kernel_packets: packets, kernel_drops: drops } } },
        'suricata',
      );
    const found = run('sensor-health', [
      stats(0, 1000, 0),
      stats(8, 2000, 10), // 1 % in this interval
      stats(16, 3000, 210), // 20 %
      stats(3600 + 8, 100, 0), // restarted: counters from zero, no loss
    ]);
    expect(found.map((f) => [f.key, f.details?.percentLost])).toEqual([
      ['capture_loss|suricata:ids1|2024-04-19T00', 20],
    ]);
  });

  it('brute force: many Suricata SSH sessions from one source, named as sessions (logins not visible)', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 12; i++)
      recs.push(
        rec(
          'eve.ssh',
          T0 + i * 30,
          {
            src_ip: '73.54.23.243',
            dest_ip: '64.225.56.201',
            dest_port: 22,
            ssh: { client: { software_version: 'libssh2_1.9' } },
          },
          'suricata',
        ),
      );
    const found = run('brute-force', recs);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'medium', count: 12, details: { protocol: 'ssh-sessions' } });
  });

  it('brute force: failures over the threshold, critical when a login then succeeds', () => {
    const recs: LogRecord[] = [];
    for (let i = 0; i < 12; i++)
      recs.push(
        rec('ssh', T0 + i, {
          'id.orig_h': '203.0.113.5',
          'id.resp_h': '10.0.0.22',
          auth_success: false,
          auth_attempts: 1,
        }),
      );
    recs.push(
      rec('ssh', T0 + 20, {
        'id.orig_h': '203.0.113.5',
        'id.resp_h': '10.0.0.22',
        auth_success: true,
        auth_attempts: 1,
      }),
    );
    for (let i = 0; i < 5; i++)
      recs.push(
        rec('ssh', T0 + i, {
          'id.orig_h': '203.0.113.6',
          'id.resp_h': '10.0.0.22',
          auth_success: false,
          auth_attempts: 1,
        }),
      );
    const found = run('brute-force', recs);
    expect(found.map((f) => [f.src, f.severity, f.count])).toEqual([['203.0.113.5', 'critical', 12]]);
  });

  it('beacon score: a fixed 60 s beacon scores near 1, random traffic low', async () => {
    const { beaconScore } = await import('../../analyzers/index.js');
    const fixed = Array.from({ length: 600 }, (_v, i) => T0 + i * 60);
    expect(
      beaconScore(
        fixed,
        fixed.map(() => 512),
      ).score,
    ).toBeGreaterThan(0.95);
    let x = 7;
    const rnd = (): number => (x = (x * 48271) % 2147483647) / 2147483647;
    const times = Array.from({ length: 600 }, () => T0 + rnd() * 36_000);
    expect(
      beaconScore(
        times,
        times.map(() => Math.floor(rnd() * 50_000)),
      ).score,
    ).toBeLessThan(0.7);
  });
});

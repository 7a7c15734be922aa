import { describe, expect, it } from 'vitest';
import { compileSigmaFile, compileSigmaRule } from '../../analyzers/sigma/index.js';
import { sigmaRules } from '../../analyzers/detectors/sigma-rules.js';
import type { LogRecord } from '../../analyzers/types.js';

const rule = (body: string, logsource = '{product: zeek, service: ssh}'): string =>
  `title: t\nid: t1\nlogsource: ${logsource}\nlevel: high\n${body}`;

const ssh = (ts: number, src: string, extra: Record<string, unknown> = {}): LogRecord => ({
  source: 'zeek',
  path: 'ssh',
  ts,
  fields: { ts, 'id.orig_h': src, 'id.resp_h': '10.0.0.1', 'id.resp_p': 22, auth_success: false, ...extra },
  timeFields: ['ts'],
  file: 'ssh.log',
  line: 1,
});

describe('Sigma features real rules use', () => {
  it('aggregation with timeframe: count() by source over a sliding window', () => {
    const r = compileSigmaRule(
      rule(
        'detection:\n  s: {auth_success: false}\n  timeframe: 5m\n  condition: s | count() by id.orig_h > 3\n',
      ),
      'agg.yml',
    );
    expect(r.aggregation).toMatchObject({ byName: 'id.orig_h', op: '>', value: 3, windowSec: 300 });
    const d = sigmaRules({}, { customerOf: () => undefined, sigma: [r] });
    // 4 failures of one source within 5 minutes: fires once the 4th arrives
    for (const t of [0, 60, 120, 180]) d.observe(ssh(1_700_000_000 + t, '198.51.100.7'));
    // 4 failures spread over an hour: never 4 inside any 5-minute window
    for (const t of [0, 400, 800, 1200]) d.observe(ssh(1_700_000_000 + t, '203.0.113.9'));
    const f = d.finish();
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      src: '198.51.100.7',
      count: 1,
      details: { group: '198.51.100.7', timeframe: '5m' },
    });
  });

  it('aggregation counting distinct values: count(field) by source', () => {
    const r = compileSigmaRule(
      rule(
        'detection:\n  s: {auth_success: false}\n  timeframe: 1h\n  condition: s | count(id.resp_h) by id.orig_h >= 3\n',
      ),
      'agg2.yml',
    );
    const d = sigmaRules({}, { customerOf: () => undefined, sigma: [r] });
    for (const [t, dst] of [
      [0, '10.0.0.1'],
      [10, '10.0.0.1'],
      [20, '10.0.0.2'],
      [30, '10.0.0.3'],
    ] as const)
      d.observe(ssh(1_700_000_000 + t, '198.51.100.7', { 'id.resp_h': dst }));
    expect(d.finish()).toEqual([expect.objectContaining({ count: 1, src: '198.51.100.7' })]);
  });

  it('a timeframe is never silently ignored: without an aggregation the rule is refused', () => {
    const res = compileSigmaFile(
      rule('detection:\n  s: {auth_success: false}\n  timeframe: 5m\n  condition: s\n'),
      'tf.yml',
    );
    expect(res.rules).toHaveLength(0);
    expect(res.problems[0]).toMatchObject({
      line: 7,
      message: expect.stringMatching(/timeframe without an aggregation/),
    });
  });

  it('refuses aggregation functions it does not implement, with the reason', () => {
    const res = compileSigmaFile(
      rule(
        'detection:\n  s: {auth_success: false}\n  timeframe: 5m\n  condition: s | max(auth_attempts) by id.orig_h > 3\n',
      ),
      'max.yml',
    );
    expect(res.problems[0]!.message).toMatch(/aggregation function max\(\) is not supported/);
  });

  it.each([
    [
      'keywords',
      "detection:\n  k:\n    - 'libssh'\n    - 'paramiko'\n  condition: k",
      { client: 'SSH-2.0-paramiko_2.1' },
      { client: 'SSH-2.0-OpenSSH_9' },
    ],
    [
      're with the i flag',
      "detection:\n  s:\n    client|re|i: '^ssh-2\\.0-go'\n  condition: s",
      { client: 'SSH-2.0-Go' },
      { client: 'SSH-2.0-OpenSSH' },
    ],
    [
      're without flags is case-sensitive',
      "detection:\n  s:\n    client|re: '^ssh'\n  condition: s",
      { client: 'ssh-1' },
      { client: 'SSH-2.0' },
    ],
    ['exists: true', 'detection:\n  s:\n    hassh|exists: true\n  condition: s', { hassh: 'abc' }, {}],
    ['exists: false', 'detection:\n  s:\n    hassh|exists: false\n  condition: s', {}, { hassh: 'abc' }],
    [
      'numeric gte',
      'detection:\n  s:\n    auth_attempts|gte: 5\n  condition: s',
      { auth_attempts: 7 },
      { auth_attempts: 4 },
    ],
    [
      'numeric lt',
      'detection:\n  s:\n    auth_attempts|lt: 2\n  condition: s',
      { auth_attempts: 1 },
      { auth_attempts: 2 },
    ],
    [
      'cased',
      "detection:\n  s:\n    client|contains|cased: 'Go'\n  condition: s",
      { client: 'SSH-2.0-Go' },
      { client: 'ssh-2.0-go' },
    ],
  ])('%s', (_name, det, hit, miss) => {
    const r = compileSigmaRule(rule(`${det}\n`), 'f.yml');
    expect(r.match(hit)).toBe(true);
    expect(r.match(miss)).toBe(false);
  });

  it('reads multi-document rule files: a global document fills each rule after it', () => {
    const res = compileSigmaFile(
      [
        'action: global',
        'title: Brute force',
        'logsource: {product: zeek, service: ssh}',
        'level: high',
        'detection:',
        '  condition: s',
        '---',
        'id: a',
        'detection:',
        '  s: {auth_success: false}',
        '---',
        'id: b',
        'detection:',
        '  s: {client|contains: libssh}',
        '---',
        'id: c',
        'detection:',
        '  s:',
        '    client|nosuchmodifier: x',
      ].join('\n'),
      'multi.yml',
    );
    expect(res.rules.map((r) => `${r.id}:${r.title}:${r.level}`)).toEqual([
      'a:Brute force:high',
      'b:Brute force:high',
    ]);
    expect(res.problems).toEqual([
      expect.objectContaining({
        line: 19,
        message: expect.stringMatching(/unsupported Sigma modifier "nosuchmodifier"/),
      }),
    ]);
  });

  it('runs rules on Suricata EVE where they name it, through nested fields', () => {
    const r = compileSigmaRule(
      rule(
        "detection:\n  s:\n    dns.queries.rrname|endswith: '.onion'\n  condition: s\n",
        '{product: suricata, service: dns}',
      ),
      'eve.yml',
    );
    expect(r.paths).toEqual(['eve.dns']);
    const d = sigmaRules({}, { customerOf: () => undefined, sigma: [r] });
    d.observe({
      source: 'suricata',
      path: 'eve.dns',
      ts: 1_700_000_000,
      fields: {
        src_ip: '10.0.0.5',
        dest_ip: '10.0.0.53',
        dns: { type: 'request', queries: [{ rrname: 'abc.onion' }] },
      },
      timeFields: ['ts'],
      file: 'eve.json',
      line: 3,
    });
    expect(d.finish()).toEqual([
      expect.objectContaining({ src: '10.0.0.5', dst: '10.0.0.53', title: 'Sigma: t' }),
    ]);
  });
});

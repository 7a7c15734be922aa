import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScriptProbe, scriptProbeSchema, scriptRunParams, type ProbeTarget } from '../../probes/index.js';
import { startK6Peers, type K6Peers } from './helpers/k6-peers.js';

// Published k6 examples (tests/fixtures/k6/README.md: source commit and AGPL-3.0 licence), run
// unchanged against loopback imitations of what they call. Each either runs as k6 would, or is
// refused with the "outside vigil's k6 subset" error naming its line; none may crash vigil.
const EXAMPLES = fileURLToPath(new URL('../fixtures/k6/examples/', import.meta.url));

let peers: K6Peers;
let caFile: string;
beforeAll(async () => {
  peers = await startK6Peers();
  caFile = join(mkdtempSync(join(tmpdir(), 'vigil-k6-')), 'ca.pem');
  writeFileSync(caFile, peers.ca.cert);
});
afterAll(async () => {
  await peers.close();
});

const target = (name: string, timeoutMs: number): ProbeTarget => ({
  id: `examples/${name}`,
  serviceId: 'examples',
  type: 'script',
  location: 'local',
  intervalMs: 60_000,
  timeoutMs,
});

async function run(name: string, opts: { timeoutMs?: number; ca?: boolean } = {}) {
  const cfg = scriptProbeSchema.parse({
    type: 'script',
    file: join(EXAMPLES, name),
    hosts: peers.hosts,
    ...(opts.ca === false ? {} : { ca_file: caFile }),
  });
  const timeoutMs = opts.timeoutMs ?? 20_000;
  return runScriptProbe(
    { ...scriptRunParams(cfg), timeoutMs },
    target(name, timeoutMs),
    new AbortController().signal,
  );
}

describe('published k6 examples that run unchanged', () => {
  it.each([
    ['http_get.js', 0, 1],
    ['http_verbs.js', 10, 5],
    ['http_basic_auth.js', 6, 2],
    ['json.js', 2, 1],
    ['html_form_post.js', 6, 1],
    ['base64.js', 8, 0],
    ['http_batch.js', 3, 2],
    ['cookies.js', 26, 7],
  ])('%s: up, %i checks passed, %i requests', async (name, checks, requests) => {
    const { result, summary } = await run(name);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(summary.probe_checks_total).toEqual({ pass: checks, fail: 0 });
    expect(summary.probe_http_requests_total).toBe(requests);
  });

  it('redirects.js: options.maxRedirects returns the 6th redirect as is; redirects: 1 per request ends on /get', async () => {
    const { result, summary } = await run('redirects.js');
    expect(result.ok).toBe(true);
    expect(summary.checks.map((c) => c.name)).toEqual(['is status 302', 'is status 200', 'url is correct']);
    // k6 records every hop: 6 for the first call (5 followed + the last 302), 2 for the second.
    expect(summary.probe_http_requests_total).toBe(8);
    expect(summary.logs).toEqual([{ level: 'info', msg: '200' }]);
  });

  it('tls_skip_cert_verification.js: the script option skips verification of a certificate vigil does not trust', async () => {
    const { result } = await run('tls_skip_cert_verification.js', { ca: false });
    expect(result.ok).toBe(true);
    expect(result.tls?.issuer).toContain('k6 peers CA');
  });

  it('a certificate vigil does not trust fails the request, and the check names it', async () => {
    const { result } = await run('http_batch.js', { ca: false });
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe('tls');
    // A batch's checks follow all its requests: the message names the last one, which failed too.
    expect(result.error?.message).toMatch(
      /^check "main page 200" \(line 10\) failed after GET https:\/\/quickpizza\.grafana\.com\/pi\.php: TLS handshake with quickpizza\.grafana\.com failed: .*; 2 more failed: "pi page 200", "pi page has right content"$/,
    );
  });

  it('crypto.js and jwt.js compute what node:crypto computes', async () => {
    const c = await run('crypto.js');
    expect(c.result.ok).toBe(true);
    expect(c.summary.logs.map((l) => l.msg)).toEqual([
      createHash('sha1').update('some text').digest('hex'),
      createHash('sha1').update('some other text').digest('hex'),
      createHash('sha1').update('some other text').digest('base64'),
    ]);
    const j = await run('jwt.js');
    expect(j.result.ok).toBe(true);
    expect(j.summary.logs[1]).toEqual({ level: 'info', msg: 'decoded {"key2":"value2"}' });
  });

  it('logging.js: console output is kept with its level', async () => {
    const { summary } = await run('logging.js');
    expect(summary.logs.map((l) => l.level)).toEqual(['info', 'debug', 'info', 'warn', 'error']);
    expect(summary.logs[0]!.msg).toBe('log a b');
  });

  it('http_2.js runs, and is down because vigil speaks HTTP/1.1: the failing check is named', async () => {
    const { result } = await run('http_2.js');
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      kind: 'assertion',
      message: 'check "protocol is HTTP/2" (line 5) failed',
    });
  });

  it('thresholds.js: thresholds on http_req_duration, with a tag filter, are evaluated', async () => {
    const { result, summary } = await run('thresholds.js');
    expect(summary.probe_http_requests_total).toBe(2);
    // Whether 500 ms held depends on the machine; what is fixed is that vigil read both thresholds.
    expect(result.error?.kind ?? 'assertion').toBe('assertion');
  });

  it('malicious.js (an endless loop) is stopped at the time limit and reported as a probe error', async () => {
    const { result } = await run('malicious.js', { timeoutMs: 1500 });
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe('timeout');
    expect(result.error?.message).toMatch(
      /still running after 1\.5s \(in default\): stopped at the time limit/,
    );
  });
});

describe('published k6 examples outside the subset are refused at config time, naming the line', () => {
  it.each([
    ['es6sample.js', 2, 'import of "k6/metrics" is outside vigil\'s k6 subset'],
    ['es6sample.js', 39, "res.html() is outside vigil's k6 subset"],
    ['custom_metrics.js', 2, 'import of "k6/metrics"'],
    ['tagging.js', 2, 'import of "k6/metrics"'],
    ['timers.js', 2, 'import of "k6/timers"'],
    ['websocket.js', 1, 'import of "k6/ws"'],
  ])('%s line %i: %s', (name, line, text) => {
    const parsed = scriptProbeSchema.safeParse({ type: 'script', file: join(EXAMPLES, name) });
    expect(parsed.success).toBe(false);
    const messages = parsed.error!.issues.map((i) => i.message);
    expect(messages.some((m) => m.includes(`${name}:${line}:`) && m.includes(text))).toBe(true);
  });
});

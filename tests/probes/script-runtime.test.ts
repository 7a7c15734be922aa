import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateSecret, verify } from 'otplib';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger, type ProbeResult } from '../../core/index.js';
import {
  LoopMonitor,
  ProbeMetrics,
  ProbeScheduler,
  httpProbe,
  httpProbeSchema,
  runScriptProbe,
  scriptProbe,
  scriptProbeSchema,
  scriptRunParams,
  scriptSecrets,
  resolveProbes,
  servicesSchema,
  type ProbeTarget,
} from '../../probes/index.js';
import { ThreadedScheduler } from '../../probes/threaded-scheduler.js';
import { httpServer, type Running } from './helpers/servers.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/k6/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vigil-script-'));

const target = (id: string, timeoutMs = 10_000, intervalMs = 60_000): ProbeTarget => ({
  id: `svc/${id}`,
  serviceId: 'svc',
  type: 'script',
  location: 'local',
  intervalMs,
  timeoutMs,
});

function scriptFile(name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

async function runSource(
  name: string,
  source: string,
  extra: Record<string, unknown> = {},
  timeoutMs = 10_000,
) {
  const cfg = scriptProbeSchema.parse({ type: 'script', file: scriptFile(name, source), ...extra });
  return runScriptProbe(
    { ...scriptRunParams(cfg), timeoutMs },
    target(name, timeoutMs),
    new AbortController().signal,
  );
}

describe('a TOTP journey against a local app that demands 2FA', () => {
  const secret = generateSecret();
  const report = Buffer.alloc(200_000);
  for (let i = 0; i < report.length; i++) report[i] = (i * 7 + 3) & 255;
  let app: Running;
  let demand2fa = true;
  const verified: string[] = [];
  beforeAll(async () => {
    const half = new Set<string>();
    const full = new Set<string>();
    let n = 0;
    app = await httpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        void (async () => {
          const cookie = /sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1] ?? '';
          const url = req.url ?? '/';
          if (req.method === 'POST' && url === '/login') {
            const form = new URLSearchParams(body);
            if (form.get('username') !== 'alice' || form.get('password') !== 'pw-1')
              return res.writeHead(401).end();
            const sid = `s${++n}`;
            half.add(sid);
            res.writeHead(200, { 'set-cookie': `sid=${sid}; Path=/; HttpOnly` });
            return res.end('{"next":"totp"}');
          }
          if (req.method === 'POST' && url === '/login/totp') {
            const { code } = JSON.parse(body) as { code: string };
            const ok = half.has(cookie) && (await verify({ secret, token: code })).valid;
            if (!ok) return res.writeHead(401).end();
            verified.push(code);
            full.add(cookie);
            return res.writeHead(200).end('{}');
          }
          const allowed = full.has(cookie) || (!demand2fa && half.has(cookie));
          if (!allowed)
            return res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"2FA required"}');
          if (url === '/dossiers/42')
            return res
              .writeHead(200, { 'content-type': 'application/json' })
              .end('{"id":42,"files":["report.pdf"]}');
          if (url === '/dossiers/42/files/report.pdf')
            return res.writeHead(200, { 'content-type': 'application/pdf' }).end(report);
          res.writeHead(404).end();
        })();
      });
    });
  });
  afterAll(async () => {
    await app.close();
  });

  const config = (totpSecret: string) =>
    scriptProbeSchema.parse({
      type: 'script',
      file: join(FIXTURES, 'totp-journey.js'),
      files: [join(FIXTURES, 'report.sha256')],
      env: { BASE_URL: app.url, USERNAME: 'alice', PASSWORD: 'pw-1', TOTP_SECRET: totpSecret },
    });

  it('logs in through 2FA, opens the dossier and verifies the download: up, every check passed', async () => {
    const probe = scriptProbe(config(secret));
    const result = await probe.run(target('journey'), new AbortController().signal);
    expect(result.error).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.status).toBe(200);
    expect(verified).toHaveLength(1);
    // The early 401 is a failed request in k6's sense (http_req_failed), though its check passed.
    expect(result.script).toEqual({
      checksPassed: 5,
      checksFailed: 0,
      requests: 5,
      requestsFailed: 1,
      durationMs: expect.any(Number) as number,
    });
    const registry = new Registry();
    new ProbeMetrics(registry).observe(result);
    const text = await registry.metrics();
    expect(text).toContain('probe_checks_total{target="svc/journey",location="local",result="pass"} 5');
    expect(text).toContain('probe_checks_total{target="svc/journey",location="local",result="fail"} 0');
    expect(text).toContain('probe_http_requests_total{target="svc/journey",location="local"} 5');
    expect(text).toContain('probe_http_requests_failed_total{target="svc/journey",location="local"} 1');
    expect(text).toMatch(/probe_script_duration_seconds\{target="svc\/journey",location="local"\} \d/);
    const { summary } = await runScriptProbe(
      { ...scriptRunParams(config(secret)), timeoutMs: 10_000 },
      target('journey'),
      new AbortController().signal,
    );
    expect(summary.checks).toEqual([
      { name: 'password accepted', group: '::login', pass: 1, fail: 0 },
      { name: '2FA is demanded before the dossier opens', group: '::login', pass: 1, fail: 0 },
      { name: 'TOTP code accepted', group: '::login', pass: 1, fail: 0 },
      { name: 'dossier opens', group: '::dossier', pass: 1, fail: 0 },
      { name: 'download is the report', group: '::dossier', pass: 1, fail: 0 },
    ]);
    expect(summary.requests.map((r) => r.status)).toEqual([200, 401, 200, 200, 200]);
    // Every request is timed by phase, under k6's names; durations add up as k6 defines them.
    for (const r of summary.requests) {
      const m = r.metrics;
      expect(m.http_req_duration).toBeCloseTo(
        m.http_req_sending + m.http_req_waiting + m.http_req_receiving,
        2,
      );
    }
  });

  it('with a wrong TOTP secret it is down, and the error names the failing check and the 401', async () => {
    const { result, summary } = await runScriptProbe(
      { ...scriptRunParams(config(generateSecret())), timeoutMs: 10_000 },
      target('journey'),
      new AbortController().signal,
    );
    expect(result.ok).toBe(false);
    expect(result.error?.kind).toBe('http_status');
    expect(result.error?.message).toMatch(
      /^check "TOTP code accepted" in group ::login \(line 28\) failed after POST http:\/\/127\.0\.0\.1:\d+\/login\/totp answered 401; 2 more failed: "dossier opens", "download is the report"$/,
    );
    expect(summary.probe_checks_total).toEqual({ pass: 2, fail: 3 });
  });

  it('when the app opens the dossier without the second factor, the journey says so', async () => {
    demand2fa = false;
    try {
      const { result } = await runScriptProbe(
        { ...scriptRunParams(config(secret)), timeoutMs: 10_000 },
        target('journey'),
        new AbortController().signal,
      );
      expect(result.ok).toBe(false);
      expect(result.error?.message).toMatch(
        /^check "2FA is demanded before the dossier opens" in group ::login/,
      );
    } finally {
      demand2fa = true;
    }
  });
});

describe('isolation: the script sees the k6 API and nothing of vigil', () => {
  it('has no process, require, timers or fetch; constructor chains and stack frames lead nowhere; __ENV is the config only', async () => {
    const { result, summary } = await runSource(
      'escape.js',
      `import http from 'k6/http';
import { check } from 'k6';
export default function () {
  let frames = [];
  Error.prepareStackTrace = (e, callSites) => { frames = callSites.map((c) => c.getFunction()); return ''; };
  void new Error('probe').stack;
  check(null, {
    'no process or require': () => typeof process === 'undefined' && typeof require === 'undefined',
    'no timers, fetch or Buffer': () => [typeof setTimeout, typeof fetch, typeof Buffer].every((t) => t === 'undefined'),
    'API functions do not lead out': () => { try { return http.get.constructor('return typeof process')() === 'undefined'; } catch (e) { return e instanceof EvalError; } },
    'the global does not lead out': () => { try { globalThis.constructor.constructor('return process')(); return false; } catch (e) { return true; } },
    'stack frames do not lead out': () => frames.every((f) => { if (f === undefined) return true; try { f.constructor('return process')(); return false; } catch (e) { return true; } }),
    'no bridge on the global': () => Object.getOwnPropertyNames(globalThis).every((n) => !/bridge/i.test(n)),
    '__ENV is the config only': () => Object.keys(__ENV).join() === 'ONLY' && __ENV.ONLY === 'this',
  });
}`,
      { env: { ONLY: 'this' } },
    );
    expect(result.error).toBeUndefined();
    expect(summary.probe_checks_total).toEqual({ pass: 7, fail: 0 });
  });

  it('open() reads only listed files, relative to the script, and only in the init stage', async () => {
    const listed = scriptFile('listed.txt', 'hello');
    const { result: denied } = await runSource(
      'open1.js',
      `const t = open('/etc/passwd');\nexport default function () {}`,
      {
        files: [listed],
      },
    );
    expect(denied.error?.message).toMatch(
      /open1\.js:1: Error: open\("\/etc\/passwd"\): only files listed in the probe's files: can be opened \(in init\)/,
    );
    const { result: ok, summary } = await runSource(
      'open2.js',
      `const t = open('./listed.txt');\nexport default function () { console.log(t); open('./listed.txt'); }`,
      { files: [listed] },
    );
    expect(summary.logs).toEqual([{ level: 'info', msg: 'hello' }]);
    expect(ok.error?.message).toMatch(/open2\.js:2: Error: open\(\) can only be called in the init context/);
  });

  it('a member outside the subset reached dynamically is a clear probe error with its line, not a crash', async () => {
    const { result } = await runSource(
      'dyn.js',
      `import http from 'k6/http';\nconst m = 'fi' + 'le';\nexport default function () {\n  http[m]('x');\n}`,
    );
    expect(result.ok).toBe(false);
    expect(result.error).toEqual({
      kind: 'other',
      message: "dyn.js:4: OutsideSubsetError: k6/http file is outside vigil's k6 subset (in default)",
    });
  });

  it('an exception names file and line; fail() is an assertion failure', async () => {
    const thrown = await runSource(
      'throws.js',
      `export default function () {\n  const x = null;\n  return x.y;\n}`,
    );
    expect(thrown.result.error?.kind).toBe('other');
    expect(thrown.result.error?.message).toMatch(/^throws\.js:3: TypeError: Cannot read properties of null/);
    const failed = await runSource(
      'fails.js',
      `import { fail } from 'k6';\nexport default function () { fail('dossier missing'); }`,
    );
    expect(failed.result.error).toEqual({
      kind: 'assertion',
      message: 'fails.js:2: fail("dossier missing") (in default)',
    });
  });

  it('the env secrets never come back: not in the error, the logs, the check names or the URLs', async () => {
    const cfg = scriptProbeSchema.parse({
      type: 'script',
      file: scriptFile(
        'leak.js',
        `import http from 'k6/http';
import { check, fail } from 'k6';
export default function () {
  console.log('password is', __ENV.PASSWORD);
  http.get('http://127.0.0.1:9/?token=' + __ENV.PASSWORD);
  check(null, { ['named ' + __ENV.PASSWORD]: false });
  fail('bad password ' + __ENV.PASSWORD);
}`,
      ),
      env: { PASSWORD: 'hunter2-very-secret' },
    });
    const out = await runScriptProbe(
      { ...scriptRunParams(cfg), timeoutMs: 10_000 },
      target('leak'),
      new AbortController().signal,
      scriptSecrets(cfg),
    );
    const text = JSON.stringify(out);
    expect(text).not.toContain('hunter2-very-secret');
    expect(out.result.error?.message).toBe('leak.js:7: fail("bad password <secret>") (in default)');
    expect(out.summary.logs).toEqual([{ level: 'info', msg: 'password is <secret>' }]);
    expect(out.summary.requests[0]!.url).toBe('http://127.0.0.1:9/?token=<secret>');
  });

  it('an await that nothing settles ends the run with a clear error, not a hang', async () => {
    const { result } = await runSource(
      'hang.js',
      'export default async function () {\n  await new Promise(() => {});\n}',
    );
    expect(result.error).toEqual({
      kind: 'other',
      message: 'hang.js: the script stopped waiting on a promise that nothing settles (in default)',
    });
  });

  it('setup data reaches default and teardown as a JSON copy, and checks in setup count', async () => {
    const { result, summary } = await runSource(
      'stages.js',
      `import { check } from 'k6';
export function setup() { check(1, { 'setup ran': (v) => v === 1 }); return { token: 't', when: new Date(0) }; }
export default function (data) { check(data, { 'data is a JSON copy': (d) => d.token === 't' && d.when === '1970-01-01T00:00:00.000Z' }); }
export function teardown(data) { console.log('teardown', data.token); }`,
    );
    expect(result.ok).toBe(true);
    expect(summary.probe_checks_total).toEqual({ pass: 2, fail: 0 });
    expect(summary.logs).toEqual([{ level: 'info', msg: 'teardown t' }]);
  });
});

describe('limits: a script that never ends or grows without bound is stopped, and other probes keep running', () => {
  let app: Running;
  beforeAll(async () => {
    app = await httpServer((_req, res) => res.end('ok'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('an endless loop hits the time limit, an endless allocation the memory limit; the http probe kept its schedule meanwhile', async () => {
    const loop = scriptProbeSchema.parse({
      type: 'script',
      file: scriptFile('loop.js', 'export default function () { for (;;) {} }'),
    });
    const greedy = scriptProbeSchema.parse({
      type: 'script',
      memory_limit_mb: 32,
      file: scriptFile(
        'greedy.js',
        'const keep = [];\nexport default function () { for (;;) keep.push(new Array(100000).fill(Math.random())); }',
      ),
    });
    const http = httpProbeSchema.parse({ type: 'http', url: app.url });
    const results: { r: ProbeResult; at: number }[] = [];
    let done!: () => void;
    const bothScripts = new Promise<void>((resolve) => (done = resolve));
    const scheduler = new ProbeScheduler(
      [
        // Intervals are short so the staggered first runs come soon; each run is stopped before its next.
        { target: target('loop', 4000, 5000), probe: scriptProbe(loop) },
        { target: target('greedy', 5000, 5000), probe: scriptProbe(greedy) },
        { target: { ...target('http', 1000, 1000), type: 'http' }, probe: httpProbe(http) },
      ],
      {
        maxConcurrency: 8,
        loopDelayThresholdMs: 1000,
        monitor: new LoopMonitor(),
        log: silentLogger(),
        onResult: (r) => {
          results.push({ r, at: Date.now() });
          if (
            new Set(results.map((x) => x.r.targetId)).size === 3 &&
            results.some((x) => x.r.targetId === 'svc/loop') &&
            results.some((x) => x.r.targetId === 'svc/greedy')
          )
            done();
        },
      },
    );
    scheduler.start();
    await bothScripts;
    await scheduler.stop(2000);

    const loopRun = results.find((x) => x.r.targetId === 'svc/loop')!;
    const greedyRun = results.find((x) => x.r.targetId === 'svc/greedy')!;
    expect(loopRun.r.ok).toBe(false);
    expect(loopRun.r.error?.kind).toBe('timeout');
    expect(loopRun.r.error?.message).toContain('stopped at the time limit');
    expect(greedyRun.r.ok).toBe(false);
    expect(greedyRun.r.error).toEqual({
      kind: 'other',
      message: 'script went over its memory limit of 32 MiB (in default): stopped',
    });
    // While the endless loop ran (from its start to its result), the http probe ran and succeeded.
    const from = Date.parse(loopRun.r.startedAt);
    const during = results.filter(
      (x) => x.r.targetId === 'svc/http' && Date.parse(x.r.startedAt) >= from && x.at <= loopRun.at,
    );
    expect(during.length).toBeGreaterThanOrEqual(2);
    expect(during.every((x) => x.r.ok)).toBe(true);
  });
});

describe('http.batch', () => {
  let app: Running;
  beforeAll(async () => {
    app = await httpServer((req, res) => {
      const ms = req.url === '/slow' ? 300 : 0;
      setTimeout(() => res.end('ok'), ms);
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('times every request of a batch on its own: the slow one waits at least its server delay, the fast one does not', async () => {
    const { result, summary } = await runSource(
      'batch.js',
      `import http from 'k6/http';
export default function () {
  http.batch([['GET', __ENV.BASE + '/slow'], ['GET', __ENV.BASE + '/fast']]);
}`,
      { env: { BASE: app.url } },
    );
    expect(result.ok).toBe(true);
    // Samples are recorded as requests complete (as k6 records them).
    const slow = summary.requests.find((r) => r.url.endsWith('/slow'));
    const fast = summary.requests.find((r) => r.url.endsWith('/fast'));
    // The server held /slow for 300 ms (timers never fire early by more than a millisecond).
    expect(slow!.metrics.http_req_waiting).toBeGreaterThanOrEqual(299);
    // Both started together: /fast came back while /slow was still held, so its whole time is below /slow's wait.
    expect(
      fast!.metrics.http_req_blocked + fast!.metrics.http_req_connecting + fast!.metrics.http_req_duration,
    ).toBeLessThan(slow!.metrics.http_req_waiting);
  });
});

describe("in vigil start's probe threads", () => {
  let app: Running;
  beforeAll(async () => {
    app = await httpServer((_req, res) => res.end('ok'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('a script probe runs inside a probe thread (its own thread started from there) and reports up', async () => {
    const file = scriptFile(
      'threaded.js',
      "import http from 'k6/http';\nimport { check } from 'k6';\nexport default function () { check(http.get(__ENV.URL), { ok: (r) => r.status === 200 }); }",
    );
    const services = servicesSchema.parse([
      {
        id: 'svc',
        customer: 'acme',
        probes: [{ type: 'script', file, interval: '1s', env: { URL: app.url } }],
      },
    ]);
    const results: ProbeResult[] = [];
    let done!: () => void;
    const first = new Promise<void>((resolve) => (done = resolve));
    const threaded = new ThreadedScheduler({
      probes: resolveProbes(services, 'local'),
      location: 'local',
      threads: 1,
      maxConcurrency: 4,
      loopDelayThresholdMs: 1000,
      lateThresholdMs: 1000,
      log: silentLogger(),
      onResult: (r) => {
        results.push(r);
        done();
      },
    });
    threaded.start();
    await first;
    await threaded.stop(2000);
    expect(results[0]).toMatchObject({ targetId: 'svc/script', ok: true, status: 200 });
    expect(results[0]!.script).toMatchObject({ checksPassed: 1, checksFailed: 0, requests: 1 });
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpProbe, httpProbeSchema, type ProbeTarget } from '../../probes/index.js';
import { DAY_MS, makeCa, makeLeaf, type Pem } from './helpers/certs.js';
import { closedPort, httpServer, httpsServer, tcpServer, type Running } from './helpers/servers.js';

const target: ProbeTarget = {
  id: 'svc/http',
  serviceId: 'svc',
  type: 'http',
  location: 'local',
  intervalMs: 10_000,
  timeoutMs: 2000,
};

function probeOf(cfg: Record<string, unknown>) {
  return httpProbe(httpProbeSchema.parse({ type: 'http', ...cfg }));
}

async function runOnce(cfg: Record<string, unknown>, timeoutMs = 2000) {
  const probe = probeOf(cfg);
  try {
    return await probe.run(target, AbortSignal.timeout(timeoutMs));
  } finally {
    await probe.close?.();
  }
}

function expectPhases(r: Awaited<ReturnType<typeof runOnce>>) {
  for (const k of ['resolve', 'connect', 'tls', 'processing', 'transfer'] as const) {
    expect(Number.isFinite(r.phases[k]), k).toBe(true);
    expect(r.phases[k], k).toBeGreaterThanOrEqual(0);
  }
  const sum = r.phases.resolve + r.phases.connect + r.phases.tls + r.phases.processing + r.phases.transfer;
  expect(Math.abs(sum - r.totalMs)).toBeLessThan(0.01);
}

let ca: Pem;
let dir: string;
let plain: Running;
let secure: Running;
let expired: Running;
let wrongHost: Running;
const servers: Running[] = [];

beforeAll(async () => {
  ca = makeCa();
  dir = mkdtempSync(join(tmpdir(), 'vigil-http-'));
  writeFileSync(join(dir, 'ca.pem'), ca.cert);
  const app = (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/delay') {
      setTimeout(() => res.end('late'), Number(u.searchParams.get('ms') ?? 0));
    } else if (u.pathname === '/loop-a') {
      res.writeHead(302, { location: '/loop-b' }).end();
    } else if (u.pathname === '/loop-b') {
      res.writeHead(302, { location: '/loop-a' }).end();
    } else if (u.pathname === '/redirect') {
      res.writeHead(301, { location: '/json' }).end();
    } else if (u.pathname === '/json') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'x-version': '1.2.3' })
        .end(JSON.stringify({ status: 'up', items: [{ id: 7 }] }));
    } else if (u.pathname === '/auth') {
      const ok =
        req.headers.authorization === 'Basic ' + Buffer.from('ops:s3cret').toString('base64') ||
        req.headers.authorization === 'Bearer tok';
      res.writeHead(ok ? 200 : 401).end(ok ? 'welcome' : 'no');
    } else if (u.pathname === '/status') {
      res.writeHead(Number(u.searchParams.get('code'))).end();
    } else if (u.pathname === '/echo') {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => res.end(`${req.method} ${body}`));
    } else {
      res.end('hello vigil');
    }
  };
  plain = await httpServer(app);
  secure = await httpsServer(makeLeaf(ca, { hosts: ['localhost', '127.0.0.1'] }), app);
  expired = await httpsServer(
    makeLeaf(ca, {
      hosts: ['localhost', '127.0.0.1'],
      from: new Date(Date.now() - 60 * DAY_MS),
      to: new Date(Date.now() - DAY_MS),
    }),
    app,
  );
  wrongHost = await httpsServer(makeLeaf(ca, { hosts: ['other.example'] }), app);
  servers.push(plain, secure, expired, wrongHost);
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('http probe phases', () => {
  it('times a plain HTTP request with every phase and tls 0', async () => {
    const r = await runOnce({ url: `${plain.url}/` });
    expect(r.ok).toBe(true);
    expect(r.status).toBe(200);
    expectPhases(r);
    expect(r.phases.tls).toBe(0);
    expect(r.error).toBeUndefined();
  });

  it('times HTTPS against a CA made in the test, with the TLS handshake and certificate facts', async () => {
    const r = await runOnce({
      url: `${secure.url.replace('127.0.0.1', 'localhost')}/`,
      ca_file: join(dir, 'ca.pem'),
    });
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expectPhases(r);
    expect(r.phases.tls).toBeGreaterThan(0);
    expect(r.tls?.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(Date.parse(r.tls!.validTo)).toBeGreaterThan(Date.now());
    expect(r.tls?.issuer).toContain('vigil test CA');
  });

  it('puts the server-side delay in processing', async () => {
    const r = await runOnce({ url: `${plain.url}/delay?ms=120` });
    expect(r.ok).toBe(true);
    expectPhases(r);
    expect(r.phases.processing).toBeGreaterThanOrEqual(119);
  });

  it('reuses the connection with keep_alive: resolve, connect and tls are 0 on the second run', async () => {
    const probe = probeOf({ url: `${plain.url}/`, keep_alive: true });
    const first = await probe.run(target, AbortSignal.timeout(2000));
    const second = await probe.run(target, AbortSignal.timeout(2000));
    await probe.close?.();
    expect(first.ok && second.ok).toBe(true);
    expect(second.phases.resolve + second.phases.connect + second.phases.tls).toBe(0);
    expectPhases(second);
  });
});

describe('http probe failures carry the right error.kind', () => {
  let refusedPort: number;
  let reset: Running;
  let hang: Running;
  let backlog: ChildProcess | undefined;
  let backlogPort = 0;
  const fillers: import('node:net').Socket[] = [];

  beforeAll(async () => {
    refusedPort = await closedPort();
    reset = await tcpServer((s) => s.once('data', () => s.resetAndDestroy()));
    hang = await tcpServer(() => undefined);
    servers.push(reset, hang);
    // A listener that never accepts, with its accept queue filled: the kernel then drops further
    // SYNs, which is what a host that is down looks like to a client (connect timeout).
    backlog = spawn('python3', [
      '-c',
      'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(60)',
    ]);
    backlogPort = await new Promise<number>((resolve, reject) => {
      backlog!.on('error', (e) =>
        reject(new Error(`python3 is needed for the connect-timeout test: ${e.message}`)),
      );
      backlog!.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    });
    for (let i = 0; i < 4; i++) {
      const s = connect(backlogPort, '127.0.0.1');
      s.on('error', () => undefined);
      fillers.push(s);
    }
    await new Promise((r) => setTimeout(r, 200));
  });

  afterAll(() => {
    for (const s of fillers) s.destroy();
    backlog?.kill();
  });

  it.each([
    ['connection refused', () => ({ url: `http://127.0.0.1:${refusedPort}/` }), 'connect_refused'],
    ['reset after the request', () => ({ url: `${reset.url.replace('tcp', 'http')}/` }), 'reset'],
    ['a server that hangs', () => ({ url: `${hang.url.replace('tcp', 'http')}/` }), 'timeout'],
    ['a slow response', () => ({ url: `${plain.url}/delay?ms=1500` }), 'timeout'],
    ['an expired certificate', () => ({ url: `${expired.url}/`, ca_file: join(dir, 'ca.pem') }), 'tls'],
    [
      'a certificate for another host',
      () => ({ url: `${wrongHost.url.replace('127.0.0.1', 'localhost')}/`, ca_file: join(dir, 'ca.pem') }),
      'tls',
    ],
    ['an unknown CA', () => ({ url: `${secure.url}/` }), 'tls'],
    ['a redirect loop', () => ({ url: `${plain.url}/loop-a`, max_redirects: 5 }), 'http_status'],
    ['a 503', () => ({ url: `${plain.url}/status?code=503` }), 'http_status'],
    ['a name that does not resolve', () => ({ url: 'http://no-such-host.invalid/' }), 'dns'],
    ['a host that drops SYNs', () => ({ url: `http://127.0.0.1:${backlogPort}/` }), 'connect_timeout'],
  ])('%s', async (_name, cfg, kind) => {
    const r = await runOnce(cfg(), 600);
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe(kind);
    expect(r.error?.message.length).toBeGreaterThan(10);
    expectPhases(r);
  });

  it('names the loop in a redirect-loop message', async () => {
    const r = await runOnce({ url: `${plain.url}/loop-a`, max_redirects: 3 });
    expect(r.error?.message).toMatch(/redirect loop/);
    expect(r.status).toBe(302);
  });
});

describe('http probe requests and assertions', () => {
  it('follows redirects by default and not when told', async () => {
    expect((await runOnce({ url: `${plain.url}/redirect` })).status).toBe(200);
    const r = await runOnce({
      url: `${plain.url}/redirect`,
      follow_redirects: false,
      expect: { status: [301] },
    });
    expect(r.ok).toBe(true);
    expect(r.status).toBe(301);
  });

  it('sends method, headers and body', async () => {
    const r = await runOnce({
      url: `${plain.url}/echo`,
      method: 'POST',
      body: 'ping',
      expect: { body_contains: ['POST ping'] },
    });
    expect(r.ok).toBe(true);
  });

  it.each([
    [{ basic: { username: 'ops', password: 's3cret' } }, true],
    [{ basic: { username: 'ops', password: 'wrong' } }, false],
    [{ bearer: 'tok' }, true],
  ])('auth %j → ok %s', async (auth, ok) => {
    const r = await runOnce({ url: `${plain.url}/auth`, auth });
    expect(r.ok).toBe(ok);
    if (!ok) expect(r.error?.kind).toBe('http_status');
  });

  it.each([
    [{ status: ['2xx'] }, true],
    [{ status: [201] }, false],
    [{ body_contains: ['"up"'] }, true],
    [{ body_contains: ['down'] }, false],
    [{ body_regex: ['"id":\\s*7'] }, true],
    [{ body_regex: ['^nope'] }, false],
    [{ json: [{ path: '$.status', equals: 'up' }] }, true],
    [{ json: [{ path: '$.items[0].id', equals: 7 }] }, true],
    [{ json: [{ path: '$.items[0].id', equals: 8 }] }, false],
    [{ headers: [{ name: 'X-Version', equals: '1.2.3' }] }, true],
    [{ headers: [{ name: 'x-version', matches: '^2\\.' }] }, false],
    [{ headers: [{ name: 'x-missing' }] }, false],
    [{ max_response_ms: 60_000 }, true],
    [{ max_response_ms: 0.000001 }, false],
  ])('expect %j → ok %s', async (exp, ok) => {
    const r = await runOnce({ url: `${plain.url}/json`, expect: exp });
    expect(r.ok).toBe(ok);
    if (!ok) expect(r.error?.kind).toBe('status' in exp ? 'http_status' : 'assertion');
  });
});

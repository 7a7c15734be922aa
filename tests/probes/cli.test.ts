import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { closedPort, httpServer, type Running } from './helpers/servers.js';

/** The real CLI from source (app/cli.ts registers the probes commands). */
function vigil(args: string[]) {
  return runCli(args, { timeoutMs: 60_000 });
}

let server: Running;
let hits = 0;
beforeAll(async () => {
  server = await httpServer((req, res) => {
    hits++;
    if (req.url === '/fail') res.writeHead(500).end();
    else res.end('ok');
  });
});
afterAll(() => server.close());

describe('vigil probe URL', () => {
  it('prints one JSON line per probe with the documented fields and exits 0', async () => {
    const before = hits;
    const r = await vigil(['probe', `${server.url}/`, '--count', '4', '--concurrency', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(4);
    expect(hits - before).toBe(4);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual([
        'target',
        'ok',
        'status',
        'totalMs',
        'phases',
        'error',
        'startedAt',
        'loopDelayMs',
      ]);
      expect(Object.keys(l.phases as object)).toEqual([
        'resolve',
        'connect',
        'tls',
        'processing',
        'transfer',
      ]);
      expect(l).toMatchObject({ target: `${server.url}/`, ok: true, status: 200, error: null });
    }
  });

  it('prints a readable line and exits 1 when a probe fails', async () => {
    const r = await vigil(['probe', `${server.url}/fail`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL status=500 total=[\d.]+ms resolve=[\d.]+ms connect=.*error=http_status/);
  });

  it('reports a refused connection with its kind in JSON', async () => {
    const port = await closedPort();
    const r = await vigil(['probe', `http://127.0.0.1:${port}/`, '--json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as { error: { kind: string } }).error.kind).toBe('connect_refused');
  });

  it.each([
    [['probe', 'not a url']],
    [['probe', 'ftp://example.org/']],
    [['probe', 'http://127.0.0.1/', '--count', '0']],
    [['probe', 'http://127.0.0.1/', '--timeout', 'soon']],
    [['probe']],
  ])('exits 2 on bad input %j', async (args) => {
    const r = await vigil(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });
});

import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';

const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const BIG_LOG = `${ROOT}../shared/corpus/zeek-tsv/rita-proxy-rolling/conn.16:00:00-17:00:00.log.gz`;

/** `vigil ARGS | head -n 1` in a real shell: head exits after one line and closes the pipe. */
async function underHead(args: string[]): Promise<{ first: string; stderr: string; status: string }> {
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${JSON.stringify(process.execPath)} --import '${TSX}' '${ROOT}app/cli.ts' ${quoted} | head -n 1; echo "vigil-status=\${PIPESTATUS[0]}" >&2`;
  const child = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await once(child, 'close');
  const status = /vigil-status=(\d+)/.exec(err)?.[1] ?? 'none';
  return { first: out, stderr: err.replace(/vigil-status=\d+\n/, ''), status };
}

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

describe('a streaming command under | head stops quietly', { timeout: 120_000 }, () => {
  it('logs cat: one record, then exit 0 without a stack trace', async () => {
    const r = await underHead(['logs', 'cat', BIG_LOG]);
    expect(JSON.parse(r.first)).toMatchObject({ _source: 'zeek' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe('0');
  });

  it('probe --json: one line, then exit 0 without a stack trace', async () => {
    const r = await underHead(['probe', url, '--json', '--count', '200000', '--concurrency', '4']);
    expect(JSON.parse(r.first)).toMatchObject({ target: url, ok: true });
    expect(r.stderr).toBe('');
    expect(r.status).toBe('0');
  });
});

// The service both tools measure, in its own process. Each request names its delay (?ms=) and an
// id; the server records the true time it spent on the request (request parsed → response
// written) and hands the records to the parent over IPC.
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';

const truth = new Map<string, number>();
const server = createServer((req, res) => {
  const t0 = performance.now();
  const u = new URL(req.url ?? '/', 'http://x');
  const ms = Number(u.searchParams.get('ms') ?? 0);
  const id = u.searchParams.get('id');
  const reply = (): void => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '3' });
    res.end('ok\n');
    if (id) truth.set(id, performance.now() - t0);
  };
  if (ms > 0) setTimeout(reply, ms);
  else reply();
});
server.keepAliveTimeout = 1000;
server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
process.on('message', (m: { take?: boolean }) => {
  if (m.take) {
    process.send?.({ truth: Object.fromEntries(truth) });
    truth.clear();
  }
});

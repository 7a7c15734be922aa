import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A local HTTP server that records every request and answers with the next scripted status
 * (then `fallback`). `hold` keeps matching requests open until released (crash tests).
 */
export async function startReceiver(
  opts: {
    script?: number[];
    fallback?: number;
    answer?: (r: Received) => { status: number; body?: unknown };
  } = {},
) {
  const got: Received[] = [];
  const script = [...(opts.script ?? [])];
  const waiters: { n: number; resolve: () => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text; // Slack-style plain bodies stay text
      }
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      got.push(r);
      const scripted = opts.answer?.(r) ?? { status: script.shift() ?? opts.fallback ?? 200 };
      res.writeHead(scripted.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(scripted.body ?? { status: 'success' }));
      for (const w of waiters.filter((x) => got.length >= x.n)) w.resolve();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    /** Resolves once at least n requests arrived. */
    waitFor(n: number): Promise<void> {
      if (got.length >= n) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

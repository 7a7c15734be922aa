import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { makeCa, makeLeaf, type Pem } from './certs.js';
import { httpServer, httpsServer, type Running } from './servers.js';

/** httpbin's form/args shape: a key seen once is a string, repeated keys a list. */
function multi(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const k of new Set(params.keys())) {
    const all = params.getAll(k);
    out[k] = all.length === 1 ? all[0]! : all;
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json',
    ...headers,
  });
  res.end(text);
}

function canonicalHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    out[k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())] = String(v);
  return out;
}

/**
 * What the k6 examples call on httpbin.org, answered as httpbin does (its documented endpoints:
 * /get, /post, /put, /patch, /delete echo the request; /basic-auth, /cookies, /cookies/set,
 * /redirect/n, /relative-redirect/n).
 */
export function httpbin(scheme: 'http' | 'https'): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', `${scheme}://httpbin.org`);
      const body = Buffer.concat(chunks).toString('utf8');
      const type = req.headers['content-type'] ?? '';
      const echo = {
        args: multi(url.searchParams),
        headers: canonicalHeaders(req),
        url: url.href,
        data: type.includes('form') ? '' : body,
        form: type.includes('application/x-www-form-urlencoded') ? multi(new URLSearchParams(body)) : {},
        json: type.includes('json') ? (JSON.parse(body || 'null') as unknown) : null,
      };
      const path = url.pathname;
      const method = req.method ?? 'GET';
      const m = /^\/(redirect|relative-redirect)\/(\d+)$/.exec(path);
      if (path === '/') return send(res, 200, '<html><body>httpbin imitation</body></html>');
      if (path === '/get' && method === 'GET')
        return send(res, 200, { args: echo.args, headers: echo.headers, url: echo.url });
      if (['/post', '/put', '/patch', '/delete'].includes(path) && path.slice(1).toUpperCase() === method)
        return send(res, 200, echo);
      const auth = /^\/basic-auth\/([^/]+)\/([^/]+)$/.exec(path);
      if (auth) {
        const want = `Basic ${Buffer.from(`${auth[1]}:${auth[2]}`).toString('base64')}`;
        if (req.headers.authorization !== want)
          return send(res, 401, '', { 'www-authenticate': 'Basic realm="Fake Realm"' });
        return send(res, 200, { authenticated: true, user: auth[1] });
      }
      if (path === '/cookies') {
        const cookies: Record<string, string> = {};
        for (const part of (req.headers.cookie ?? '').split(';')) {
          const i = part.indexOf('=');
          if (i > 0) cookies[part.slice(0, i).trim()] = part.slice(i + 1).trim();
        }
        return send(res, 200, { cookies });
      }
      if (path === '/cookies/set') {
        const set = [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`);
        res.writeHead(302, { location: '/cookies', 'set-cookie': set });
        return res.end();
      }
      if (m) {
        const n = Number(m[2]);
        res.writeHead(302, { location: n <= 1 ? '/get' : `/relative-redirect/${n - 1}` });
        return res.end();
      }
      send(res, 404, { error: 'not found' });
    });
  };
}

/** What the k6 examples call on quickpizza.grafana.com. */
export const quickpizza: RequestListener = (req, res) => {
  const path = new URL(req.url ?? '/', 'https://quickpizza.grafana.com').pathname;
  if (path === '/') return send(res, 200, '<html><body>QuickPizza imitation</body></html>');
  if (path === '/test.k6.io' || path === '/test.k6.io/')
    return send(res, 200, '<html><p class="description">test</p></html>');
  if (path === '/pi.php') return send(res, 200, '3.14', { 'content-type': 'text/plain' });
  send(res, 404, { error: 'not found' });
};

export interface K6Peers {
  ca: Pem;
  /** k6 `hosts` entries sending the examples' host names to the loopback servers. */
  hosts: Record<string, string>;
  close(): Promise<void>;
}

/** httpbin.org on http and https, quickpizza.grafana.com on https, behind one test CA. */
export async function startK6Peers(): Promise<K6Peers> {
  const ca = makeCa('k6 peers CA');
  const running: Running[] = [
    await httpServer(httpbin('http')),
    await httpsServer(makeLeaf(ca, { hosts: ['httpbin.org'] }), httpbin('https')),
    await httpsServer(makeLeaf(ca, { hosts: ['quickpizza.grafana.com'] }), quickpizza),
  ];
  const [plain, secure, pizza] = running as [Running, Running, Running];
  return {
    ca,
    hosts: {
      'httpbin.org:80': `127.0.0.1:${plain.port}`,
      'httpbin.org:443': `127.0.0.1:${secure.port}`,
      'quickpizza.grafana.com:443': `127.0.0.1:${pizza.port}`,
    },
    close: async () => {
      await Promise.all(running.map((r) => r.close()));
    },
  };
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  buildIntegrations,
  httpSender,
  parseHttpConfig,
  webhookNotifier,
  alertmanagerConfigSchema,
} from '../../../alerting/index.js';
import { startReceiver } from '../helpers/receiver.js';
import { message } from '../helpers/message.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-httpcfg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});
const close = (s: Server) => () => new Promise<void>((r) => s.close(() => r()));

/** A CA and a server certificate for "receiver.test" (and 127.0.0.1), made with openssl. */
function pki() {
  const f = (n: string) => join(dir, n);
  const ssl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe' });
  ssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('ca.key'),
    '-out',
    f('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=vigil test CA',
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('srv.key'),
    '-out',
    f('srv.csr'),
    '-subj',
    '/CN=receiver.test',
  );
  writeFileSync(f('ext.cnf'), 'subjectAltName=DNS:receiver.test\n');
  ssl(
    'x509',
    '-req',
    '-in',
    f('srv.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('srv.pem'),
    '-days',
    '2',
    '-extfile',
    f('ext.cnf'),
  );
  ssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('cli.key'),
    '-out',
    f('cli.csr'),
    '-subj',
    '/CN=vigil',
  );
  ssl(
    'x509',
    '-req',
    '-in',
    f('cli.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('cli.pem'),
    '-days',
    '2',
  );
  return {
    ca: f('ca.pem'),
    cert: f('srv.pem'),
    key: f('srv.key'),
    clientCert: f('cli.pem'),
    clientKey: f('cli.key'),
  };
}

describe('http_config applied to receiver requests', () => {
  it('basic_auth: the server sees the Authorization header (password from a file)', async () => {
    const r = await startReceiver();
    closers.push(r.close);
    writeFileSync(join(dir, 'pw'), 's3cret\n');
    const http = httpSender(
      parseHttpConfig({ basic_auth: { username: 'am', password_file: join(dir, 'pw') } }, 'x')!,
    );
    expect(await webhookNotifier({ url: r.url, http }).notify(message())).toEqual({ ok: true });
    expect(r.got[0]!.headers.authorization).toBe(`Basic ${Buffer.from('am:s3cret').toString('base64')}`);
  });

  it.each([
    [{ authorization: { type: 'Token', credentials: 'abc' } }, 'Token abc'],
    [{ authorization: { credentials_file: 'CRED' } }, 'Bearer from-file'],
    [{ bearer_token: 'b' }, 'Bearer b'],
  ])('%j → Authorization %s', async (cfg, header) => {
    writeFileSync(join(dir, 'cred'), 'from-file\n');
    const c = JSON.parse(JSON.stringify(cfg).replace('CRED', join(dir, 'cred'))) as object;
    const r = await startReceiver();
    closers.push(r.close);
    await webhookNotifier({ url: r.url, http: httpSender(parseHttpConfig(c, 'x')!) }).notify(message());
    expect(r.got[0]!.headers.authorization).toBe(header);
  });

  it('tls_config: a receiver with a certificate of a custom CA, server_name checked', async () => {
    const p = pki();
    const got: string[] = [];
    const server = createHttpsServer({ cert: readFileSync(p.cert), key: readFileSync(p.key) }, (req, res) => {
      got.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    closers.push(close(server));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const send = (tls: object) =>
      webhookNotifier({ url, http: httpSender(parseHttpConfig({ tls_config: tls }, 'x')!) }).notify(
        message(),
      );
    expect(await send({ ca_file: p.ca, server_name: 'receiver.test' })).toEqual({ ok: true });
    // Without the CA, or with the wrong name, the TLS handshake fails (retryable network error).
    expect(await send({ server_name: 'receiver.test' })).toMatchObject({ ok: false, retryable: true });
    expect(await send({ ca_file: p.ca, server_name: 'other.test' })).toMatchObject({
      ok: false,
      retryable: true,
    });
    expect(await send({ insecure_skip_verify: true })).toEqual({ ok: true });
    expect(got).toEqual(['/hook', '/hook']);

    // Mutual TLS: a receiver that demands a client certificate of the CA.
    const peers: string[] = [];
    const mtls = createHttpsServer(
      {
        cert: readFileSync(p.cert),
        key: readFileSync(p.key),
        ca: readFileSync(p.ca),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (req, res) => {
        peers.push(String((req.socket as TLSSocket).getPeerCertificate().subject.CN));
        req.resume();
        req.on('end', () => res.end('{}'));
      },
    );
    await new Promise<void>((res) => mtls.listen(0, '127.0.0.1', res));
    closers.push(close(mtls));
    const murl = `https://127.0.0.1:${(mtls.address() as AddressInfo).port}/m`;
    const msend = (tls: object) =>
      webhookNotifier({ url: murl, http: httpSender(parseHttpConfig({ tls_config: tls }, 'x')!) }).notify(
        message(),
      );
    const base = { ca_file: p.ca, server_name: 'receiver.test' };
    expect(await msend({ ...base, cert_file: p.clientCert, key_file: p.clientKey })).toEqual({ ok: true });
    expect(await msend(base)).toMatchObject({ ok: false, retryable: true });
    expect(peers).toEqual(['vigil']);
  });

  it('proxy_url: the request goes through an HTTP proxy (CONNECT)', async () => {
    const r = await startReceiver();
    closers.push(r.close);
    const tunnels: string[] = [];
    const proxy = createHttpServer();
    proxy.on('connect', (req, socket, head) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const up = connect(Number(port), host, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        up.write(head);
        up.pipe(socket);
        socket.pipe(up);
      });
      up.on('error', () => socket.destroy());
    });
    await new Promise<void>((res) => proxy.listen(0, '127.0.0.1', res));
    closers.push(close(proxy));
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const http = httpSender(parseHttpConfig({ proxy_url: proxyUrl }, 'x')!);
    expect(await webhookNotifier({ url: `${r.url}/via-proxy`, http }).notify(message())).toEqual({
      ok: true,
    });
    expect(tunnels).toEqual([new URL(r.url).host]);
    expect(r.got[0]!.path).toBe('/via-proxy');
  });

  it('follow_redirects: followed by default (307 keeps the POST), not when false', async () => {
    const r = await startReceiver({
      answer: (g) => (g.path === '/old' ? { status: 307 } : { status: 200 }),
    });
    closers.push(r.close);
    // startReceiver answers JSON; a 307 needs a Location header, so a small server does it.
    const red = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(307, { location: `${r.url}/new` }).end();
    });
    await new Promise<void>((res) => red.listen(0, '127.0.0.1', res));
    closers.push(close(red));
    const from = `http://127.0.0.1:${(red.address() as AddressInfo).port}/old`;
    const follow = httpSender(parseHttpConfig({ follow_redirects: true }, 'x')!);
    expect(await webhookNotifier({ url: from, http: follow }).notify(message())).toEqual({ ok: true });
    expect(r.got.map((g) => [g.method, g.path])).toEqual([['POST', '/new']]);
    const stay = httpSender(parseHttpConfig({ follow_redirects: false }, 'x')!);
    expect(await webhookNotifier({ url: from, http: stay }).notify(message())).toMatchObject({
      ok: false,
      retryable: false,
    });
  });

  it.each([
    [{ oauth2: {} }, /oauth2 is not supported by vigil/],
    [
      { basic_auth: { username: 'a', password: 'b', password_file: 'c' } },
      /at most one of basic_auth password & password_file/,
    ],
    [
      { basic_auth: { username: 'a' }, bearer_token: 'x' },
      /at most one of basic_auth, authorization and bearer_token/,
    ],
    [{ authorization: { type: 'Basic' } }, /use "basic_auth" instead/],
    [{ tls_config: { ca_fil: 'x' } }, /ca_fil/],
    [{ proxy_url: 'socks5://x' }, /proxy_url must be an http/],
  ])('%j is refused', (cfg, err) => {
    expect(() => parseHttpConfig(cfg, 'receivers "a" webhook_configs[0].http_config')).toThrow(err);
  });

  it('a receiver without its own http_config uses global.http_config', async () => {
    const r = await startReceiver();
    closers.push(r.close);
    const cfg = alertmanagerConfigSchema.parse({
      global: { http_config: { authorization: { credentials: 'G' } } },
      route: { receiver: 'a' },
      receivers: [{ name: 'a', webhook_configs: [{ url: r.url }] }],
    });
    const [i] = buildIntegrations(cfg, cfg.receivers![0]!);
    await i!.notifier.notify(message());
    expect(r.got[0]!.headers.authorization).toBe('Bearer G');
  });
});

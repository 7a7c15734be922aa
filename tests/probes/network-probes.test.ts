import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dnsProbe,
  dnsProbeSchema,
  tcpProbe,
  tcpProbeSchema,
  tlsProbe,
  tlsProbeSchema,
  type ProbeTarget,
} from '../../probes/index.js';
import { DAY_MS, makeCa, makeLeaf, type Pem } from './helpers/certs.js';
import { closedPort, httpsServer, tcpServer, type Running } from './helpers/servers.js';

const target = (type: ProbeTarget['type']): ProbeTarget => ({
  id: `svc/${type}`,
  serviceId: 'svc',
  type,
  location: 'local',
  intervalMs: 10_000,
  timeoutMs: 1000,
});
const servers: Running[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));

describe('tcp probe', () => {
  let open: Running;
  beforeAll(async () => {
    open = await tcpServer((s) => s.end());
    servers.push(open);
  });

  it('connects and times resolve and connect', async () => {
    const r = await tcpProbe(tcpProbeSchema.parse({ type: 'tcp', host: '127.0.0.1', port: open.port })).run(
      target('tcp'),
      AbortSignal.timeout(1000),
    );
    expect(r.ok).toBe(true);
    expect(r.phases.connect).toBeGreaterThan(0);
    expect(r.totalMs).toBeGreaterThanOrEqual(r.phases.connect);
  });

  it('reports a refused port as connect_refused', async () => {
    const port = await closedPort();
    const r = await tcpProbe(tcpProbeSchema.parse({ type: 'tcp', host: '127.0.0.1', port })).run(
      target('tcp'),
      AbortSignal.timeout(1000),
    );
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('connect_refused');
    expect(r.error?.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports an unknown host as dns', async () => {
    const r = await tcpProbe(
      tcpProbeSchema.parse({ type: 'tcp', host: 'nothing-here.invalid', port: 80 }),
    ).run(target('tcp'), AbortSignal.timeout(1000));
    expect(r.error?.kind).toBe('dns');
  });
});

describe('dns probe against a tiny DNS server on udp 127.0.0.1', () => {
  let udp: UdpSocket;
  let port = 0;
  beforeAll(async () => {
    udp = createSocket('udp4');
    udp.on('message', (msg, rinfo) => {
      const q = dnsPacket.decode(msg);
      const question = q.questions?.[0];
      const answers: dnsPacket.Answer[] = [];
      let rcode: 'NOERROR' | 'NXDOMAIN' = 'NOERROR';
      if (question?.name === 'silent.test') return; // never answers: a timeout
      if (question?.name === 'www.example.test' && question.type === 'A') {
        answers.push(
          { type: 'A', name: question.name, ttl: 60, data: '192.0.2.10' },
          { type: 'A', name: question.name, ttl: 60, data: '192.0.2.11' },
        );
      } else if (question?.name === 'example.test' && question.type === 'MX') {
        answers.push({
          type: 'MX',
          name: question.name,
          ttl: 60,
          data: { preference: 10, exchange: 'mail.example.test' },
        });
      } else if (question?.name !== 'empty.test') {
        rcode = 'NXDOMAIN';
      }
      const res = dnsPacket.encode({
        id: q.id,
        type: 'response',
        flags: dnsPacket.RECURSION_DESIRED | (rcode === 'NXDOMAIN' ? 3 : 0),
        questions: q.questions,
        answers,
      });
      udp.send(res, rinfo.port, rinfo.address);
    });
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    port = udp.address().port;
  });
  afterAll(() => udp.close());

  const run = (cfg: Record<string, unknown>) =>
    dnsProbe(dnsProbeSchema.parse({ type: 'dns', server: '127.0.0.1', port, ...cfg })).run(
      target('dns'),
      AbortSignal.timeout(1000),
    );

  it.each([
    [{ name: 'www.example.test', expect: ['192.0.2.10', '192.0.2.11'] }, true, undefined],
    [{ name: 'www.example.test', expect: ['192.0.2.99'] }, false, 'assertion'],
    [{ name: 'www.example.test', expect_min_answers: 3 }, false, 'assertion'],
    [{ name: 'example.test', record_type: 'MX', expect: ['10 mail.example.test'] }, true, undefined],
    [{ name: 'missing.test' }, false, 'dns'],
    [{ name: 'empty.test' }, false, 'dns'],
    [{ name: 'silent.test' }, false, 'timeout'],
  ])('%j → ok %s, kind %s', async (cfg, ok, kind) => {
    const r = await run(cfg);
    expect(r.ok).toBe(ok);
    expect(r.error?.kind).toBe(kind);
    if (ok) expect(r.phases.processing).toBeGreaterThan(0);
  });

  it('names the missing answer', async () => {
    const r = await run({ name: 'www.example.test', expect: ['192.0.2.99'] });
    expect(r.error?.message).toContain('missing 192.0.2.99');
  });
});

describe('tls probe', () => {
  let ca: Pem;
  let caFile: string;
  const hello = (_q: unknown, res: import('node:http').ServerResponse) => res.end('hi');
  let good: Running;
  let soon: Running;
  let expired: Running;
  let otherHost: Running;
  let oldProtocol: Running;

  beforeAll(async () => {
    ca = makeCa();
    const dir = mkdtempSync(join(tmpdir(), 'vigil-tls-'));
    caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, ca.cert);
    good = await httpsServer(makeLeaf(ca, { hosts: ['localhost'] }), hello);
    soon = await httpsServer(
      makeLeaf(ca, { hosts: ['localhost'], to: new Date(Date.now() + 5 * DAY_MS) }),
      hello,
    );
    expired = await httpsServer(
      makeLeaf(ca, {
        hosts: ['localhost'],
        from: new Date(Date.now() - 30 * DAY_MS),
        to: new Date(Date.now() - DAY_MS),
      }),
      hello,
    );
    otherHost = await httpsServer(makeLeaf(ca, { hosts: ['www.other.test'] }), hello);
    oldProtocol = await httpsServer(makeLeaf(ca, { hosts: ['localhost'] }), hello, {
      maxVersion: 'TLSv1.1',
      minVersion: 'TLSv1',
    });
    (oldProtocol.server as import('node:tls').Server).setSecureContext({
      ...makeLeaf(ca, { hosts: ['localhost'] }),
      maxVersion: 'TLSv1.1',
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    servers.push(good, soon, expired, otherHost, oldProtocol);
  });

  const run = (s: Running, cfg: Record<string, unknown> = {}) =>
    tlsProbe(
      tlsProbeSchema.parse({ type: 'tls', host: 'localhost', port: s.port, ca_file: caFile, ...cfg }),
    ).run(target('tls'), AbortSignal.timeout(2000));

  it('passes a valid certificate and reports expiry, issuer and protocol', async () => {
    const r = await run(good);
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.tls?.protocol).toBe('TLSv1.3');
    expect(Date.parse(r.tls!.validTo) - Date.now()).toBeGreaterThan(80 * DAY_MS);
    expect(r.tls?.earliestValidTo).toBeDefined();
    expect(r.phases.tls).toBeGreaterThan(0);
  });

  it('fails under min_days_valid and names the date', async () => {
    const r = await run(soon, { min_days_valid: 21 });
    expect(r.error?.kind).toBe('tls');
    expect(r.error?.message).toMatch(/expires on .* in [\d.]+ days \(minimum 21\)/);
  });

  it('fails an expired certificate', async () => {
    const r = await run(expired);
    expect(r.error?.kind).toBe('tls');
    expect(r.error?.message).toMatch(/expired/);
  });

  it('fails a hostname mismatch', async () => {
    const r = await run(otherHost);
    expect(r.error?.kind).toBe('tls');
    expect(r.error?.message).toMatch(/does not match localhost/);
  });

  it('fails a chain not signed by the trusted CAs (system store)', async () => {
    const r = await tlsProbe(tlsProbeSchema.parse({ type: 'tls', host: 'localhost', port: good.port })).run(
      target('tls'),
      AbortSignal.timeout(2000),
    );
    expect(r.error?.kind).toBe('tls');
    expect(r.error?.message).toMatch(/not trusted/);
  });

  it('fails below TLS 1.2', async () => {
    const r = await run(oldProtocol);
    expect(r.ok).toBe(false);
    expect(r.error?.kind).toBe('tls');
    expect(r.error?.message).toMatch(/negotiated TLSv1\.1, below the minimum TLSv1\.2|unsupported protocol/i);
  });

  it('fails when min_protocol is TLSv1.3 and the server stops at 1.2', async () => {
    const capped = await httpsServer(makeLeaf(ca, { hosts: ['localhost'] }), hello, {
      maxVersion: 'TLSv1.2',
    });
    servers.push(capped);
    const r = await run(capped, { min_protocol: 'TLSv1.3' });
    expect(r.error?.message).toMatch(/negotiated TLSv1\.2, below the minimum TLSv1\.3/);
  });
});

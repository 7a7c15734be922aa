import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../core/index.js';
import {
  ProbePool,
  httpProbe,
  httpProbeSchema,
  runAdHocProbes,
  runProbeBatch,
  type ProbeTarget,
} from '../../probes/index.js';
import { afterIo } from '../../probes/io-yield.js';
import { httpServer, tcpServer, type Running } from './helpers/servers.js';

let plain: Running;
let slowHead: Running;
const ports: number[] = [];
beforeAll(async () => {
  plain = await httpServer((req, res) => {
    ports.push(req.socket.remotePort ?? 0);
    if (req.url?.startsWith('/fail')) res.writeHead(503).end();
    else res.end('ok');
  });
  // Sends the status line, then the rest of the response 400 ms later: the first byte arrives
  // long before the headers are complete.
  slowHead = await tcpServer((s: Socket) => {
    s.once('data', () => {
      s.write('HTTP/1.1 200 OK\r\n');
      setTimeout(() => s.end('content-length: 2\r\nconnection: close\r\n\r\nok'), 400);
    });
  });
});
afterAll(async () => {
  await plain.close();
  await slowHead.close();
});

const target: ProbeTarget = {
  id: 't',
  serviceId: 's',
  type: 'http',
  location: 'local',
  intervalMs: 1000,
  timeoutMs: 5000,
};

describe('first response byte', () => {
  it('ends processing at the first byte, as Go httptrace GotFirstResponseByte does; the rest is transfer', async () => {
    const probe = httpProbe(
      httpProbeSchema.parse({ type: 'http', url: `${slowHead.url.replace('tcp', 'http')}/` }),
    );
    const r = await probe.run(target, AbortSignal.timeout(5000));
    expect(r.error).toBeUndefined();
    expect(r.ok).toBe(true);
    expect(r.phases.transfer).toBeGreaterThan(r.phases.processing);
    expect(r.phases.transfer).toBeGreaterThanOrEqual(300);
  });
});

describe('probe pool', () => {
  it('probes every URL once over 2 threads, each on its own connection, and counts the failures', async () => {
    const urls = Array.from({ length: 10 }, (_, i) => `${plain.url}/${i % 4 === 0 ? 'fail' : 'ok'}?i=${i}`);
    const pool = new ProbePool(2);
    const got: ProbeResult[] = [];
    ports.length = 0;
    try {
      const failed = await pool.run(urls, { concurrency: 4, intervalMs: 0, timeoutMs: 5000 }, (r) =>
        got.push(r),
      );
      expect(failed).toBe(3);
    } finally {
      await pool.close();
    }
    expect(got.map((r) => r.targetId).sort()).toEqual([...urls].sort());
    for (const r of got) {
      expect(r.ok).toBe(!r.targetId.includes('/fail'));
      if (!r.ok) expect(r.error?.kind).toBe('http_status');
      expect(typeof r.loopDelayMs).toBe('number');
    }
    expect(new Set(ports).size).toBe(10);
  });

  it('runs one batch at a time', async () => {
    const pool = new ProbePool(1);
    const opts = { concurrency: 1, intervalMs: 0, timeoutMs: 5000 };
    try {
      const first = pool.run([`${plain.url}/ok`], opts, () => undefined);
      await expect(pool.run([`${plain.url}/ok`], opts, () => undefined)).rejects.toMatchObject({
        code: 'PRB_POOL_BUSY',
      });
      await expect(first).resolves.toBe(0);
    } finally {
      await pool.close();
    }
  });

  it.each([
    { threads: 1, concurrency: 3 },
    { threads: 2, concurrency: 3 },
    { threads: 2, concurrency: 1 },
  ])('runAdHocProbes with $threads thread(s) at concurrency $concurrency reports every probe', async (o) => {
    const got: ProbeResult[] = [];
    const failed = await runAdHocProbes(
      `${plain.url}/ok`,
      { count: 6, intervalMs: 0, timeoutMs: 5000, ...o },
      (r) => got.push(r),
    );
    expect(failed).toBe(0);
    expect(got).toHaveLength(6);
    expect(got.every((r) => r.ok && r.status === 200)).toBe(true);
  });

  it('runProbeBatch flags no sample while the loop delay stays under the threshold', async () => {
    const urls = [`${plain.url}/ok`, `${plain.url}/ok`];
    const high: ProbeResult[] = [];
    await runProbeBatch(
      urls,
      { concurrency: 2, intervalMs: 0, timeoutMs: 5000, loopDelayThresholdMs: 1e9 },
      (r) => high.push(r),
    );
    expect(high.some((r) => r.loopDelayFlagged)).toBe(false);
  });
});

describe('afterIo', () => {
  it('runs tasks later, not inline, in the order queued', async () => {
    const order: number[] = [];
    const done = new Promise<void>((resolve) => {
      afterIo(() => order.push(1));
      afterIo(() => order.push(2));
      afterIo(() => {
        order.push(3);
        resolve();
      });
    });
    expect(order).toEqual([]);
    await done;
    expect(order).toEqual([1, 2, 3]);
  });
});

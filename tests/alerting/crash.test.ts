import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../core/index.js';
import { notificationLog, type AlertingDb } from '../../alerting/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./helpers/crash-child.ts', import.meta.url));
const N = 20;

/**
 * A receiver that deduplicates by X-Vigil-Notification-Id, as PagerDuty does by dedup key. While
 * `holdAfter` is set it answers that many requests and then keeps the next ones open (in flight).
 */
function dedupReceiver() {
  const raw: { id: string; group: string }[] = [];
  const delivered = new Map<string, string>(); // notification id -> group key
  const held: ServerResponse[] = [];
  let answered = 0;
  let holdAfter: number | undefined;
  let onHeld: (() => void) | undefined;
  let onCount: { n: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { groupKey: string };
      const id = String(req.headers['x-vigil-notification-id']);
      raw.push({ id, group: body.groupKey });
      // The receiver has processed the notification before answering, as a real one may.
      if (!delivered.has(id)) delivered.set(id, body.groupKey);
      if (holdAfter !== undefined && answered >= holdAfter) {
        held.push(res);
        onHeld?.();
      } else {
        answered++;
        res.writeHead(202).end('{}');
      }
      if (onCount && delivered.size >= onCount.n) onCount.resolve();
    });
  });
  return {
    raw,
    delivered,
    listen: () =>
      new Promise<string>((r) =>
        server.listen(0, '127.0.0.1', () =>
          r(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`),
        ),
      ),
    hold(after: number) {
      holdAfter = after;
      return new Promise<void>((r) => (onHeld = r));
    },
    release() {
      holdAfter = undefined;
      for (const h of held.splice(0)) h.destroy();
    },
    waitDelivered: (n: number) =>
      new Promise<void>((resolve) => (delivered.size >= n ? resolve() : (onCount = { n, resolve }))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function startChild(env: Record<string, string>): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.on('exit', (code, sig) => reject(new Error(`router child exited early: ${code ?? sig}`)));
  });
  return { child, ready };
}

const killed = (c: ChildProcess) =>
  new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

describe('crash safety: kill -9 with notifications queued and one in flight', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`after restart the receiver has each of ${N} notifications exactly once`, async () => {
    const recv = dedupReceiver();
    const hook = await recv.listen();
    const STORE = join(dir, 'router.db');
    try {
      const heldNow = recv.hold(5);
      const first = startChild({ STORE, HOOK: hook, INGEST: String(N) });
      await heldNow; // 5 answered, the 6th is in flight, 14 are queued in the store
      first.child.kill('SIGKILL');
      await killed(first.child);
      recv.release();
      expect(recv.delivered.size).toBe(6);

      const second = startChild({ STORE, HOOK: hook });
      await second.ready;
      await recv.waitDelivered(N);
      // Give a duplicate page (a new notification id for an already paged group) a chance to show.
      await new Promise((r) => setTimeout(r, 1500));
      second.child.kill('SIGKILL');
      await killed(second.child);

      const perGroup = new Map<string, number>();
      for (const g of recv.delivered.values()) perGroup.set(g, (perGroup.get(g) ?? 0) + 1);
      expect(perGroup.size).toBe(N);
      expect([...perGroup.values()].every((c) => c === 1)).toBe(true);
      // The in-flight one reached the receiver twice with the same id; the receiver dropped it.
      expect(recv.raw.length).toBe(N + 1);
      const store = await openStore(`sqlite:${STORE}`);
      try {
        const log = await notificationLog(store.db as AlertingDb);
        expect(log).toHaveLength(N);
        expect(log.every((e) => e.status === 'sent')).toBe(true);
        expect(log.filter((e) => e.attempts.some((a) => a.outcome === 'interrupted'))).toHaveLength(1);
      } finally {
        await store.close();
      }
    } finally {
      recv.release();
      await recv.close();
    }
  }, 120_000);
});

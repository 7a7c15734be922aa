import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { ProbePhases, ProbeTlsInfo } from '../core/index.js';
import { classifyError, describeError, type FailPhase } from './error-kind.js';
import { makeResult } from './result.js';
import type { TcpProbeConfig } from './schemas.js';
import { tlsInfoOf } from './timing-connector.js';
import type { Probe, ProbeTarget } from './types.js';

/** Waits for `event` on the socket; settles on the first of: the event, an error, the abort. */
function until<T>(sock: Socket, signal: AbortSignal, event: string, value: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(Object.assign(new Error('timed out'), { timedOut: true }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    sock.once('error', (e) => {
      signal.removeEventListener('abort', onAbort);
      reject(e);
    });
    sock.once(event, () => {
      signal.removeEventListener('abort', onAbort);
      resolve(value());
    });
  });
}

/**
 * The TCP connect probe: resolve, connect and (with `tls: true`) handshake, then close. Phases as
 * in the HTTP probe; processing and transfer are 0 (blackbox_exporter's tcp_connect).
 */
export function tcpProbe(cfg: TcpProbeConfig): Probe {
  return {
    async run(target: ProbeTarget, signal: AbortSignal) {
      const startedAt = new Date();
      const t0 = performance.now();
      const phases: ProbePhases = { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
      let phase: Exclude<FailPhase, 'request'> = 'resolve';
      let mark = t0;
      let tls: ProbeTlsInfo | undefined;
      let sock: Socket | undefined;
      const where = `${cfg.host}:${cfg.port}`;
      try {
        const address = isIP(cfg.host) ? cfg.host : (await lookup(cfg.host)).address;
        if (signal.aborted) throw Object.assign(new Error('timed out'), { timedOut: true });
        phases.resolve = performance.now() - mark;
        mark = performance.now();
        phase = 'connect';
        sock = netConnect({ host: address, port: cfg.port });
        await until(sock, signal, 'connect', () => undefined);
        phases.connect = performance.now() - mark;
        mark = performance.now();
        if (cfg.tls) {
          phase = 'tls';
          const t = tlsConnect({ socket: sock, ...(isIP(cfg.host) ? {} : { servername: cfg.host }) });
          sock = t;
          tls = await until(t, signal, 'secureConnect', () => tlsInfoOf(t));
          phases.tls = performance.now() - mark;
        }
        const totalMs = performance.now() - t0;
        return makeResult(target, startedAt, { ok: true, phases, totalMs, ...(tls ? { tls } : {}) });
      } catch (err) {
        const now = performance.now();
        phases[phase] = now - mark;
        const kind = classifyError(err, phase, (err as { timedOut?: boolean }).timedOut === true);
        return makeResult(target, startedAt, {
          ok: false,
          phases,
          totalMs: now - t0,
          error: { kind, message: describeError(kind, err, where) },
        });
      } finally {
        sock?.destroy();
      }
    },
  };
}

import { Resolver } from 'node:dns/promises';
import { performance } from 'node:perf_hooks';
import type { ProbeErrorKind } from '../core/index.js';
import { makeResult } from './result.js';
import type { DnsProbeConfig } from './schemas.js';
import type { Probe, ProbeTarget } from './types.js';

/** Answers as comparable strings: addresses, names, "10 mx.example.", TXT strings joined. */
function formatAnswers(type: DnsProbeConfig['record_type'], answers: unknown[]): string[] {
  return answers.map((a) => {
    if (typeof a === 'string') return a;
    if (Array.isArray(a)) return a.join('');
    const r = a as Record<string, unknown>;
    if (type === 'MX') return `${String(r.priority)} ${String(r.exchange)}`;
    if (type === 'SRV')
      return `${String(r.priority)} ${String(r.weight)} ${String(r.port)} ${String(r.name)}`;
    if (type === 'SOA') return `${String(r.nsname)} ${String(r.hostmaster)} ${String(r.serial)}`;
    if (type === 'CAA')
      return `${String(r.critical)} ${Object.keys(r).find((k) => k !== 'critical') ?? ''} ${String(Object.values(r)[1] ?? '')}`;
    return JSON.stringify(a);
  });
}

const KIND_BY_CODE: Record<string, ProbeErrorKind> = {
  ETIMEOUT: 'timeout',
  ECONNREFUSED: 'connect_refused',
  ENOTFOUND: 'dns',
  ENODATA: 'dns',
  ESERVFAIL: 'dns',
  EREFUSED: 'dns',
  EFORMERR: 'dns',
  EBADRESP: 'dns',
};

/**
 * The DNS probe: asks the given server (not the system resolver) for `name` and `record_type`,
 * and checks the answers. The query time is reported as `processing`.
 */
export function dnsProbe(cfg: DnsProbeConfig): Probe {
  return {
    async run(target: ProbeTarget, signal: AbortSignal) {
      const startedAt = new Date();
      const resolver = new Resolver({ timeout: target.timeoutMs, tries: 1 });
      const server = cfg.server.includes(':') && !cfg.server.startsWith('[') ? `[${cfg.server}]` : cfg.server;
      resolver.setServers([`${server}:${cfg.port}`]);
      const onAbort = (): void => resolver.cancel();
      signal.addEventListener('abort', onAbort, { once: true });
      const t0 = performance.now();
      const where = `${cfg.name} ${cfg.record_type} @${cfg.server}:${cfg.port}`;
      try {
        const answers = formatAnswers(
          cfg.record_type,
          (await resolver.resolve(cfg.name, cfg.record_type)) as unknown[],
        );
        const totalMs = performance.now() - t0;
        const phases = { resolve: 0, connect: 0, tls: 0, processing: totalMs, transfer: 0 };
        const missing = (cfg.expect ?? []).filter((e) => !answers.includes(e));
        if (answers.length < cfg.expect_min_answers || missing.length > 0) {
          const message =
            missing.length > 0
              ? `${where} answered [${answers.join(', ')}], missing ${missing.join(', ')}`
              : `${where} gave ${answers.length} answers, expected at least ${cfg.expect_min_answers}`;
          return makeResult(target, startedAt, {
            ok: false,
            phases,
            totalMs,
            error: { kind: 'assertion', message },
          });
        }
        return makeResult(target, startedAt, { ok: true, phases, totalMs });
      } catch (err) {
        const totalMs = performance.now() - t0;
        const code = (err as { code?: string }).code ?? '';
        const kind = signal.aborted || code === 'ECANCELLED' ? 'timeout' : (KIND_BY_CODE[code] ?? 'other');
        const message =
          kind === 'timeout'
            ? `${where}: no answer within the timeout`
            : `${where} failed: ${code || (err as Error).message}`;
        return makeResult(target, startedAt, {
          ok: false,
          phases: { resolve: 0, connect: 0, tls: 0, processing: totalMs, transfer: 0 },
          totalMs,
          error: { kind, message },
        });
      } finally {
        signal.removeEventListener('abort', onAbort);
      }
    },
  };
}

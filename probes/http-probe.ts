import { CONFIG_FILE_MAX_BYTES, VigilError, errorMessage, readBoundedFile } from '../core/index.js';
import { checkResponse } from './assertions.js';
import { HttpExchanger } from './http-exchange.js';
import { makeResult } from './result.js';
import type { HttpProbeConfig, MultiStepProbeConfig } from './schemas.js';
import { timedFetch, type ConnSettings } from './timed-fetch.js';
import type { Probe, ProbeTarget } from './types.js';

/** Reads the connection settings of an http or multi_step probe; a missing CA file is a config error. */
export function connSettingsOf(cfg: HttpProbeConfig | MultiStepProbeConfig): ConnSettings {
  let ca: string[] | undefined;
  if (cfg.ca_file) {
    try {
      ca = [readBoundedFile(cfg.ca_file, CONFIG_FILE_MAX_BYTES, 'ca_file')];
    } catch (err) {
      throw new VigilError('PRB_CA_FILE', errorMessage(err), {
        cause: err,
      });
    }
  }
  return {
    followRedirects: cfg.follow_redirects,
    maxRedirects: cfg.max_redirects,
    family: cfg.preferred_ip_protocol === 'ip4' ? 4 : cfg.preferred_ip_protocol === 'ip6' ? 6 : 0,
    fallback: cfg.ip_protocol_fallback,
    keepAlive: cfg.keep_alive,
    insecure: cfg.insecure_skip_verify,
    maxBodyBytes: cfg.max_body_bytes,
    ...(ca ? { ca } : {}),
  };
}

/**
 * The HTTP(S) probe: one request (plus redirects), timed by phase with a fresh connection unless
 * keep_alive is set, then checked against the expectations (status 2xx by default).
 */
export function httpProbe(cfg: HttpProbeConfig): Probe {
  const conn = connSettingsOf(cfg);
  const url = new URL(cfg.url);
  const kept = conn.keepAlive
    ? new HttpExchanger({
        family: conn.family,
        fallback: conn.fallback,
        keepAlive: true,
        insecure: conn.insecure,
        ...(conn.ca ? { ca: conn.ca } : {}),
      })
    : undefined;
  return {
    async run(target: ProbeTarget, signal: AbortSignal) {
      const startedAt = new Date();
      const res = await timedFetch(
        {
          url,
          method: cfg.method,
          headers: cfg.headers,
          ...(cfg.body !== undefined ? { body: cfg.body } : {}),
          ...(cfg.auth ? { auth: cfg.auth } : {}),
        },
        conn,
        signal,
        undefined,
        kept,
      );
      const base = {
        phases: res.phases,
        totalMs: res.totalMs,
        ...(res.status !== undefined ? { status: res.status } : {}),
        ...(res.tls ? { tls: res.tls } : {}),
      };
      if (res.error) return makeResult(target, startedAt, { ...base, ok: false, error: res.error });
      const verdict = checkResponse(
        { status: res.status ?? 0, headers: res.headers, body: res.body, totalMs: res.totalMs },
        cfg.expect,
        url.host,
      );
      return makeResult(
        target,
        startedAt,
        verdict ? { ...base, ok: false, error: verdict } : { ...base, ok: true },
      );
    },
    async close() {
      await kept?.close();
    },
  };
}

import { generate } from 'otplib';
import type { ProbePhases, ProbeResult } from '../core/index.js';
import { checkResponse } from './assertions.js';
import { CookieJar } from './cookie-jar.js';
import { connSettingsOf } from './http-probe.js';
import { jsonPathGet } from './json-path.js';
import { makeResult } from './result.js';
import { regexCapture } from './regex.js';
import type { MultiStepProbeConfig, StepConfig } from './schemas.js';
import { timedFetch, type FetchResult } from './timed-fetch.js';
import type { Probe, ProbeTarget } from './types.js';

/** Replaces `{{name}}` with a variable; an unknown name is left as is so the failure shows it. */
export function expand(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (m, name: string) => vars[name] ?? m);
}

function capture(step: StepConfig, res: FetchResult, vars: Record<string, string>): string | undefined {
  const text = res.body.toString('utf8');
  for (const c of step.capture) {
    let value: unknown;
    if (c.header !== undefined) value = res.headers[c.header.toLowerCase()];
    else if (c.json !== undefined) {
      try {
        value = jsonPathGet(JSON.parse(text), c.json);
      } catch {
        return `capture ${c.name}: body is not JSON`;
      }
    } else if (c.regex !== undefined) {
      value = regexCapture(c.regex, text);
    }
    if (value === undefined || value === null)
      return `capture ${c.name}: nothing found (${c.header ?? c.json ?? c.regex ?? ''})`;
    vars[c.name] = Array.isArray(value)
      ? String(value[0])
      : typeof value === 'string'
        ? value
        : JSON.stringify(value);
  }
  return undefined;
}

/**
 * The multi-step HTTP probe: ordered requests sharing a cookie jar and variables captured from
 * earlier responses, with `{{totp}}` computed per RFC 6238 from the configured secret, so a login
 * through 2FA can be watched end to end. Phases are summed over all steps; the first failing step
 * ends the run and is named in the message.
 */
export function multiStepProbe(cfg: MultiStepProbeConfig): Probe {
  const conn = connSettingsOf(cfg);
  return {
    async run(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
      const startedAt = new Date();
      const jar = new CookieJar();
      const vars: Record<string, string> = { ...cfg.variables };
      const phases: ProbePhases = { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
      let totalMs = 0;
      let last: FetchResult | undefined;
      for (const [i, step] of cfg.steps.entries()) {
        const label = `step ${i + 1}${step.name ? ` (${step.name})` : ''}`;
        if (cfg.totp) {
          vars.totp = await generate({
            secret: cfg.totp.secret.reveal(),
            digits: cfg.totp.digits as 6,
            period: cfg.totp.period,
          });
        }
        const headers = Object.fromEntries(
          Object.entries(step.headers).map(([k, v]) => [k, expand(v, vars)]),
        );
        const res = await timedFetch(
          {
            url: new URL(expand(step.url, vars)),
            method: step.method,
            headers,
            ...(step.body !== undefined ? { body: expand(step.body, vars) } : {}),
            ...(step.auth ? { auth: step.auth } : {}),
          },
          conn,
          signal,
          jar,
        );
        last = res;
        for (const k of Object.keys(phases) as (keyof ProbePhases)[]) phases[k] += res.phases[k];
        totalMs += res.totalMs;
        const base = {
          phases,
          totalMs,
          ...(res.status !== undefined ? { status: res.status } : {}),
          ...(res.tls ? { tls: res.tls } : {}),
        };
        if (res.error)
          return makeResult(target, startedAt, {
            ...base,
            ok: false,
            error: { kind: res.error.kind, message: `${label}: ${res.error.message}` },
          });
        const verdict = checkResponse(
          { status: res.status ?? 0, headers: res.headers, body: res.body, totalMs: res.totalMs },
          step.expect,
          res.finalUrl.host + res.finalUrl.pathname,
        );
        if (verdict)
          return makeResult(target, startedAt, {
            ...base,
            ok: false,
            error: { kind: verdict.kind, message: `${label}: ${verdict.message}` },
          });
        const problem = capture(step, res, vars);
        if (problem)
          return makeResult(target, startedAt, {
            ...base,
            ok: false,
            error: { kind: 'assertion', message: `${label}: ${problem}` },
          });
      }
      return makeResult(target, startedAt, {
        ok: true,
        phases,
        totalMs,
        ...(last?.status !== undefined ? { status: last.status } : {}),
        ...(last?.tls ? { tls: last.tls } : {}),
      });
    },
  };
}

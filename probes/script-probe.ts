import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { VigilError, errorMessage, type ProbeResult } from '../core/index.js';
import type { ScriptProbeConfig } from './schemas.js';
import { runScript, type ScriptRunParams } from './script/script-host.js';
import { scriptResult, type ScriptSummary } from './script/script-result.js';
import type { Probe, ProbeTarget } from './types.js';

/** The run parameters of a script probe config, less the time limit (the target's timeout). */
export function scriptRunParams(cfg: ScriptProbeConfig, iterations = 1): Omit<ScriptRunParams, 'timeoutMs'> {
  let ca: string[] | undefined;
  if (cfg.ca_file) {
    try {
      ca = [readFileSync(cfg.ca_file, 'utf8')];
    } catch (err) {
      throw new VigilError('PRB_CA_FILE', `cannot read ca_file ${cfg.ca_file}: ${errorMessage(err)}`, {
        cause: err,
      });
    }
  }
  return {
    code: cfg.file.code,
    filename: basename(cfg.file.path),
    env: Object.fromEntries(Object.entries(cfg.env).map(([k, v]) => [k, v.reveal()])),
    files: cfg.files,
    dir: dirname(resolve(cfg.file.path)),
    iterations,
    memoryMb: cfg.memory_limit_mb,
    hosts: cfg.hosts,
    insecure: cfg.insecure_skip_verify,
    maxBodyBytes: cfg.max_body_bytes,
    ...(ca ? { ca } : {}),
  };
}

/**
 * Replaces every `__ENV` value (they are secrets) in the run's texts by `<secret>`, so a password
 * a script puts in a URL, a check name, a log line or an error never reaches the store or a log.
 * Values under 4 characters are left alone: they would blank out ordinary text.
 */
function redact<T>(value: T, secrets: string[]): T {
  if (secrets.length === 0) return value;
  const scrub = (text: string): string => secrets.reduce((t, s) => t.split(s).join('<secret>'), text);
  return JSON.parse(JSON.stringify(value), (_k, v: unknown) => (typeof v === 'string' ? scrub(v) : v)) as T;
}

/**
 * Runs a script probe once and keeps the summary too (for `vigil probe script --json`). `secrets`
 * are blanked out of everything the run returns (a script probe's `env` values).
 */
export async function runScriptProbe(
  params: ScriptRunParams,
  target: ProbeTarget,
  signal: AbortSignal,
  secrets: string[] = [],
): Promise<{ result: ProbeResult; summary: ScriptSummary }> {
  const startedAt = new Date();
  const out = scriptResult(target, startedAt, await runScript(params, signal));
  const long = secrets.filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  return redact(out, long);
}

/** The values a script probe's config marks secret (all of `env`). */
export function scriptSecrets(cfg: ScriptProbeConfig): string[] {
  return Object.values(cfg.env).map((v) => v.reveal());
}

/**
 * The script probe: a k6-style script (one VU, one iteration, as Grafana Synthetic Monitoring runs
 * its scripted checks) in a worker thread of its own, limited to the target's timeout and the
 * configured memory. Up only when the script finished, every check passed and every threshold held.
 */
export function scriptProbe(cfg: ScriptProbeConfig): Probe {
  const params = scriptRunParams(cfg);
  const secrets = scriptSecrets(cfg);
  return {
    async run(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult> {
      const { result } = await runScriptProbe(
        { ...params, timeoutMs: target.timeoutMs },
        target,
        signal,
        secrets,
      );
      return result;
    },
  };
}

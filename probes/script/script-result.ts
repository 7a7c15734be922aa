import type { ProbeErrorKind, ProbePhases, ProbeResult } from '../../core/index.js';
import { makeResult } from '../result.js';
import type { ProbeTarget } from '../types.js';
import { failedThresholds, type CheckSample } from './k6-thresholds.js';
import type { K6Timings } from './k6-http.js';
import type { ScriptRun } from './script-host.js';

/**
 * One run in the terms of Grafana Synthetic Monitoring's k6 scripted checks, whose metric names it
 * borrows (probe_checks_total{result}, probe_http_requests_total, probe_http_requests_failed_total,
 * probe_script_duration_seconds), with every request's timings under k6's names.
 */
export interface ScriptSummary {
  probe_checks_total: { pass: number; fail: number };
  probe_http_requests_total: number;
  probe_http_requests_failed_total: number;
  probe_script_duration_seconds: number;
  checks: { name: string; group: string; pass: number; fail: number }[];
  requests: {
    method: string;
    url: string;
    name: string;
    status: number;
    group: string;
    /** http_req_blocked, http_req_connecting, … in ms. */
    metrics: Record<`http_req_${keyof K6Timings}`, number>;
    error?: string;
  }[];
  thresholds: { failed: string[] };
  logs: { level: string; msg: string }[];
}

const KIND: Record<NonNullable<ScriptRun['error']>['kind'], ProbeErrorKind> = {
  timeout: 'timeout',
  fail: 'assertion',
  script: 'other',
  outside: 'other',
  memory: 'other',
  thread: 'other',
};

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

function checkLabel(c: CheckSample): string {
  return `check "${c.name}"${c.group ? ` in group ${c.group}` : ''}${c.line ? ` (line ${c.line})` : ''}`;
}

/** Why a check failed, told by the request just before it when that one failed at the HTTP level. */
function checkError(run: ScriptRun, failed: CheckSample[]): { kind: ProbeErrorKind; message: string } {
  const first = failed[0]!;
  const others =
    failed.length > 1
      ? `; ${failed.length - 1} more failed: ${failed
          .slice(1, 4)
          .map((c) => `"${c.name}"`)
          .join(', ')}`
      : '';
  const req = run.http[first.afterHttp - 1];
  let kind: ProbeErrorKind = 'assertion';
  let why = '';
  if (req?.error) {
    kind = req.error.kind;
    why = ` after ${req.method} ${req.url}: ${req.error.message}`;
  } else if (req && !req.expected) {
    kind = 'http_status';
    why = ` after ${req.method} ${req.url} answered ${req.status}`;
  }
  return { kind, message: `${checkLabel(first)} failed${why}${others}` };
}

/** The summary of a run (CLI --json, docs) with SM's metric names. */
export function summarize(run: ScriptRun, thresholdsFailed: string[] = []): ScriptSummary {
  const byCheck = new Map<string, ScriptSummary['checks'][number]>();
  for (const c of run.checks) {
    const key = `${c.group}\u0000${c.name}`;
    const e = byCheck.get(key) ?? { name: c.name, group: c.group, pass: 0, fail: 0 };
    if (c.ok) e.pass++;
    else e.fail++;
    byCheck.set(key, e);
  }
  return {
    probe_checks_total: {
      pass: run.checks.filter((c) => c.ok).length,
      fail: run.checks.filter((c) => !c.ok).length,
    },
    probe_http_requests_total: run.http.length,
    probe_http_requests_failed_total: run.http.filter((s) => !s.expected).length,
    probe_script_duration_seconds: round(run.elapsedMs) / 1000,
    checks: [...byCheck.values()],
    requests: run.http.map((s) => ({
      method: s.method,
      url: s.url,
      name: s.name,
      status: s.status,
      group: s.group,
      metrics: Object.fromEntries(
        Object.entries(s.timings).map(([k, v]) => [`http_req_${k}`, round(v)]),
      ) as ScriptSummary['requests'][number]['metrics'],
      ...(s.error ? { error: s.error.message } : {}),
    })),
    thresholds: { failed: thresholdsFailed },
    logs: run.logs,
  };
}

/**
 * A run as a vigil probe result: up only when the script ran to its end, every check passed and
 * every threshold held. Phases and totalMs are summed over the script's requests (as the
 * multi_step probe sums its steps), so sleeps and the script's own work are not response time.
 */
export function scriptResult(
  target: ProbeTarget,
  startedAt: Date,
  run: ScriptRun,
): { result: ProbeResult; summary: ScriptSummary } {
  const phases: ProbePhases = { resolve: 0, connect: 0, tls: 0, processing: 0, transfer: 0 };
  for (const s of run.http)
    for (const k of Object.keys(phases) as (keyof ProbePhases)[]) phases[k] += s.phases[k];
  const totalMs = phases.resolve + phases.connect + phases.tls + phases.processing + phases.transfer;
  const last = run.http[run.http.length - 1];
  const tls = run.http.find((s) => s.tls)?.tls;
  const base = {
    phases,
    totalMs,
    ...(last && last.status ? { status: last.status } : {}),
    ...(tls ? { tls } : {}),
  };
  let error: { kind: ProbeErrorKind; message: string } | undefined;
  let thresholds: string[] = [];
  if (run.error) error = { kind: KIND[run.error.kind], message: run.error.message };
  else {
    const failed = run.checks.filter((c) => !c.ok);
    if (failed.length > 0) error = checkError(run, failed);
    try {
      const spec = run.options.thresholds;
      if (spec && typeof spec === 'object')
        thresholds = failedThresholds(spec as Record<string, unknown>, run.http, run.checks, run.elapsedMs);
    } catch (err) {
      error ??= { kind: 'other', message: err instanceof Error ? err.message : String(err) };
    }
    if (!error && thresholds.length > 0)
      error = { kind: 'assertion', message: `thresholds not met: ${thresholds.join('; ')}` };
  }
  const result = makeResult(target, startedAt, error ? { ...base, ok: false, error } : { ...base, ok: true });
  const summary = summarize(run, thresholds);
  result.script = {
    checksPassed: summary.probe_checks_total.pass,
    checksFailed: summary.probe_checks_total.fail,
    requests: summary.probe_http_requests_total,
    requestsFailed: summary.probe_http_requests_failed_total,
    durationMs: round(run.elapsedMs),
  };
  return { result, summary };
}

import type { HttpSample, K6Timings } from './k6-http.js';

/** One check outcome, tagged as k6 tags it. */
export interface CheckSample {
  name: string;
  group: string;
  ok: boolean;
  line: string;
  tags: Record<string, unknown>;
  /** How many requests had completed when the check ran (the one before it is its likely subject). */
  afterHttp: number;
}

const TRENDS: Record<string, keyof K6Timings> = {
  http_req_duration: 'duration',
  http_req_blocked: 'blocked',
  http_req_connecting: 'connecting',
  http_req_tls_handshaking: 'tls_handshaking',
  http_req_sending: 'sending',
  http_req_waiting: 'waiting',
  http_req_receiving: 'receiving',
};
/** Metrics a threshold may name in vigil: k6's built-in HTTP and check metrics. */
export const THRESHOLD_METRICS = ['checks', 'http_req_failed', 'http_reqs', ...Object.keys(TRENDS)];

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  // k6 interpolates linearly between the closest ranks.
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

function tagsOf(s: HttpSample | CheckSample, kind: 'http' | 'check'): Record<string, string> {
  const own = Object.fromEntries(Object.entries(s.tags).map(([k, v]) => [k, String(v)]));
  if (kind === 'check') return { ...own, check: (s as CheckSample).name, group: s.group };
  const h = s as HttpSample;
  return {
    ...own,
    name: h.name,
    url: h.url,
    method: h.method,
    status: String(h.status),
    group: h.group,
    expected_response: String(h.expected),
  };
}

const OPS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '==': (a, b) => a === b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a !== b,
};

/**
 * Evaluates `options.thresholds` (k6 syntax: `metric{tag:value}: ['rate==1', 'p(95)<500']`) over
 * one probe run's samples. Returns the ones not met, as "metric: expression (value)"; a metric or
 * aggregation vigil does not have is thrown as an outside-the-subset error.
 */
export function failedThresholds(
  thresholds: Record<string, unknown>,
  http: HttpSample[],
  checks: CheckSample[],
  elapsedMs: number,
): string[] {
  const failed: string[] = [];
  for (const [key, list] of Object.entries(thresholds)) {
    const m = /^([a-z_]+)(?:\{(.*)\})?$/.exec(key.trim());
    if (!m || !THRESHOLD_METRICS.includes(m[1]!))
      throw new Error(
        `threshold on "${key}" is outside vigil's k6 subset (metrics: ${THRESHOLD_METRICS.join(', ')})`,
      );
    const metric = m[1]!;
    const filter = (m[2] ?? '')
      .split(',')
      .filter((f) => f.trim())
      .map((f) => {
        const i = f.indexOf(':');
        return [f.slice(0, i).trim(), f.slice(i + 1).trim()] as const;
      });
    const keep = (t: Record<string, string>): boolean => filter.every(([k, v]) => t[k] === v);
    const exprs = (Array.isArray(list) ? list : [list]).map((e) =>
      typeof e === 'object' && e !== null ? String((e as { threshold?: unknown }).threshold) : String(e),
    );
    const httpKept = http.filter((s) => keep(tagsOf(s, 'http')));
    const checkKept = checks.filter((s) => keep(tagsOf(s, 'check')));
    const trend = TRENDS[metric];
    const values = trend ? httpKept.map((s) => s.timings[trend]).sort((a, b) => a - b) : [];
    for (const expr of exprs) {
      const e = /^\s*([a-z]+(?:\(\d+(?:\.\d+)?\))?)\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(
        expr,
      );
      if (!e)
        throw new Error(
          `threshold "${key}: ${expr}" is not an expression vigil reads (e.g. rate==1, p(95)<500)`,
        );
      const agg = e[1]!;
      let value: number | undefined;
      if (metric === 'checks' && agg === 'rate')
        value = checkKept.length ? checkKept.filter((c) => c.ok).length / checkKept.length : 0;
      else if (metric === 'http_req_failed' && agg === 'rate')
        value = httpKept.length ? httpKept.filter((s) => !s.expected).length / httpKept.length : 0;
      else if (metric === 'http_reqs' && agg === 'count') value = httpKept.length;
      else if (metric === 'http_reqs' && agg === 'rate')
        value = httpKept.length / Math.max(elapsedMs / 1000, 1e-9);
      else if (trend) {
        const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(agg);
        if (p) value = percentile(values, Number(p[1]));
        else if (agg === 'avg') value = values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
        else if (agg === 'min') value = values[0] ?? 0;
        else if (agg === 'max') value = values[values.length - 1] ?? 0;
        else if (agg === 'med') value = percentile(values, 50);
      }
      if (value === undefined)
        throw new Error(`threshold "${key}: ${expr}": ${agg} is not an aggregation of ${metric}`);
      if (!OPS[e[2]!]!(value, Number(e[3])))
        failed.push(`${key}: ${expr} (${Math.round(value * 1000) / 1000})`);
    }
  }
  return failed;
}

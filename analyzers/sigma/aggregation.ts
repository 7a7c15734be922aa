import type { FieldSource } from './field-map.js';
import type { SigmaTarget } from './logsource.js';
import { SigmaError } from './sigma-error.js';

/** `| count([field]) [by field] op n` over a sliding `timeframe` (Sigma specification, "Aggregation expression"). */
export interface SigmaAggregation {
  /** `count()` counts matching records; `count(field)` counts distinct values of the field. */
  field?: FieldSource;
  fieldName?: string;
  by?: FieldSource;
  byName?: string;
  op: '>' | '>=' | '<' | '<=' | '=';
  value: number;
  /** Window in seconds; Infinity when the rule gives no timeframe (the whole run). */
  windowSec: number;
  /** The timeframe as the rule wrote it, for findings. */
  timeframe?: string;
}

const UNIT: Record<string, number> = {
  s: 1,
  m: 60,
  h: 3600,
  d: 86_400,
  w: 604_800,
  M: 2_592_000,
  y: 31_536_000,
};

/** Seconds of a Sigma timeframe (`30s`, `5m`, `1h`, `2d`, `1M` month of 30 days, `1y`). */
export function parseTimeframe(tf: unknown): number {
  const m = /^(\d+)\s*([smhdwMy])$/.exec(String(tf).trim());
  if (!m)
    throw new SigmaError(
      ['detection', 'timeframe'],
      `timeframe "${String(tf)}" is not <number><s|m|h|d|w|M|y>`,
    );
  const n = Number(m[1]) * UNIT[m[2]!]!;
  if (n <= 0) throw new SigmaError(['detection', 'timeframe'], `timeframe "${String(tf)}" must be positive`);
  return n;
}

const AGG =
  /^\s*(count|min|max|avg|sum)\s*\(\s*([^)\s]*)\s*\)\s*(?:by\s+([^\s<>=]+)\s*)?(<=|>=|<|>|==|=)\s*(\d+(?:\.\d+)?)\s*$/i;

/** Parses the part of a condition after `|`; only `count` is supported, the others are refused with the reason. */
export function parseAggregation(text: string, timeframe: unknown, target: SigmaTarget): SigmaAggregation {
  const m = AGG.exec(text);
  if (!m)
    throw new SigmaError(
      ['detection', 'condition'],
      `aggregation "${text.trim()}" is not "count([field]) [by field] <op> <number>"`,
    );
  const fn = m[1]!.toLowerCase();
  if (fn !== 'count')
    throw new SigmaError(
      ['detection', 'condition'],
      `aggregation function ${fn}() is not supported (only count)`,
    );
  const one = (name: string): FieldSource => {
    const rs = target.fieldReaders(name);
    return rs.length === 1 ? rs[0]! : (f) => rs.map((r) => r(f)).find((v) => v !== undefined);
  };
  const op = (m[4] === '==' ? '=' : m[4]) as SigmaAggregation['op'];
  return {
    ...(m[2] ? { field: one(m[2]), fieldName: m[2] } : {}),
    ...(m[3] ? { by: one(m[3]), byName: m[3] } : {}),
    op,
    value: Number(m[5]),
    windowSec: timeframe === undefined ? Infinity : parseTimeframe(timeframe),
    ...(timeframe !== undefined ? { timeframe: String(timeframe) } : {}),
  };
}

/** Whether `n` satisfies the aggregation's comparison. */
export function aggregationHolds(a: SigmaAggregation, n: number): boolean {
  switch (a.op) {
    case '>':
      return n > a.value;
    case '>=':
      return n >= a.value;
    case '<':
      return n < a.value;
    case '<=':
      return n <= a.value;
    default:
      return n === a.value;
  }
}

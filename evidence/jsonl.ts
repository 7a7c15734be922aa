import { VigilError, canonicalJson } from '../core/index.js';

/**
 * One RFC 8785 canonical JSON line per row: keys sorted, numbers in shortest form, so the same
 * rows always give the same bytes (a byte-identical re-export depends on it).
 */
export function toJsonl(rows: readonly Record<string, unknown>[]): Buffer {
  return Buffer.from(rows.map((r) => `${canonical(r)}\n`).join(''), 'utf8');
}

/** RFC 8785 canonical JSON of `v`. */
export function canonical(v: unknown): string {
  return canonicalJson(v);
}

/** Parses JSON Lines, naming the file and line of anything malformed. */
export function parseJsonl(name: string, buf: Buffer): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  buf
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      try {
        out.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        throw new VigilError('EVD_JSON', `${name}:${i + 1}: not JSON`);
      }
    });
  return out;
}

/** Code-unit order: the same on every machine (localeCompare depends on the ICU locale). */
export const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

import { VigilError } from '../errors.js';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

// Prometheus duration syntax (model.ParseDuration): units in descending order, each at most once,
// e.g. "1h30m", "10s", "500ms", "0s". A bare "0" is accepted as Prometheus does.
const DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** Parses a Prometheus-style duration into milliseconds; returns undefined when malformed. */
export function tryParseDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = DURATION_RE.exec(text);
  if (!m || text === '') return undefined;
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let total = 0;
  for (let i = 0; i < units.length; i++) {
    const v = m[i + 1];
    if (v !== undefined) total += Number(v) * UNIT_MS[units[i]!]!;
  }
  return total;
}

/** Parses a Prometheus-style duration into milliseconds, or throws CFG_DURATION. */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === undefined) {
    throw new VigilError('CFG_DURATION', `"${text}" is not a duration (use e.g. 500ms, 10s, 5m, 1h30m, 7d)`);
  }
  return ms;
}

/** Formats milliseconds as a Prometheus duration ("1h30m", "0s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = Math.round(ms);
  let out = '';
  for (const [u, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${u}`;
      rest -= n * size;
    }
  }
  return out;
}

/**
 * Zeek times carry microseconds (Zeek prints `%.6f`, and ISO 8601 with six fraction digits under
 * `LogAscii::json_timestamps=JSON::TS_ISO8601`). JS Dates keep milliseconds only, so times are
 * epoch-second numbers here and printed back with six digits.
 */

const ISO_RE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:?\d\d)?$/;

/** Epoch seconds of an ISO 8601 timestamp (Zeek's `…Z` or Suricata's `…+0000`), NaN when it is not one. */
export function parseIsoSeconds(s: string): number {
  const m = ISO_RE.exec(s);
  if (!m) return NaN;
  let zone = m[3] ?? 'Z';
  if (zone !== 'Z' && zone.length === 5) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const whole = Date.parse(`${m[1]!}${zone}`);
  if (Number.isNaN(whole)) return NaN;
  const frac = m[2] ? Number(`0.${m[2]}`) : 0;
  return whole / 1000 + frac;
}

/** Whether a string looks like an ISO 8601 timestamp Zeek or Suricata write. */
export function looksIso(s: string): boolean {
  return s.length >= 19 && s.charCodeAt(4) === 45 && s.charCodeAt(10) === 84 && ISO_RE.test(s);
}

/** ISO 8601 UTC with six fraction digits, as Zeek writes it. */
export function formatIsoMicros(epochSeconds: number): string {
  const fixed = epochSeconds.toFixed(6);
  const dot = fixed.indexOf('.');
  let sec = Number(fixed.slice(0, dot));
  let frac = fixed.slice(dot + 1);
  if (fixed.startsWith('-') && frac !== '000000') {
    // -0.4 is 0.6 s into the second before the epoch
    sec -= 1;
    frac = String(1_000_000 - Number(frac)).padStart(6, '0');
  }
  const base = new Date(sec * 1000).toISOString().slice(0, 19);
  return `${base}.${frac}Z`;
}

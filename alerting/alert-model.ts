import type { Alert } from '../core/index.js';

/** An alert as the router holds it: Alertmanager's types.Alert, times in epoch ms. */
export interface RouterAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: number;
  /** 0 = no end known. */
  endsAt: number;
  updatedAt: number;
  generatorURL: string;
  /** True when endsAt was set from resolve_timeout, not by the sender. */
  timeout: boolean;
}

const SEP = 0xff;
const M32 = 0xffffffff;

/**
 * Prometheus' label fingerprint (model.LabelSet.Fingerprint): FNV-1a 64 over the sorted names and
 * values, each followed by the 0xff separator, as 16 hex digits. 64-bit arithmetic in two 32-bit
 * halves, so it costs no BigInt on the ingest path.
 */
export function fingerprint(labels: Readonly<Record<string, string>>): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  const step = (byte: number): void => {
    lo ^= byte;
    // h * 0x100000001b3 = h * 0x1b3 + (h << 40)
    const loMul = (lo & 0xffff) * 0x1b3;
    const loMulHi = (lo >>> 16) * 0x1b3 + (loMul >>> 16);
    const newLo = ((loMulHi & 0xffff) << 16) | (loMul & 0xffff);
    const carry = Math.floor(loMulHi / 0x10000);
    const newHi = (Math.imul(hi, 0x1b3) + carry + ((lo << 8) & M32)) >>> 0;
    lo = newLo >>> 0;
    hi = newHi;
  };
  const names = Object.keys(labels).sort();
  if (names.length === 0) return 'cbf29ce484222325';
  const enc = new TextEncoder();
  for (const n of names) {
    for (const b of enc.encode(n)) step(b);
    step(SEP);
    for (const b of enc.encode(labels[n]!)) step(b);
    step(SEP);
  }
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** Alertmanager's Resolved(): an end time that is not after now. */
export function isResolved(a: Pick<RouterAlert, 'endsAt'>, now: number): boolean {
  return a.endsAt !== 0 && a.endsAt <= now;
}

/** Go's zero time.Time (0001-01-01T00:00:00Z), which Go clients such as amtool send for "unset". */
const GO_ZERO_TIME = -62135596800000;
const timeOf = (s: string | undefined) => {
  const t = s ? Date.parse(s) : 0;
  return Number.isNaN(t) || t === GO_ZERO_TIME ? 0 : t;
};

/**
 * Turns an incoming alert into a router alert as Alertmanager's API does: startsAt defaults to
 * now (or endsAt), and an alert without endsAt resolves after `resolveTimeoutMs` unless re-sent.
 */
export function fromIncoming(alert: Alert, now: number, resolveTimeoutMs: number): RouterAlert {
  // Alertmanager treats a zero time as absent (types.Alert: EndsAt.IsZero()).
  const endsAt = timeOf(alert.endsAt);
  let startsAt = timeOf(alert.startsAt);
  if (!startsAt) startsAt = endsAt || now;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(alert.labels)) if (v !== '') labels[k] = v;
  return {
    fingerprint: fingerprint(labels),
    labels,
    annotations: { ...alert.annotations },
    startsAt,
    endsAt: endsAt || now + resolveTimeoutMs,
    updatedAt: now,
    generatorURL: alert.generatorURL ?? '',
    timeout: !endsAt,
  };
}

/** Alertmanager's Alert.Merge: the younger update wins, the earliest start is kept. */
export function mergeAlerts(a: RouterAlert, o: RouterAlert, now: number): RouterAlert {
  if (o.updatedAt < a.updatedAt) return mergeAlerts(o, a, now);
  const res = { ...o };
  if (a.startsAt < o.startsAt) res.startsAt = a.startsAt;
  if (isResolved(o, now)) {
    if (isResolved(a, now) && a.endsAt > o.endsAt) res.endsAt = a.endsAt;
  } else if (a.endsAt > o.endsAt && !a.timeout) {
    res.endsAt = a.endsAt;
  }
  return res;
}

/** The alert in Alertmanager's API/webhook shape. */
export function toApiAlert(
  a: RouterAlert,
  now: number,
): Alert & { status: 'firing' | 'resolved'; fingerprint: string } {
  const resolved = isResolved(a, now);
  return {
    status: resolved ? 'resolved' : 'firing',
    labels: a.labels,
    annotations: a.annotations,
    startsAt: new Date(a.startsAt).toISOString(),
    endsAt: resolved ? new Date(a.endsAt).toISOString() : '0001-01-01T00:00:00Z',
    generatorURL: a.generatorURL,
    fingerprint: a.fingerprint,
  };
}

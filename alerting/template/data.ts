import type { GoFunc } from './func.js';
import { GoTime } from './gotime.js';
import { byteOrder, GoKV, GoSlice, GoStruct, type GoValue } from './values.js';

// Alertmanager 0.25's template data (template/template.go: Data, Alert, Alerts, KV, Pairs) as Go
// values, with the methods templates call on them.

/** One alert as Alertmanager's template.Alert, in JSON form (the webhook payload's shape). */
export interface TemplateAlert {
  status?: string;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
  fingerprint?: string;
}

/** Alertmanager's template.Data in JSON form (as `amtool template render --template.data` reads). */
export interface TemplateData {
  receiver?: string;
  status?: string;
  alerts?: TemplateAlert[] | null;
  groupLabels?: Record<string, string> | null;
  commonLabels?: Record<string, string> | null;
  commonAnnotations?: Record<string, string> | null;
  externalURL?: string;
}

const kv = (r: Record<string, string> | null | undefined) => new GoKV(new Map(Object.entries(r ?? {})));
const time = (s: string | undefined) => (s ? (GoTime.parse(s) ?? GoTime.fromDate(s)) : GoTime.zero());

function alertValue(a: TemplateAlert): GoStruct {
  return new GoStruct(
    'template.Alert',
    new Map<string, GoValue>([
      ['Status', a.status ?? ''],
      ['Labels', kv(a.labels)],
      ['Annotations', kv(a.annotations)],
      ['StartsAt', time(a.startsAt)],
      ['EndsAt', time(a.endsAt)],
      ['GeneratorURL', a.generatorURL ?? ''],
      ['Fingerprint', a.fingerprint ?? ''],
    ]),
  );
}

/** Converts JSON template data to the Go value a template's dot is. */
export function dataValue(d: TemplateData): GoStruct {
  return new GoStruct(
    'template.Data',
    new Map<string, GoValue>([
      ['Receiver', d.receiver ?? ''],
      ['Status', d.status ?? ''],
      ['Alerts', new GoSlice('template.Alerts', (d.alerts ?? []).map(alertValue))],
      ['GroupLabels', kv(d.groupLabels)],
      ['CommonLabels', kv(d.commonLabels)],
      ['CommonAnnotations', kv(d.commonAnnotations)],
      ['ExternalURL', d.externalURL ?? ''],
    ]),
  );
}

const pair = (name: string, value: string) =>
  new GoStruct(
    'template.Pair',
    new Map<string, GoValue>([
      ['Name', name],
      ['Value', value],
    ]),
  );

/** KV.SortedPairs: `alertname` first, then the other names in byte order. */
function sortedPairs(m: GoKV): GoSlice {
  const keys = [...m.m.keys()];
  const first = keys.includes('alertname') ? ['alertname'] : [];
  const rest = keys.filter((k) => k !== 'alertname').sort(byteOrder);
  return new GoSlice(
    'template.Pairs',
    [...first, ...rest].map((k) => pair(k, m.m.get(k)!)),
  );
}

const pairField = (p: GoValue, f: string) => (p as GoStruct).fields.get(f) as string;
const noArgs = (call: () => GoValue): GoFunc => ({ params: [], call });

/** The methods of a value by name (Go looks a method up before a field or map key). */
export function methodOf(v: GoValue, name: string): GoFunc | undefined {
  if (v instanceof GoKV) {
    switch (name) {
      case 'SortedPairs':
        return noArgs(() => sortedPairs(v));
      case 'Names':
        return noArgs(
          () =>
            new GoSlice(
              '[]string',
              sortedPairs(v).items.map((p) => pairField(p, 'Name')),
            ),
        );
      case 'Values':
        return noArgs(
          () =>
            new GoSlice(
              '[]string',
              sortedPairs(v).items.map((p) => pairField(p, 'Value')),
            ),
        );
      case 'Remove':
        return {
          params: ['[]string'],
          call: ([keys]) => {
            const drop = new Set((keys as GoSlice).items as string[]);
            return new GoKV(new Map([...v.m].filter(([k]) => !drop.has(k))));
          },
        };
    }
    return undefined;
  }
  if (v instanceof GoSlice && v.type === 'template.Pairs') {
    if (name === 'Names' || name === 'Values') {
      const f = name === 'Names' ? 'Name' : 'Value';
      return noArgs(
        () =>
          new GoSlice(
            '[]string',
            v.items.map((p) => pairField(p, f)),
          ),
      );
    }
    return undefined;
  }
  if (v instanceof GoSlice && v.type === 'template.Alerts') {
    if (name === 'Firing' || name === 'Resolved') {
      const want = name === 'Firing' ? 'firing' : 'resolved';
      return noArgs(
        () =>
          new GoSlice(
            '[]template.Alert',
            v.items.filter((a) => (a as GoStruct).fields.get('Status') === want),
          ),
      );
    }
    return undefined;
  }
  if (v instanceof GoTime) return timeMethod(v, name);
  return undefined;
}

function timeMethod(t: GoTime, name: string): GoFunc | undefined {
  const f = t.fields();
  const ints: Record<string, () => number | bigint> = {
    Unix: () => BigInt(t.unixSec),
    UnixMilli: () => BigInt(t.unixSec) * 1000n + BigInt(Math.floor(t.nanos / 1e6)),
    UnixNano: () => BigInt(t.unixSec) * 1_000_000_000n + BigInt(t.nanos),
    Year: () => f.year,
    Day: () => f.day,
    Hour: () => f.hour,
    Minute: () => f.minute,
    Second: () => f.second,
    Nanosecond: () => t.nanos,
    YearDay: () => f.yday,
  };
  if (ints[name]) return noArgs(() => BigInt(ints[name]!()));
  switch (name) {
    case 'Format':
      return { params: ['string'], call: ([l]) => t.format(l as string) };
    case 'String':
      return noArgs(() => t.toString());
    case 'UTC':
      return noArgs(() => t.utc());
    case 'Local':
      return noArgs(() => t.local());
    case 'IsZero':
      return noArgs(() => t.isZero());
  }
  return undefined;
}

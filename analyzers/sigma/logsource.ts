import { SigmaError } from './sigma-error.js';
import { ZEEK_LOG_FIELDS } from './zeek-fields.js';
import { SURICATA_SERVICES, ZEEK_RAW_FIELDS, ZEEK_RAW_TARGETS, type FieldSource } from './field-map.js';

/** Where a rule's records come from and how its field names read a record. */
export interface SigmaTarget {
  source: 'zeek' | 'suricata';
  /** Log paths (`http`, `eve.dns`, …). */
  paths: string[];
  /** Readers of a rule field name (several: the field matches when one of them does). */
  fieldReaders(field: string): FieldSource[];
  /** Why the log source never has this field, or undefined when it may. */
  unknownField(field: string): string | undefined;
}

/** A value at a dotted path, through nested objects and arrays (EVE `dns.queries.rrname` gives every rrname). */
export function deepGet(obj: unknown, path: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const direct = (obj as Record<string, unknown>)[path];
  if (direct !== undefined) return direct;
  const dot = path.indexOf('.');
  if (dot === -1) return undefined;
  // a flat key with dots (`id.orig_h`) is tried first; then the nested form, longest head first
  let at = dot;
  while (at !== -1) {
    const head = (obj as Record<string, unknown>)[path.slice(0, at)];
    if (head !== undefined) {
      const rest = path.slice(at + 1);
      if (Array.isArray(head)) {
        const vals = head.flatMap((e) => {
          const v = deepGet(e, rest);
          return v === undefined ? [] : Array.isArray(v) ? v : [v];
        });
        return vals.length > 0 ? vals : undefined;
      }
      return deepGet(head, rest);
    }
    at = path.indexOf('.', at + 1);
  }
  return undefined;
}

const plain =
  (name: string): FieldSource =>
  (f) =>
    deepGet(f, name);

/**
 * The Zeek logs or Suricata EVE events of a rule's `logsource`:
 * - `product: zeek, service: <log>`: that Zeek log, field names as Zeek writes them;
 * - `category: dns | proxy | firewall | webserver` (no product, or product zeek): Zeek's dns, http,
 *   conn and http logs, with the Sigma taxonomy's generic field names mapped to Zeek's (`field-map.ts`);
 * - `product: suricata` with a `service` (EVE event type) or a category: those EVE events, fields as
 *   EVE's dotted JSON paths.
 * Anything else is refused with the reason (a Windows or cloud rule has no records here).
 */
export function resolveLogsource(ls0: unknown): SigmaTarget {
  const ls = (ls0 ?? {}) as Record<string, unknown>;
  const product = typeof ls.product === 'string' ? ls.product.toLowerCase() : undefined;
  const service = typeof ls.service === 'string' ? ls.service.toLowerCase() : undefined;
  const category = typeof ls.category === 'string' ? ls.category.toLowerCase() : undefined;
  if (product === 'suricata') {
    const types = service ? [service] : category ? SURICATA_SERVICES[category] : undefined;
    if (!types)
      throw new SigmaError(
        ['logsource'],
        `suricata log source needs a service (EVE event type) or a category of ${Object.keys(SURICATA_SERVICES).join(', ')}`,
      );
    return {
      source: 'suricata',
      paths: types.map((t) => `eve.${t}`),
      fieldReaders: (f) => [plain(f)],
      unknownField: () => undefined,
    };
  }
  const log =
    product === 'zeek' && service
      ? service
      : (product === undefined || product === 'zeek') && category
        ? GENERIC_TO_ZEEK_LOG[category]
        : undefined;
  if (log) return zeekTarget(log, category && !service ? `category ${category}` : undefined);
  throw new SigmaError(
    ['logsource'],
    `log source ${JSON.stringify(ls)} is not one vigil reads (Zeek: product zeek + service, or category dns, proxy, firewall, webserver; Suricata: product suricata + service)`,
  );
}

/** The Zeek log each generic Sigma category reads. */
const GENERIC_TO_ZEEK_LOG: Record<string, string> = {
  dns: 'dns',
  proxy: 'http',
  webserver: 'http',
  firewall: 'conn',
};

/**
 * A Zeek log: a field the log has is read as it is; another name goes through pySigma's
 * `zeek_raw` mapping (`field-map.ts`). A name neither in the log nor mapped to a field of the log
 * is "never there" (warned at config check, and a search that needs it never holds).
 */
function zeekTarget(log: string, via: string | undefined): SigmaTarget {
  const known = ZEEK_LOG_FIELDS[log];
  const has = (f: string): boolean => known === undefined || known.includes(f);
  return {
    source: 'zeek',
    paths: [log],
    fieldReaders: (f) => (has(f) && known !== undefined ? [plain(f)] : (ZEEK_RAW_FIELDS[f] ?? [plain(f)])),
    unknownField: (f) => {
      if (known === undefined || known.includes(f)) return undefined;
      const mapped = ZEEK_RAW_FIELDS[f];
      if (mapped) {
        const targets = ZEEK_RAW_TARGETS[f] ?? [];
        if (targets.length === 0 || targets.some((t) => known.includes(t))) {
          // mapped names whose targets are plain fields: check the first reader's field exists
          const probe = Object.fromEntries(known.map((k) => [k, k]));
          if (targets.length > 0 || mapped.some((r) => r(probe) !== undefined)) return undefined;
        }
      }
      return via
        ? `field "${f}" (${via}) has no equivalent in Zeek's ${log} log`
        : `field "${f}" is not in Zeek's ${log} log`;
    },
  };
}

import { SigmaError } from './sigma-error.js';
import { ZEEK_LOG_FIELDS } from './zeek-fields.js';
import { GENERIC_TO_ZEEK, SURICATA_SERVICES, type FieldSource } from './field-map.js';

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
  if (product === 'zeek' && service) {
    const known = ZEEK_LOG_FIELDS[service];
    const generic = GENERIC_TO_ZEEK[service === 'http' ? 'proxy' : service === 'conn' ? 'firewall' : service];
    return {
      source: 'zeek',
      paths: [service],
      fieldReaders: (f) => (known && !known.includes(f) && generic?.[f] ? generic[f] : [plain(f)]),
      unknownField: (f) =>
        known && !known.includes(f) && !generic?.[f]
          ? `field "${f}" is not in Zeek's ${service} log`
          : undefined,
    };
  }
  if ((product === undefined || product === 'zeek') && category && category in GENERIC_TO_ZEEK_LOG) {
    const log = GENERIC_TO_ZEEK_LOG[category]!;
    const map = GENERIC_TO_ZEEK[category] ?? {};
    const known = ZEEK_LOG_FIELDS[log]!;
    return {
      source: 'zeek',
      paths: [log],
      fieldReaders: (f) => map[f] ?? [plain(f)],
      unknownField: (f) =>
        map[f] || known.includes(f)
          ? undefined
          : `field "${f}" (category ${category}) has no equivalent in Zeek's ${log} log`,
    };
  }
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

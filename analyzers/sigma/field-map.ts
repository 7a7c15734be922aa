/**
 * Sigma's generic field names (the taxonomy of the sigma-specification, appendix "Taxonomy":
 * categories proxy, webserver, dns, firewall) mapped to the fields of Zeek's logs (docs.zeek.org,
 * `HTTP::Info`, `DNS::Info`, `Conn::Info`). Where Zeek keeps a value in another shape, a reader
 * derives it: `c-uri-extension` is the extension of the URI's path, `c-uri-stem` the path,
 * `c-uri-query` the query string. A generic field absent here and from the Zeek log is reported
 * as a warning by `config check` (the rule part using it can never match).
 */

/** Reads one value (or a list) for a rule field from a record's fields. */
export type FieldSource = (f: Record<string, unknown>) => unknown;

const get =
  (name: string): FieldSource =>
  (f) =>
    f[name];

const uriOf = (f: Record<string, unknown>): string | undefined =>
  typeof f.uri === 'string' ? f.uri : undefined;

const stem = (u: string): string => {
  const q = u.search(/[?#]/);
  return q === -1 ? u : u.slice(0, q);
};

/** The full URL a client asked for: Zeek's `uri` is the request target (absolute through a proxy). */
const fullUrl: FieldSource = (f) => {
  const u = uriOf(f);
  if (u === undefined) return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) return u;
  return typeof f.host === 'string' ? `http://${f.host}${u}` : u;
};

const uriStem: FieldSource = (f) => {
  const u = uriOf(f);
  return u === undefined ? undefined : stem(u);
};

const uriQuery: FieldSource = (f) => {
  const u = uriOf(f);
  if (u === undefined) return undefined;
  const q = u.indexOf('?');
  return q === -1 ? undefined : u.slice(q + 1);
};

/** Extension without the dot, of the last path segment (`/a/b.exe?x` → `exe`); none when the segment has no dot. */
const uriExtension: FieldSource = (f) => {
  const u = uriOf(f);
  if (u === undefined) return undefined;
  const path = stem(u.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, ''));
  const seg = path.slice(path.lastIndexOf('/') + 1);
  const dot = seg.lastIndexOf('.');
  return dot <= 0 || dot === seg.length - 1 ? undefined : seg.slice(dot + 1);
};

const endpoints: Record<string, FieldSource[]> = {
  src_ip: [get('id.orig_h')],
  'c-ip': [get('id.orig_h')],
  dst_ip: [get('id.resp_h')],
  's-ip': [get('id.resp_h')],
  src_port: [get('id.orig_p')],
  dst_port: [get('id.resp_p')],
  's-port': [get('id.resp_p')],
};

const http: Record<string, FieldSource[]> = {
  ...endpoints,
  'c-uri': [get('uri'), fullUrl],
  'cs-uri': [get('uri'), fullUrl],
  'c-uri-stem': [uriStem],
  'cs-uri-stem': [uriStem],
  'c-uri-query': [uriQuery],
  'cs-uri-query': [uriQuery],
  'c-uri-extension': [uriExtension],
  'c-useragent': [get('user_agent')],
  'cs-user-agent': [get('user_agent')],
  'cs-method': [get('method')],
  'cs-host': [get('host')],
  'r-dns': [get('host')],
  'cs-referrer': [get('referrer')],
  'cs-version': [get('version')],
  'cs-bytes': [get('request_body_len')],
  'sc-bytes': [get('response_body_len')],
  'sc-status': [get('status_code')],
};

/** Generic field → Zeek readers, per Sigma category. */
export const GENERIC_TO_ZEEK: Record<string, Record<string, FieldSource[]>> = {
  proxy: http,
  webserver: http,
  dns: {
    ...endpoints,
    query: [get('query')],
    answer: [get('answers')],
    record_type: [get('qtype_name')],
  },
  firewall: {
    ...endpoints,
    protocol: [get('proto')],
  },
};

/** EVE event types a Sigma category names, for `product: suricata` rules without a service. */
export const SURICATA_SERVICES: Record<string, string[]> = {
  dns: ['dns'],
  proxy: ['http'],
  webserver: ['http'],
  firewall: ['flow'],
  alert: ['alert'],
};

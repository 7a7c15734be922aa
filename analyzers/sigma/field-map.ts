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

/** Several Zeek fields, the first one a record has (pySigma lists such targets as alternatives). */
const any = (...names: string[]): FieldSource[] => names.map(get);

/**
 * Generic field → Zeek field readers, for every `product: zeek` rule and the generic categories.
 * It follows pySigma's `zeek_raw` pipeline (SigmaHQ/pySigma-backend-elasticsearch,
 * `sigma/pipelines/elasticsearch/zeek.py`, LGPL-2.1; same category → log mapping: firewall → conn,
 * dns → dns, proxy and webserver → http), with two deliberate differences: `c-uri-extension`,
 * `c-uri-stem` and `c-uri-query` are derived from `uri` (zeek_raw maps them to the whole `uri`,
 * so `c-uri-extension: exe` could never match), and `cs-cookie`/`c-cookie` read `cookie_vars`
 * (the field Zeek's cookie policy script logs; zeek_raw names a `cookie` field Zeek does not write,
 * its ECS pipeline names `http.cookie_vars`).
 */
export const ZEEK_RAW_FIELDS: Record<string, FieldSource[]> = {
  dst_ip: [get('id.resp_h')],
  dst_port: [get('id.resp_p')],
  network_protocol: [get('proto')],
  src_ip: [get('id.orig_h')],
  src_port: [get('id.orig_p')],
  answer: [get('answers')],
  record_type: [get('qtype_name')],
  'cs-bytes': [get('request_body_len')],
  'cs-cookie': [get('cookie_vars')],
  'c-cookie': [get('cookie_vars')],
  'r-dns': [get('host')],
  'sc-bytes': [get('response_body_len')],
  'sc-status': [get('status_code')],
  'c-uri': [get('uri'), fullUrl],
  'cs-uri': [get('uri'), fullUrl],
  'c-uri-extension': [uriExtension],
  'c-uri-query': [uriQuery],
  'cs-uri-query': [uriQuery],
  'c-uri-stem': [uriStem],
  'cs-uri-stem': [uriStem],
  'c-useragent': [get('user_agent')],
  'cs-user-agent': [get('user_agent')],
  'cs-host': [get('host')],
  'cs-method': [get('method')],
  'cs-referer': [get('referrer')],
  'cs-referrer': [get('referrer')],
  'cs-version': [get('version')],
  id_orig_h: [get('id.orig_h')],
  id_orig_p: [get('id.orig_p')],
  id_resp_h: [get('id.resp_h')],
  id_resp_p: [get('id.resp_p')],
  'c-ip': [get('id.orig_h')],
  's-ip': [get('id.resp_h')],
  clientip: [get('id.orig_h')],
  clientIP: [get('id.orig_h')],
  dest_domain: any('query', 'host', 'server_name'),
  dest_ip: [get('id.resp_h')],
  dest_port: [get('id.resp_p')],
  DestinationHostname: any('host', 'query', 'server_name'),
  DestinationIp: [get('id.resp_h')],
  DestinationPort: [get('id.resp_p')],
  SourceIp: [get('id.orig_h')],
  SourcePort: [get('id.orig_p')],
  http_user_agent: [get('user_agent')],
  http_uri: [get('uri')],
  url: [get('uri')],
  'destination.ip': [get('id.resp_h')],
  'destination.port': [get('id.resp_p')],
  'source.ip': [get('id.orig_h')],
  'source.port': [get('id.orig_p')],
  'http.request.body.content': [get('post_body')],
};

/** The Zeek fields a generic name reads (for the "field the log never has" check). */
export const ZEEK_RAW_TARGETS: Record<string, string[]> = {
  'c-uri-extension': ['uri'],
  'c-uri-query': ['uri'],
  'cs-uri-query': ['uri'],
  'c-uri-stem': ['uri'],
  'cs-uri-stem': ['uri'],
  'c-uri': ['uri'],
  'cs-uri': ['uri'],
};

/** EVE event types a Sigma category names, for `product: suricata` rules without a service. */
export const SURICATA_SERVICES: Record<string, string[]> = {
  dns: ['dns'],
  proxy: ['http'],
  webserver: ['http'],
  firewall: ['flow'],
  alert: ['alert'],
};

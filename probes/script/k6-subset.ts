/**
 * The part of k6's JavaScript API vigil runs (docs/probes.md, "script"). Anything else is an
 * "outside the subset" error, reported by `vigil config check` with the line, so a script never
 * fails only at 3 a.m. on a call vigil does not know.
 */

/** Module specifier → the names it exports in vigil (`default` when it has a default export). */
export const K6_MODULES: Readonly<Record<string, readonly string[]>> = {
  k6: ['check', 'group', 'sleep', 'fail'],
  'k6/http': [
    'default',
    'get',
    'head',
    'post',
    'put',
    'patch',
    'del',
    'options',
    'request',
    'batch',
    'cookieJar',
    'CookieJar',
  ],
  'k6/crypto': [
    'default',
    'md5',
    'sha1',
    'sha256',
    'sha384',
    'sha512',
    'sha512_224',
    'sha512_256',
    'ripemd160',
    'hmac',
    'createHash',
    'createHMAC',
    'randomBytes',
  ],
  'k6/encoding': ['default', 'b64encode', 'b64decode'],
  // Grafana's TOTP library as k6 scripts import it (grafana/k6-jslib-totp), served built in.
  'https://jslib.k6.io/totp/1.0.0/index.js': ['TOTP'],
  // vigil's synchronous helper, named like an xk6 extension (k6/x/...): totp(secret, digits?, period?).
  'k6/x/totp': ['default', 'totp'],
};

/** The members reachable through a default or namespace import (`http.get`): the module's exports. */
export function moduleMembers(spec: string): readonly string[] {
  return (K6_MODULES[spec] ?? []).filter((n) => n !== 'default');
}

/** k6 modules that exist but that vigil does not run (named so the error can say so). */
export const KNOWN_OUTSIDE = [
  'k6/metrics',
  'k6/ws',
  'k6/websockets',
  'k6/net/grpc',
  'k6/html',
  'k6/execution',
  'k6/data',
  'k6/browser',
  'k6/timers',
  'k6/secrets',
  'k6/experimental/*',
];

/** Methods of a k6 Response that vigil leaves out (HTML parsing is not cheap to do right). */
export const RESPONSE_OUTSIDE = ['html', 'submitForm', 'clickLink'];

/** Message for an import of a module vigil does not provide. */
export function outsideModuleMessage(spec: string): string {
  const known =
    spec.startsWith('k6/') || spec === 'k6'
      ? 'a k6 module vigil does not run'
      : spec.startsWith('.') || spec.startsWith('/')
        ? 'vigil runs one self-contained script file; local modules are not loaded'
        : /^https?:/.test(spec)
          ? 'remote modules are not loaded'
          : 'not a k6 module';
  return `import of "${spec}" is outside vigil's k6 subset (${known}); supported modules: ${Object.keys(
    K6_MODULES,
  ).join(', ')}`;
}

/** Message for a name a supported module does not have in vigil. */
export function outsideMemberMessage(spec: string, name: string): string {
  return `${spec === 'k6' ? '' : `${spec} `}${name} is outside vigil's k6 subset; ${spec} provides ${moduleMembers(
    spec,
  ).join(', ')}`;
}

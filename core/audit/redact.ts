/** Query parameters whose value is a secret (or may be): their values never reach the audit log. */
const SECRET_PARAM =
  /(token|sig|signature|secret|password|passwd|pass|key|code|otp|totp|session|auth|credential)/i;
const MAX_OBJECT = 2048;

/**
 * A request target (path and query) safe to keep in the audit log: values of secret-like query
 * parameters become `<redacted>`, userinfo of an absolute URL is dropped, and the result is cut
 * to 2 KiB so a huge query cannot bloat the log.
 */
export function redactTarget(target: string): string {
  let out = target;
  const q = out.indexOf('?');
  if (q >= 0) {
    const path = out.slice(0, q);
    const params = out
      .slice(q + 1)
      .split('&')
      .map((p) => {
        const eq = p.indexOf('=');
        const name = eq >= 0 ? p.slice(0, eq) : p;
        let decoded = name;
        try {
          decoded = decodeURIComponent(name);
        } catch {
          // A malformed escape: judge the raw name.
          decoded = name;
        }
        return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=<redacted>` : p;
      });
    out = `${path}?${params.join('&')}`;
  }
  out = out.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?#]*@/i, '$1');
  return out.length > MAX_OBJECT ? `${out.slice(0, MAX_OBJECT)}…` : out;
}

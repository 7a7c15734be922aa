/** One stored cookie (RFC 6265 §5.3 storage model, the parts a synthetic journey needs). */
interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  secure: boolean;
  httpOnly: boolean;
  expiresAt?: number;
}

/** A cookie as k6 shows it in `res.cookies`. */
export interface K6Cookie {
  name: string;
  value: string;
  domain: string;
  path: string;
  http_only: boolean;
  secure: boolean;
  max_age: number;
  expires: number;
}

/** RFC 6265 §5.1.4 default-path: the request path up to, not including, its last '/'. */
function defaultPath(url: URL): string {
  const p = url.pathname;
  if (!p.startsWith('/') || p.lastIndexOf('/') === 0) return '/';
  return p.slice(0, p.lastIndexOf('/'));
}

/** §5.1.3 domain-match and §5.1.4 path-match. */
function domainMatch(host: string, c: StoredCookie): boolean {
  return c.hostOnly ? host === c.domain : host === c.domain || host.endsWith(`.${c.domain}`);
}
function pathMatch(path: string, cookiePath: string): boolean {
  if (path === cookiePath) return true;
  if (!path.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || path[cookiePath.length] === '/';
}

/**
 * A k6 cookie jar: the VU's jar (id 0, which every request uses unless `params.jar` says
 * otherwise) and the jars a script makes with `new http.CookieJar()`. Domain, path, secure,
 * Max-Age and Expires are honoured (RFC 6265 §5.2–5.4); SameSite and public suffixes are not,
 * as a probe talks to the one service it watches.
 */
export class K6CookieJar {
  #cookies: StoredCookie[] = [];

  /** Stores the Set-Cookie lines of a response to `url`; returns them as k6's `res.cookies`. */
  storeResponse(url: URL, lines: string[], now = Date.now()): Record<string, K6Cookie[]> {
    const out: Record<string, K6Cookie[]> = {};
    for (const line of lines) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const c: StoredCookie = {
        name: pair.slice(0, eq).trim(),
        value: pair
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
        domain: url.hostname,
        hostOnly: true,
        path: defaultPath(url),
        secure: false,
        httpOnly: false,
      };
      let maxAge = 0;
      let expires = 0;
      for (const attr of attrs) {
        const i = attr.indexOf('=');
        const k = (i < 0 ? attr : attr.slice(0, i)).trim().toLowerCase();
        const v = i < 0 ? '' : attr.slice(i + 1).trim();
        if (k === 'domain' && v) {
          c.domain = v.replace(/^\./, '').toLowerCase();
          c.hostOnly = false;
        } else if (k === 'path' && v.startsWith('/')) c.path = v;
        else if (k === 'secure') c.secure = true;
        else if (k === 'httponly') c.httpOnly = true;
        else if (k === 'max-age' && /^-?\d+$/.test(v)) {
          maxAge = Number(v);
          c.expiresAt = now + maxAge * 1000;
        } else if (k === 'expires' && c.expiresAt === undefined && !Number.isNaN(Date.parse(v))) {
          expires = Date.parse(v);
          c.expiresAt = expires;
        }
      }
      (out[c.name] ??= []).push({
        name: c.name,
        value: c.value,
        domain: c.domain,
        path: c.path,
        http_only: c.httpOnly,
        secure: c.secure,
        max_age: maxAge,
        expires,
      });
      // §5.3 step 4: a cookie for another domain than the request's is ignored.
      if (!c.hostOnly && !domainMatch(url.hostname, { ...c, hostOnly: false })) continue;
      this.#put(c, now);
    }
    return out;
  }

  #put(c: StoredCookie, now: number): void {
    this.#cookies = this.#cookies.filter(
      (o) => !(o.name === c.name && o.domain === c.domain && o.path === c.path),
    );
    if (c.expiresAt === undefined || c.expiresAt > now) this.#cookies.push(c);
  }

  /** `jar.set(url, name, value, {domain, path, secure, http_only, max_age, expires})`. */
  set(url: URL, name: string, value: string, opts: Record<string, unknown>, now = Date.now()): void {
    const domain = typeof opts.domain === 'string' ? opts.domain.replace(/^\./, '') : url.hostname;
    const c: StoredCookie = {
      name,
      value,
      domain,
      hostOnly: typeof opts.domain !== 'string',
      path: typeof opts.path === 'string' ? opts.path : '/',
      secure: opts.secure === true,
      httpOnly: opts.http_only === true,
    };
    if (typeof opts.max_age === 'number') c.expiresAt = now + opts.max_age * 1000;
    else if (typeof opts.expires === 'string' && !Number.isNaN(Date.parse(opts.expires)))
      c.expiresAt = Date.parse(opts.expires);
    this.#put(c, now);
  }

  #matching(url: URL, now: number): StoredCookie[] {
    const host = url.hostname;
    return this.#cookies
      .filter(
        (c) =>
          (c.expiresAt === undefined || c.expiresAt > now) &&
          domainMatch(host, c) &&
          pathMatch(url.pathname || '/', c.path) &&
          (!c.secure || url.protocol === 'https:'),
      )
      .sort((a, b) => b.path.length - a.path.length); // §5.4 step 2: longer paths first
  }

  /** The cookies sent to `url`, as k6's `jar.cookiesForURL(url)`: name → values. */
  cookiesForURL(url: URL, now = Date.now()): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const c of this.#matching(url, now)) (out[c.name] ??= []).push(c.value);
    return out;
  }

  /** name=value pairs for the Cookie header of a request to `url`. */
  pairs(url: URL, now = Date.now()): [string, string][] {
    return this.#matching(url, now).map((c) => [c.name, c.value]);
  }

  clear(url: URL): void {
    const drop = new Set(this.#matching(url, Date.now()));
    this.#cookies = this.#cookies.filter((c) => !drop.has(c));
  }

  delete(url: URL, name: string): void {
    const drop = new Set(this.#matching(url, Date.now()).filter((c) => c.name === name));
    this.#cookies = this.#cookies.filter((c) => !drop.has(c));
  }
}

/**
 * A minimal cookie jar for synthetic journeys (RFC 6265 §5.2 parsing of name=value, Max-Age and
 * Expires; domain and path are not enforced because a journey stays within one service).
 */
export class CookieJar {
  readonly #cookies = new Map<string, { value: string; expiresAt?: number }>();

  /** Takes the Set-Cookie header values of one response. */
  store(setCookie: string | string[] | undefined, now = Date.now()): void {
    const list = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    for (const line of list) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let expiresAt: number | undefined;
      for (const attr of attrs) {
        const [k = '', v = ''] = attr.split('=').map((s) => s.trim());
        if (k.toLowerCase() === 'max-age') expiresAt = now + Number(v) * 1000;
        else if (k.toLowerCase() === 'expires' && expiresAt === undefined) expiresAt = Date.parse(v);
      }
      if (expiresAt !== undefined && expiresAt <= now) this.#cookies.delete(name);
      else this.#cookies.set(name, expiresAt === undefined ? { value } : { value, expiresAt });
    }
  }

  /** The Cookie request header, or undefined when the jar is empty. */
  header(now = Date.now()): string | undefined {
    const parts: string[] = [];
    for (const [name, c] of this.#cookies) {
      if (c.expiresAt !== undefined && c.expiresAt <= now) continue;
      parts.push(`${name}=${c.value}`);
    }
    return parts.length > 0 ? parts.join('; ') : undefined;
  }
}

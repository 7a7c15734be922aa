/* k6/http as seen by a script: requests, responses and cookie jars. Like k6-runtime.ts, this
 * function is evaluated as source text inside the script's vm context (never called here), so
 * every object it makes belongs to that realm; it reaches vigil only through `call`, the
 * runtime's string bridge. No imports, no outside helpers. */

type Obj = Record<string, unknown>;

/** What the runtime lends the http module (all of the context's realm). */
export interface HttpDeps {
  call(op: string, args: unknown): unknown;
  outside(what: string): Error;
  wire(v: unknown): { s: string } | { b: string };
  isBytes(v: unknown): v is ArrayBuffer | ArrayBufferView;
  fromB64(s: string): ArrayBuffer;
  utf8(buf: ArrayBuffer): string;
  /** The current group path (`::a::b`), for the request's group tag. */
  group(): string;
}

export function k6HttpRuntime(deps: HttpDeps): { http: Obj } {
  'use strict';
  const { call, outside, wire, isBytes, fromB64, utf8, group } = deps;
  class CookieJar {
    readonly #id: number;
    constructor(id?: number) {
      this.#id = id === undefined ? (call('jar.new', null) as number) : id;
    }
    get jarId(): number {
      return this.#id;
    }
    set(url: string, name: string, value: string, opts?: Obj): void {
      call('jar.set', { jar: this.#id, url: String(url), name, value: String(value), opts: opts ?? {} });
    }
    cookiesForURL(url: string): Record<string, string[]> {
      return call('jar.get', { jar: this.#id, url: String(url) }) as Record<string, string[]>;
    }
    clear(url: string): void {
      call('jar.clear', { jar: this.#id, url: String(url) });
    }
    delete(url: string, name: string): void {
      call('jar.delete', { jar: this.#id, url: String(url), name });
    }
  }
  const vuJar = new CookieJar(0);

  /** Go's url.Values.Encode, which k6 uses for an object body: keys sorted, spaces as '+'. */
  const formEncode = (o: Obj): string => {
    const q = (s: string): string => encodeURIComponent(s).replace(/%20/g, '+');
    const parts: string[] = [];
    for (const k of Object.keys(o).sort()) {
      const v = o[k];
      for (const item of Array.isArray(v) ? v : [v]) parts.push(`${q(k)}=${q(String(item))}`);
    }
    return parts.join('&');
  };

  const makeRequest = (method: unknown, url: unknown, body: unknown, params: unknown): Obj => {
    const p = (params ?? {}) as Obj;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries((p.headers ?? {}) as Obj)) headers[k] = String(v);
    let payload: { s: string } | { b: string } | null = null;
    if (body !== undefined && body !== null) {
      if (typeof body === 'object' && !isBytes(body)) {
        payload = { s: formEncode(body as Obj) };
        if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
          headers['Content-Type'] = 'application/x-www-form-urlencoded';
      } else payload = wire(body);
    }
    const cookies: Record<string, { value: string; replace: boolean }> = {};
    for (const [k, v] of Object.entries((p.cookies ?? {}) as Obj)) {
      cookies[k] =
        v !== null && typeof v === 'object'
          ? { value: String((v as Obj).value), replace: Boolean((v as Obj).replace) }
          : { value: String(v), replace: false };
    }
    let jar: number | null = 0;
    if (p.jar === null) jar = null;
    else if (p.jar instanceof CookieJar) jar = p.jar.jarId;
    for (const k of ['auth', 'compression', 'responseCallback'])
      if (p[k] !== undefined && !(k === 'auth' && p[k] === 'basic')) throw outside(`params.${k}`);
    return {
      method: String(method).toUpperCase(),
      url: String(url),
      body: payload,
      headers,
      cookies,
      jar,
      redirects: p.redirects === undefined ? null : Number(p.redirects),
      timeout: p.timeout === undefined ? null : (p.timeout as string | number),
      responseType: p.responseType ?? 'text',
      tags: (p.tags ?? {}) as Obj,
      group: group(),
    };
  };

  /** gjson's path syntax as k6's res.json(selector) takes it: a.b.0.c, and # for a length. */
  const select = (doc: unknown, selector: string): unknown => {
    let cur: unknown = doc;
    for (const raw of selector.split(/(?<!\\)\./)) {
      const key = raw.replace(/\\\./g, '.');
      if (cur === null || typeof cur !== 'object') return undefined;
      if (key === '#' && Array.isArray(cur)) return cur.length;
      cur = (cur as Obj)[key];
    }
    return cur;
  };

  const makeResponse = (r: Obj): Obj => {
    const type = r.responseType as string;
    const body =
      type === 'none' || r.body === null ? null : type === 'binary' ? fromB64(r.body as string) : r.body;
    const res: Obj = { ...r, body };
    delete res.responseType;
    res.json = (selector?: string): unknown => {
      const text = body instanceof ArrayBuffer ? utf8(body) : String(body ?? '');
      const doc = JSON.parse(text) as unknown;
      return selector === undefined ? doc : select(doc, String(selector));
    };
    for (const m of ['html', 'submitForm', 'clickLink'])
      res[m] = (): never => {
        throw outside(`res.${m}()`);
      };
    return res;
  };

  const send = (reqs: Obj[]): Obj[] => (call('http', reqs) as Obj[]).map(makeResponse);
  const request = (method: unknown, url: unknown, body?: unknown, params?: unknown): Obj =>
    send([makeRequest(method, url, body, params)])[0]!;
  const batchItem = (item: unknown): Obj => {
    if (typeof item === 'string') return makeRequest('GET', item, null, null);
    if (Array.isArray(item)) return makeRequest(item[0], item[1], item[2], item[3]);
    const o = item as Obj;
    return makeRequest(o.method ?? 'GET', o.url, o.body, o.params);
  };
  const batch = (requests: unknown): unknown => {
    if (Array.isArray(requests)) return send(requests.map(batchItem));
    const keys = Object.keys(requests as Obj);
    const out = send(keys.map((k) => batchItem((requests as Obj)[k])));
    return Object.fromEntries(keys.map((k, i) => [k, out[i]]));
  };
  const http = {
    get: (url: unknown, params?: unknown) => request('GET', url, null, params),
    head: (url: unknown, params?: unknown) => request('HEAD', url, null, params),
    post: (url: unknown, body?: unknown, params?: unknown) => request('POST', url, body, params),
    put: (url: unknown, body?: unknown, params?: unknown) => request('PUT', url, body, params),
    patch: (url: unknown, body?: unknown, params?: unknown) => request('PATCH', url, body, params),
    del: (url: unknown, body?: unknown, params?: unknown) => request('DELETE', url, body, params),
    options: (url: unknown, body?: unknown, params?: unknown) => request('OPTIONS', url, body, params),
    request,
    batch,
    cookieJar: () => vuJar,
    CookieJar,
  };

  return { http };
}

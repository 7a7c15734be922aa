import type { Pipe } from './ast.js';
import type { Escaper } from './exec.js';
import { GoHTML } from './values.js';

// A reduced html/template (Go 1.19 src/html/template) for Alertmanager's HTML fields (email
// `html`): each printed value is escaped for the context it lands in, judged from the output
// so far: text (htmlEscaper), a quoted attribute (the same table), or a URL attribute (urlFilter,
// urlNormalizer, or urlEscaper in the query part; `urlquery` at the end of the pipeline already
// escaped it, as html/template's redundancy rule). template.HTML from `safeHtml` is not escaped
// in text. Script and style contexts are treated as text, which Alertmanager's templates do not use.

const HTML_TABLE: Record<string, string> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  '&': '&amp;',
  "'": '&#39;',
  '+': '&#43;',
  '<': '&lt;',
  '>': '&gt;',
};

/** html/template's htmlEscaper. */
export function htmlEscaper(s: string): string {
  return s.replace(/[\0"&'+<>]/g, (c) => HTML_TABLE[c]!);
}

const URL_ATTRS = new Set(['href', 'src', 'action', 'cite', 'data', 'formaction', 'poster', 'background']);

/** html/template's urlNormalizer/urlEscaper (processURLOnto). */
function urlProcess(s: string, norm: boolean): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    const keep = /[A-Za-z0-9\-._~]/.test(c) || (norm && /[!#$&*+,/:;=?@[\]]/.test(c)) || (norm && c === '%');
    out += keep ? c : `%${b.toString(16).padStart(2, '0')}`; // lower-case hex, as html/template
  }
  return out;
}

/** The attribute a position in an open tag is inside, if in a quoted value. */
function attrContext(out: string): { name: string; value: string } | undefined {
  const lt = out.lastIndexOf('<');
  if (lt < 0 || out.lastIndexOf('>') > lt) return undefined;
  const m = /([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(["'])([^"']*)$/.exec(out.slice(lt));
  return m ? { name: m[1]!.toLowerCase(), value: m[3]! } : undefined;
}

/** Strips HTML comments from template text, as html/template does in text context. */
export function stripHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, '');
}

/** The Escaper for HTML templates. */
export const htmlEscape: Escaper = (printed, value, pipe: Pipe, out) => {
  const attr = attrContext(out);
  if (!attr) return value instanceof GoHTML ? printed : htmlEscaper(printed);
  if (!URL_ATTRS.has(attr.name)) return htmlEscaper(printed);
  const last = pipe.cmds.at(-1)?.args[0];
  const queried = last?.t === 'identifier' && last.name === 'urlquery';
  let s: string;
  if (attr.value === '') {
    // urlFilter: only safe schemes start a URL.
    const scheme = /^([^:/?#]*):/.exec(printed)?.[1]?.toLowerCase();
    s = scheme && !['http', 'https', 'mailto'].includes(scheme) ? '#ZgotmplZ' : urlProcess(printed, true);
  } else if (attr.value.includes('?') && !queried) s = urlProcess(printed, false);
  else s = queried ? printed : urlProcess(printed, true);
  return htmlEscaper(s);
};

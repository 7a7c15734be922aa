import type { IncomingHttpHeaders } from 'undici/types/header.js';
import type { ProbeErrorKind } from '../core/index.js';
import { jsonEquals, jsonPathGet } from './json-path.js';
import type { HttpExpect } from './schemas.js';
import { regexFinds } from './regex.js';

export interface Verdict {
  kind: ProbeErrorKind;
  message: string;
}

/** Whether a status matches a spec like 200 or "2xx". */
export function statusMatches(status: number, spec: number | string): boolean {
  if (typeof spec === 'number') return status === spec;
  return String(status)[0] === spec[0];
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/**
 * Checks a response against the expectations; the first failure wins and is named precisely
 * (which assertion, expected versus got), so the message says what to fix. The default status
 * set is 2xx, as blackbox_exporter's valid_status_codes.
 */
export function checkResponse(
  res: { status: number; headers: IncomingHttpHeaders; body: Buffer; totalMs: number },
  expect: HttpExpect,
  where: string,
): Verdict | undefined {
  const statuses = expect.status ?? ['2xx'];
  if (!statuses.some((s) => statusMatches(res.status, s))) {
    return {
      kind: 'http_status',
      message: `${where} answered ${res.status}, expected ${statuses.join(' or ')}`,
    };
  }
  const text = res.body.toString('utf8');
  for (const needle of expect.body_contains ?? []) {
    if (!text.includes(needle))
      return { kind: 'assertion', message: `body of ${where} does not contain "${needle}"` };
  }
  for (const needle of expect.body_not_contains ?? []) {
    if (text.includes(needle)) return { kind: 'assertion', message: `body of ${where} contains "${needle}"` };
  }
  for (const pattern of expect.body_regex ?? []) {
    if (!regexFinds(pattern, text))
      return { kind: 'assertion', message: `body of ${where} does not match /${pattern}/` };
  }
  if (expect.json && expect.json.length > 0) {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      return { kind: 'assertion', message: `body of ${where} is not JSON: ${(err as Error).message}` };
    }
    for (const { path, equals } of expect.json) {
      const got = jsonPathGet(doc, path);
      if (!jsonEquals(got, equals)) {
        return {
          kind: 'assertion',
          message: `${path} in ${where} is ${JSON.stringify(got)}, expected ${JSON.stringify(equals)}`,
        };
      }
    }
  }
  for (const h of expect.headers ?? []) {
    const got = headerValue(res.headers, h.name);
    if (h.equals !== undefined && got !== h.equals) {
      return {
        kind: 'assertion',
        message: `header ${h.name} of ${where} is ${JSON.stringify(got ?? null)}, expected "${h.equals}"`,
      };
    }
    if (h.matches !== undefined && (got === undefined || !regexFinds(h.matches, got))) {
      return {
        kind: 'assertion',
        message: `header ${h.name} of ${where} is ${JSON.stringify(got ?? null)}, expected to match /${h.matches}/`,
      };
    }
    if (h.equals === undefined && h.matches === undefined && got === undefined) {
      return { kind: 'assertion', message: `${where} sent no ${h.name} header` };
    }
  }
  if (expect.max_response_ms !== undefined && res.totalMs > expect.max_response_ms) {
    return {
      kind: 'assertion',
      message: `${where} took ${res.totalMs.toFixed(1)} ms, more than the maximum of ${expect.max_response_ms} ms`,
    };
  }
  return undefined;
}

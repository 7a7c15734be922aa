import { VigilError } from '../../core/index.js';

// A lexer for Go's text/template (Go 1.19, src/text/template/parse/lex.go), the version the
// Alertmanager 0.25 binaries are built with: `{{`/`}}` delimiters, trim markers `{{- ` and ` -}}`,
// comments `{{/* */}}`, newlines allowed inside actions (Go 1.16+).

export type TokenKind =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'field'
  | 'variable'
  | 'identifier'
  | 'keyword'
  | 'string'
  | 'raw'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  kind: TokenKind;
  text: string;
  pos: number;
  line: number;
}

const KEYWORDS = new Set([
  'block',
  'break',
  'continue',
  'define',
  'else',
  'end',
  'if',
  'range',
  'template',
  'with',
]);
const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{Nd}_]/u.test(c);

/** A template syntax error, with Go's `template: NAME:LINE: message` wording. */
export class TemplateError extends VigilError {
  constructor(message: string) {
    super('ALR_TEMPLATE', message);
  }
}

/** Splits a template into tokens; throws a TemplateError for a syntax error. */
export function lex(name: string, input: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  let line = 1;
  const fail = (msg: string): never => {
    throw new TemplateError(`template: ${name}:${line}: ${msg}`);
  };
  const emit = (kind: TokenKind, start: number, text = input.slice(start, pos)) => {
    out.push({ kind, text, pos: start, line });
    line += countNl(text);
  };
  let trimNext = false;
  while (pos < input.length) {
    const at = input.indexOf('{{', pos);
    let end = at < 0 ? input.length : at;
    let textStart = pos;
    if (trimNext) {
      while (textStart < end && isSpace(input[textStart])) textStart++;
      line += countNl(input.slice(pos, textStart));
    }
    trimNext = false;
    const trimLeft = at >= 0 && input[at + 2] === '-' && isSpace(input[at + 3]);
    let textEnd = end;
    if (trimLeft) while (textEnd > textStart && isSpace(input[textEnd - 1])) textEnd--;
    if (textEnd > textStart) {
      out.push({ kind: 'text', text: input.slice(textStart, textEnd), pos: textStart, line });
    }
    line += countNl(input.slice(textStart, end));
    if (at < 0) break;
    pos = at + 2 + (trimLeft ? 2 : 0);
    // A comment: `{{/*` right after the delimiter (and trim marker), closed by `*/` then `}}`.
    if (input.startsWith('/*', pos)) {
      const close = input.indexOf('*/', pos + 2);
      if (close < 0) fail('unclosed comment');
      line += countNl(input.slice(pos, close));
      let p = close + 2;
      if (input[p] === ' ' && input[p + 1] === '-' && input.startsWith('}}', p + 2)) {
        trimNext = true;
        p += 2;
      }
      if (!input.startsWith('}}', p)) fail('comment ends before closing delimiter');
      pos = p + 2;
      continue;
    }
    out.push({ kind: 'left', text: '{{', pos: at, line });
    pos = lexInside(input, pos, emit, fail, (trim) => (trimNext = trim));
    end = pos;
  }
  out.push({ kind: 'eof', text: '', pos, line });
  return out;
}

type Emit = (kind: TokenKind, start: number, text?: string) => void;

/** Lexes one action from `pos` (just after `{{`) through `}}`; returns the position after it. */
function lexInside(
  input: string,
  pos: number,
  emitAt: Emit,
  fail: (m: string) => never,
  setTrim: (t: boolean) => void,
): number {
  const emit: Emit = (kind, start, text) => emitAt(kind, start, text ?? input.slice(start, pos));
  let parens = 0;
  for (;;) {
    // The right delimiter, with or without its trim marker.
    if (isSpace(input[pos]) && input[pos + 1] === '-' && input.startsWith('}}', pos + 2)) {
      if (parens > 0) fail('unclosed left paren');
      emit('right', pos + 2, '}}');
      setTrim(true);
      return pos + 4;
    }
    if (input.startsWith('}}', pos)) {
      if (parens > 0) fail('unclosed left paren');
      emit('right', pos, '}}');
      setTrim(false);
      return pos + 2;
    }
    const c = input[pos];
    const start = pos;
    if (c === undefined) fail('unclosed action');
    if (isSpace(c)) {
      while (isSpace(input[pos]) && !(input[pos + 1] === '-' && input.startsWith('}}', pos + 2))) pos++;
      if (pos === start) pos++;
      emit('space', start);
    } else if (c === '=') {
      pos++;
      emit('assign', start);
    } else if (c === ':') {
      if (input[pos + 1] !== '=') fail('expected :=');
      pos += 2;
      emit('declare', start);
    } else if (c === '|') {
      pos++;
      emit('pipe', start);
    } else if (c === ',') {
      pos++;
      emit('comma', start);
    } else if (c === '(') {
      parens++;
      pos++;
      emit('lparen', start);
    } else if (c === ')') {
      if (--parens < 0) fail(`unexpected right paren U+0029 ')'`);
      pos++;
      emit('rparen', start);
    } else if (c === '"') {
      pos++;
      while (input[pos] !== '"') {
        if (input[pos] === '\\') pos++;
        if (pos >= input.length || input[pos] === '\n') fail('unterminated quoted string');
        pos++;
      }
      pos++;
      emit('string', start);
    } else if (c === '`') {
      const close = input.indexOf('`', pos + 1);
      if (close < 0) fail('unterminated raw quoted string');
      pos = close + 1;
      emit('raw', start);
    } else if (c === "'") {
      pos++;
      while (input[pos] !== "'") {
        if (input[pos] === '\\') pos++;
        if (pos >= input.length || input[pos] === '\n') fail('unterminated character constant');
        pos++;
      }
      pos++;
      emit('char', start);
    } else if (c === '$') {
      pos++;
      while (isAlnum(input[pos])) pos++;
      emit('variable', start);
    } else if (c === '.' && !/[0-9]/.test(input[pos + 1] ?? '')) {
      pos++;
      if (isAlnum(input[pos])) {
        while (isAlnum(input[pos])) pos++;
        emit('field', start);
      } else emit('dot', start);
    } else if (c === '+' || c === '-' || c === '.' || /[0-9]/.test(c)) {
      pos = scanNumber(input, pos);
      if (isAlnum(input[pos]) || input[pos] === '.')
        fail(`bad number syntax: "${input.slice(start, pos + 1)}"`);
      emit('number', start);
    } else if (isAlnum(c)) {
      while (isAlnum(input[pos])) pos++;
      const word = input.slice(start, pos);
      if (input[pos] === '.' && KEYWORDS.has(word)) fail(`unexpected . after term "${word}"`);
      emit(
        KEYWORDS.has(word)
          ? 'keyword'
          : word === 'true' || word === 'false'
            ? 'bool'
            : word === 'nil'
              ? 'nil'
              : 'identifier',
        start,
      );
    } else
      fail(
        `unrecognized character in action: U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${c}'`,
      );
  }
}

/** Go's scanNumber: sign, base prefix, digits with underscores, fraction, exponent. */
function scanNumber(s: string, pos: number): number {
  if (s[pos] === '+' || s[pos] === '-') pos++;
  let digits = /[0-9_]/;
  let exp = /[eE]/;
  if (s[pos] === '0' && /[xXoObB]/.test(s[pos + 1] ?? '')) {
    const b = s[pos + 1]!.toLowerCase();
    pos += 2;
    digits = b === 'x' ? /[0-9a-fA-F_]/ : b === 'o' ? /[0-7_]/ : /[01_]/;
    exp = b === 'x' ? /[pP]/ : /(?!)/;
  }
  while (digits.test(s[pos] ?? '')) pos++;
  if (s[pos] === '.') {
    pos++;
    while (digits.test(s[pos] ?? '')) pos++;
  }
  if (exp.test(s[pos] ?? '')) {
    pos++;
    if (s[pos] === '+' || s[pos] === '-') pos++;
    while (/[0-9_]/.test(s[pos] ?? '')) pos++;
  }
  return pos;
}

function countNl(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

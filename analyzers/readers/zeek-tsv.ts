import { unescapeHeaderValue, unescapeZeek } from './zeek-escape.js';
import type { LogRecord } from '../types.js';

/**
 * Header-driven parser of Zeek's ASCII (TSV) logs, one line at a time. The `#separator` line is
 * "#separator" + space + the escaped separator (Zeek writes it so before any separator is known);
 * the other meta lines are `#key<sep>value`. A new `#separator`/`#fields` block mid-file (logs
 * concatenated with `cat`) replaces the header; `#close` is optional (live or truncated files).
 * Zeek's `tsv` mode (one unprefixed header row, no types) is recognised when the file starts with
 * a row of field names. References: zeek/src/logging/writers/ascii/Ascii.cc (header),
 * zeek/src/threading/formatters/Ascii.cc (values).
 */

/** The header state in force, kept in the checkpoint so a run can resume mid-file. */
export interface ZeekTsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path: string;
  fields: string[];
  types: string[];
}

type Conv = (raw: string) => unknown;

export class ZeekParseError extends Error {}

const bad = (msg: string): never => {
  throw new ZeekParseError(msg);
};

function scalarConv(type: string, field: string, h: ZeekTsvHeader): Conv {
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
      return (r) => {
        const n = Number(r);
        return Number.isFinite(n) && r !== '' ? n : bad(`${field}: "${r}" is not a ${type}`);
      };
    case 'count':
    case 'int':
    case 'int64':
      return (r) => {
        const n = Number(r);
        if (!Number.isInteger(n) || r === '') return bad(`${field}: "${r}" is not a ${type}`);
        // a count above 2^53 (Zeek counts are 64-bit) is kept exact as its decimal text, as the JSON reader does
        return Number.isSafeInteger(n) ? n : r.replace(/^\+/, '');
      };
    case 'port':
      return (r) => {
        const n = Number(r);
        return Number.isInteger(n) && n >= 0 && n <= 65535 && r !== ''
          ? n
          : bad(`${field}: port "${r}" out of range 0–65535`);
      };
    case 'bool':
      return (r) => (r === 'T' ? true : r === 'F' ? false : bad(`${field}: "${r}" is not T or F`));
    case 'addr':
      return (r) => (r.includes('.') || r.includes(':') ? r : bad(`${field}: "${r}" is not an address`));
    default:
      // string, enum, subnet, pattern, func, record names: text, unescaped
      void h;
      return unescapeZeek;
  }
}

function converter(type: string, field: string, h: ZeekTsvHeader): Conv {
  const m = /^(set|vector)\[(.+)\]$/.exec(type);
  if (!m) {
    const conv = scalarConv(type, field, h);
    // the empty field on a scalar is the empty string (only strings can be empty)
    return (r) => (r === h.emptyField ? '' : conv(r));
  }
  const inner = scalarConv(m[2]!, field, h);
  return (r) => (r === h.emptyField ? [] : r.split(h.setSeparator).map(inner));
}

/** A compiled header: per-column converters. */
export interface CompiledHeader {
  header: ZeekTsvHeader;
  convs: Conv[];
  timeFields: string[];
  /** Columns whose bad value makes the record bad (ts, addresses, ports). */
  strict: boolean[];
  /**
   * Builds a record's fields from its columns in one object literal (unset fields are undefined,
   * which JSON leaves out): one hidden class per header, the way fast-json-stringify and pino
   * generate code, about 5× faster than adding 20+ keys one by one. Throws ZeekParseError.
   */
  build: (cols: string[]) => Record<string, unknown>;
}

export function compileHeader(h: ZeekTsvHeader): CompiledHeader {
  const convs = h.fields.map((f, i) => converter(h.types[i] ?? 'string', f, h));
  const timeFields = h.fields.filter((_f, i) => /^(time|(set|vector)\[time\])$/.test(h.types[i] ?? ''));
  const strict = h.fields.map((f, i) => f === 'ts' || /^(addr|port)$|\[(addr|port)\]/.test(h.types[i] ?? ''));
  const body = h.fields
    .map((f, i) => `${JSON.stringify(f)}: c[${i}] === u ? undefined : v[${i}](c[${i}])`)
    .join(',\n');
  const make = new Function('c', 'v', 'u', `return {\n${body}\n};`) as (
    c: string[],
    v: Conv[],
    u: string,
  ) => Record<string, unknown>;
  const unset = h.unsetField;
  return { header: h, convs, timeFields, strict, build: (cols) => make(cols, convs, unset) };
}

const defaults = (): ZeekTsvHeader => ({
  separator: '\t',
  setSeparator: ',',
  emptyField: '(empty)',
  unsetField: '-',
  path: '',
  fields: [],
  types: [],
});

/** Result of feeding one line. */
export type TsvLineResult =
  { kind: 'record'; rec: LogRecord } | { kind: 'meta' } | { kind: 'bad'; message: string };

export class ZeekTsvParser {
  private pending: ZeekTsvHeader = defaults();
  private compiled: CompiledHeader | undefined;
  private sawAnyLine = false;

  constructor(
    private readonly file: string,
    resume?: ZeekTsvHeader,
  ) {
    if (resume) {
      this.pending = { ...resume };
      this.compiled = compileHeader(resume);
      this.sawAnyLine = true;
    }
  }

  /** The header in force, for the checkpoint. */
  get header(): ZeekTsvHeader | undefined {
    return this.compiled?.header;
  }

  /** Zeek's `LogAscii::meta_prefix` (default `#`), learned from a `<prefix>separator ` first line. */
  private metaPrefix = '#';

  feed(line: string, lineNo: number): TsvLineResult {
    if (line.startsWith(this.metaPrefix))
      return this.meta(this.metaPrefix === '#' ? line : `#${line.slice(this.metaPrefix.length)}`);
    if (!this.compiled && !this.sawAnyLine) {
      const m = /^([^\t#]{1,16}?)separator /.exec(line);
      if (m) {
        this.metaPrefix = m[1]!;
        return this.meta(`#${line.slice(m[1]!.length)}`);
      }
    }
    const first = !this.sawAnyLine;
    this.sawAnyLine = true;
    if (!this.compiled) {
      if (first && looksLikeTsvModeHeader(line)) {
        const fields = line.split('\t');
        this.compiled = compileHeader({ ...defaults(), fields, types: fields.map(() => 'string') });
        return { kind: 'meta' };
      }
      return {
        kind: 'bad',
        message: 'no Zeek #fields header before this line (not a Zeek log, or the start is missing)',
      };
    }
    const { header: h, convs, strict } = this.compiled;
    const cols = line.split(h.separator);
    if (cols.length !== h.fields.length) {
      return {
        kind: 'bad',
        message: `has ${cols.length} columns, the #fields header names ${h.fields.length} (truncated line?)`,
      };
    }
    let fields: Record<string, unknown>;
    try {
      fields = this.compiled.build(cols);
    } catch (err) {
      if (!(err instanceof ZeekParseError)) throw err;
      const slow = this.slowFields(cols, h, convs, strict);
      if (typeof slow === 'string') return { kind: 'bad', message: slow };
      fields = slow;
    }
    const ts = typeof fields.ts === 'number' ? fields.ts : NaN;
    return {
      kind: 'record',
      rec: {
        source: 'zeek',
        path: h.path,
        ts,
        fields,
        timeFields: this.compiled.timeFields,
        file: this.file,
        line: lineNo,
      },
    };
  }

  /**
   * Field by field, for a record with a value that does not fit its type: the time, addresses and
   * ports locate the event, so without them the record is bad (the message is returned); any other
   * field that does not fit (an unknown extra column) is kept as text rather than losing the record.
   */
  private slowFields(
    cols: string[],
    h: ZeekTsvHeader,
    convs: Conv[],
    strict: boolean[],
  ): Record<string, unknown> | string {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i < cols.length; i++) {
      const raw = cols[i]!;
      if (raw === h.unsetField) continue;
      try {
        fields[h.fields[i]!] = convs[i]!(raw);
      } catch (err) {
        if (!(err instanceof ZeekParseError)) throw err;
        if (strict[i]) return err.message;
        fields[h.fields[i]!] = unescapeZeek(raw);
      }
    }
    return fields;
  }

  private meta(line: string): TsvLineResult {
    if (line.startsWith('#separator ')) {
      // a new header block starts (also mid-file, for concatenated logs)
      // Zeek writes `\x09`; a header typed or converted by hand may hold `\t` literally
      const v = line.slice('#separator '.length);
      this.pending = { ...defaults(), separator: v === '\\t' ? '\t' : unescapeHeaderValue(v) };
      this.compiled = undefined;
      return { kind: 'meta' };
    }
    const sep = this.pending.separator;
    const at = line.indexOf(sep);
    const key = at === -1 ? line.slice(1) : line.slice(1, at);
    const value = at === -1 ? '' : line.slice(at + sep.length);
    switch (key) {
      case 'set_separator':
        this.pending.setSeparator = unescapeHeaderValue(value);
        break;
      case 'empty_field':
        this.pending.emptyField = unescapeHeaderValue(value);
        break;
      case 'unset_field':
        this.pending.unsetField = unescapeHeaderValue(value);
        break;
      case 'path':
        this.pending.path = value;
        break;
      case 'fields':
        this.pending.fields = value.split(sep);
        this.compiled = compileHeader({ ...this.pending, types: this.pending.fields.map(() => 'string') });
        break;
      case 'types':
        this.pending.types = value.split(sep);
        this.compiled = compileHeader({ ...this.pending });
        break;
      default:
        // #open, #close, ### BTest lines and other comments carry nothing a record needs
        break;
    }
    return { kind: 'meta' };
  }
}

function looksLikeTsvModeHeader(line: string): boolean {
  const cols = line.split('\t');
  return (
    cols.length >= 2 &&
    cols.every((c) => /^[A-Za-z_][\w.]*$/.test(c)) &&
    (cols.includes('ts') || cols.includes('t') || cols.includes('uid'))
  );
}

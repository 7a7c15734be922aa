import {
  LineCounter,
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { errorMessage, type ConfigIssue } from '../errors.js';
import { expandEnv } from './env.js';
import { CONFIG_FILE_MAX_BYTES, readBoundedFile } from './bounded-read.js';

/** One parsed YAML file with what is needed to point at its lines and columns. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Line and column (1-based) of a character offset in a source. */
export function position(src: YamlSource, offset: number): { line: number; col: number } {
  const p = src.lines.linePos(offset);
  return { line: p.line, col: p.col };
}

/**
 * Reads and parses one YAML file, expanding `${ENV}` in string values. Syntax errors and unset
 * variables are appended to `issues` with their position; the source is returned even then, so
 * the rest of the file can still be checked.
 */
export function readYamlSource(
  file: string,
  env: NodeJS.ProcessEnv,
  issues: ConfigIssue[],
): YamlSource | undefined {
  let text: string;
  try {
    text = readBoundedFile(file, CONFIG_FILE_MAX_BYTES, 'config file');
  } catch (err) {
    issues.push({ file, line: 1, col: 1, message: errorMessage(err) });
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const src: YamlSource = { file, doc, lines };
  for (const e of [...doc.errors, ...doc.warnings]) {
    const at = e.linePos?.[0] ?? { line: 1, col: 1 };
    issues.push({
      file,
      line: at.line,
      col: at.col,
      message: (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, ''),
    });
  }
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('$')) return;
      const { value, missing } = expandEnv(node.value, env);
      for (const name of missing) {
        const at = position(src, node.range?.[0] ?? 0);
        issues.push({
          file,
          ...at,
          message: `environment variable ${name} is not set (write $$ for a literal $)`,
        });
      }
      // A plain (unquoted) scalar that was only a variable takes the variable's YAML type, so
      // `port: ${PORT}` is a number as it would be if written out.
      if (
        node.type === 'PLAIN' &&
        /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/.test(node.value) &&
        missing.length === 0
      ) {
        const reparsed = parseDocument(value).toJS() as unknown;
        node.value = reparsed === null || typeof reparsed === 'object' ? value : reparsed;
      } else {
        node.value = value;
      }
    },
  });
  return src;
}

/**
 * The node at `path` in a source, or the nearest existing ancestor. With `key`, the key node of
 * that property, so an unknown key is pointed at itself rather than at its parent.
 */
export function locate(src: YamlSource, path: (string | number)[], key?: string): Node | undefined {
  let node: unknown = src.doc.contents;
  let last: Node | undefined = src.doc.contents ?? undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      node = pair.value ?? pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (node === undefined) break;
    } else break;
    last = node as Node;
  }
  if (key !== undefined && isMap(last)) {
    const pair = last.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key)) return pair.key;
  }
  return last;
}

/**
 * Turns the numbers and booleans at the paths `wanted` accepts back into their source text, as Go's
 * YAML decoder does for a string field (`test: 2` and `test: 1.0` are the label values "2" and
 * "1.0" to Alertmanager, not numbers).
 */
export function scalarsAsText(src: YamlSource, wanted: (path: (string | number)[]) => boolean): void {
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        walk(pair.value, [...path, String(pair.key.value)]);
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => walk(item, [...path, i]));
    } else if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      if (wanted(path) && typeof node.source === 'string') node.value = node.source;
    }
  };
  walk(src.doc.contents, []);
}

/**
 * Why a parsed file is not a vigil config, or undefined when it is one: its top level must be a
 * mapping (or empty) holding at least one known key. The answer names no content of the file.
 */
export function notAConfig(src: YamlSource, known: ReadonlySet<string>, what: string): string | undefined {
  const top = src.doc.contents;
  const refuse = (why: string): string =>
    `${what} ${src.file} is not a vigil config file (${why}); its content is not shown`;
  if (top === null || (isScalar(top) && (top.value === null || top.value === ''))) {
    return src.doc.errors.length > 0 ? refuse('it is not valid YAML') : undefined;
  }
  if (!isMap(top))
    return refuse(
      src.doc.errors.length > 0 ? 'it is not valid YAML' : 'its top level is not a mapping of keys',
    );
  const keys = top.items.flatMap((p) => (isPair(p) && isScalar(p.key) ? [String(p.key.value)] : []));
  if (!keys.some((k) => known.has(k))) {
    return refuse(
      src.doc.errors.length > 0
        ? 'it is not valid YAML'
        : 'none of its top-level keys is a config key such as timezone:, services: or alerting:',
    );
  }
  return undefined;
}

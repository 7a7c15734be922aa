import { dirname, resolve } from 'node:path';
import { LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import {
  CONFIG_FILE_MAX_BYTES,
  ConfigError,
  errorMessage,
  readBoundedFile,
  scalarsAsText,
  type ConfigIssue,
} from '../core/index.js';
import { alertmanagerConfigSchema, type AlertmanagerConfig } from './am-schema.js';
import { validateAlertingConfig } from './validate.js';
import { Templates } from './template/index.js';

const LABEL_MAPS = new Set(['match', 'source_match', 'target_match']);

export interface LoadedAlertingFile {
  config: AlertmanagerConfig;
  /** Names of top-level vigil time intervals (a vigil config file), shared with the alerting section. */
  sharedIntervals: { name: string; time_intervals: unknown[] }[];
  /** Default zone of the shared intervals: the vigil `timezone` (UTC for Alertmanager's own). */
  timezone: string | undefined;
  warnings: string[];
}

/**
 * Reads an Alertmanager configuration file, or a vigil config file with an `alerting:` section,
 * validates it strictly and throws a ConfigError with every problem at its file:line:col.
 */
export function loadAlertingFile(file: string): LoadedAlertingFile {
  const abs = resolve(file);
  let text: string;
  try {
    text = readBoundedFile(abs, CONFIG_FILE_MAX_BYTES, 'config file');
  } catch (err) {
    throw new ConfigError([{ file: abs, line: 1, col: 1, message: errorMessage(err) }], {
      cause: err,
    });
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const pos = (offset: number) => {
    const p = lc.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map((e) => ({ file: abs, ...pos(e.pos[0]), message: e.message })));
  }
  const first = (doc.toJS() ?? {}) as Record<string, unknown>;
  const isVigil = 'alerting' in first && !('route' in first);
  // Label values are strings however written, as Go's YAML decoder reads them (alerting/config.ts).
  scalarsAsText({ file: abs, doc, lines: lc }, (path) => LABEL_MAPS.has(path.at(-2) as string));
  const top = (doc.toJS() ?? {}) as Record<string, unknown>;
  const base: (string | number)[] = isVigil ? ['alerting'] : [];
  const raw = isVigil ? top.alerting : top;
  const issues: ConfigIssue[] = [];
  const report = (path: (string | number)[], message: string) => {
    const node = nodeAt(doc.contents as Node | null, path);
    const where = path.length > 0 ? `${path.join('.')}: ` : '';
    issues.push({ file: abs, ...pos(node?.range?.[0] ?? 0), message: `${where}${message}` });
  };
  const parsed = alertmanagerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    for (const iss of parsed.error.issues) {
      const path = [...base, ...iss.path.filter((p): p is string | number => typeof p !== 'symbol')];
      if (iss.code === 'unrecognized_keys')
        for (const k of iss.keys) report([...path, k], `unknown key "${k}"`);
      else report(path, iss.message);
    }
    throw new ConfigError(issues);
  }
  const shared =
    isVigil && Array.isArray(top.time_intervals)
      ? (top.time_intervals as LoadedAlertingFile['sharedIntervals'])
      : [];
  validateAlertingConfig(
    parsed.data,
    report,
    base,
    shared.map((s) => s.name),
  );
  if (issues.length > 0) throw new ConfigError(issues);
  // Alertmanager parses the template files at load: a broken template is a config error.
  try {
    Templates.fromGlobs(parsed.data.templates ?? [], dirname(abs));
  } catch (err) {
    report([...base, 'templates'], errorMessage(err));
    throw new ConfigError(issues);
  }
  const warnings: string[] = [];
  return {
    config: parsed.data,
    sharedIntervals: shared,
    timezone: isVigil ? (top.timezone as string | undefined) : undefined,
    warnings,
  };
}

function nodeAt(root: Node | null, path: (string | number)[]): Node | undefined {
  let node: Node | null | undefined = root;
  let last: Node | undefined = root ?? undefined;
  for (const key of path) {
    if (isMap(node)) {
      const pair: { key: unknown; value: unknown } | undefined = node.items.find(
        (p) => (p.key as { value?: unknown } | null)?.value === key,
      );
      if (!pair) return last;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key] as Node | undefined;
    } else return last;
    if (node) last = node;
  }
  return last;
}

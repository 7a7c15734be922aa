import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readLog, type ReadResult } from '../../analyzers/readers/index.js';
import type { LogRecord } from '../../analyzers/types.js';

/** The shared corpus (real public data; see its README), used in place. */
export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));

/** Every file under a corpus folder, recursively, except licences and READMEs. */
export function corpusFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (!/^(LICENSE|COPYING|README)/.test(e) && !e.endsWith('.yaml')) out.push(p);
    }
  };
  walk(join(CORPUS, dir));
  return out;
}

/** The text of a file, gunzipped when needed. */
export const textOf = (path: string): string => {
  const b = readFileSync(path);
  return (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b) : b).toString('utf8');
};

/** Reads a whole file into records and the read result. */
export async function readAll(path: string): Promise<{ records: LogRecord[]; result: ReadResult }> {
  const it = readLog(path);
  const records: LogRecord[] = [];
  for (;;) {
    const n = await it.next();
    if (n.done) return { records, result: n.value };
    records.push(...n.value);
  }
}

/**
 * btest canonifies times to `XXXXXXXXXX.XXXXXX`; a copy with a real time in their place lets the
 * parser read the rest of the fixture exactly.
 */
export function decanonified(path: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-btest-'));
  const out = join(dir, path.split('/').pop()!);
  writeFileSync(out, readFileSync(path, 'utf8').replace(/XXXXXXXXXX\.XXXXXX/g, '1700000000.000000'));
  return out;
}

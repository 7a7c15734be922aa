import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VigilError, errorMessage } from '../core/index.js';
import { writeTar } from './tar.js';
import type { Period } from './types.js';

/** One exported bundle in the chain: its period and digest. */
interface ChainEntry {
  from: number;
  to: number;
  digest: string;
}

/** Where the chain of exported bundles is kept: `<data>/evidence/chain.jsonl`. */
export function chainPath(dataDir: string): string {
  return join(dataDir, 'evidence', 'chain.jsonl');
}

function readChain(file: string): ChainEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l, i) => {
      try {
        return JSON.parse(l) as ChainEntry;
      } catch (err) {
        throw new VigilError('EVD_CHAIN', `${file}:${i + 1}: not JSON: ${errorMessage(err)}`);
      }
    });
}

/**
 * The digest a new bundle for `period` names as its predecessor: the latest bundle exported for a
 * period ending at or before this one starts. Keyed by period, not by export time, so exporting
 * the same period again names the same predecessor and gives the same bytes.
 */
export function previousBundle(dataDir: string, period: Period): string | null {
  const before = readChain(chainPath(dataDir))
    .filter((e) => e.to <= period.from)
    .sort((a, b) => a.to - b.to || a.from - b.from);
  return before.at(-1)?.digest ?? null;
}

/** Records a bundle's digest for its period (replacing an earlier export of the same period). */
export function recordBundle(dataDir: string, period: Period, digest: string): void {
  const file = chainPath(dataDir);
  const rest = readChain(file).filter((e) => !(e.from === period.from && e.to === period.to));
  rest.push({ from: period.from, to: period.to, digest });
  rest.sort((a, b) => a.from - b.from || a.to - b.to);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(`${file}.tmp`, rest.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Writes the bundle: to `out` ending in `.tar` as one ustar archive (mtime = period end), else
 * as a directory `out` (which must not exist yet, so nothing of an older bundle stays in it).
 */
export function writeBundle(files: ReadonlyMap<string, Buffer>, out: string, period: Period): void {
  if (out.endsWith('.tar')) {
    writeFileSync(out, writeTar(files, period.to), { mode: 0o644, flag: 'wx' });
    return;
  }
  if (existsSync(out)) throw new VigilError('EVD_OUT', `${out} exists; give a new directory or a .tar file`);
  for (const [path, bytes] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    const full = join(out, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, bytes, { flag: 'wx' });
  }
}

import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The store file inside one backup version folder. */
export const BACKUP_DB_NAME = 'vigil.db';

const VERSION_RE = /^vigil-(\d{8}T\d{9}Z)$/;

/** One finished backup: a folder `vigil-<UTC stamp>` holding `vigil.db` and `keys/`. */
export interface BackupVersion {
  name: string;
  /** The version folder. */
  dir: string;
  /** Its store file. */
  file: string;
  takenAt: number;
  bytes: number;
}

/** `vigil-20261206T023000123Z`: sorts by time as text, names the instant in UTC. */
export function versionName(atMs: number): string {
  return `vigil-${new Date(atMs).toISOString().replace(/[-:.]/g, '')}`;
}

function stampToMs(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z$/.exec(stamp)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +m[7]!);
}

/**
 * The finished versions in `dir`, newest first. Partial folders (`.partial`, a backup that was
 * interrupted or failed its verification) are not versions; a missing folder has none.
 */
export function listBackups(dir: string): BackupVersion[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const out: BackupVersion[] = [];
  for (const name of names) {
    const m = VERSION_RE.exec(name);
    if (!m) continue;
    const file = join(dir, name, BACKUP_DB_NAME);
    let bytes: number;
    try {
      bytes = statSync(file).size;
    } catch {
      continue; // a folder without its store file is not a usable version (it is listed by nothing)
    }
    out.push({ name, dir: join(dir, name), file, takenAt: stampToMs(m[1]!), bytes });
  }
  return out.sort((a, b) => b.takenAt - a.takenAt);
}

/**
 * Which versions retention removes: the newest version of each UTC day is kept for the `keep`
 * newest days ("7 daily versions"); every other version (an older one of a kept day, or one of
 * an older day) goes. Pure, so the rule is tested without files.
 */
export function versionsToPrune(versions: readonly BackupVersion[], keep: number): BackupVersion[] {
  const sorted = [...versions].sort((a, b) => b.takenAt - a.takenAt);
  const days = new Set<string>();
  const drop: BackupVersion[] = [];
  for (const v of sorted) {
    const day = new Date(v.takenAt).toISOString().slice(0, 10);
    if (days.has(day) || days.size >= keep) drop.push(v);
    else days.add(day);
  }
  return drop;
}

/** Applies `versionsToPrune` in `dir` and returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const drop = versionsToPrune(listBackups(dir), keep);
  for (const v of drop) rmSync(v.dir, { recursive: true, force: true });
  return drop.map((v) => v.name);
}

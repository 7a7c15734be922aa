import type { Kysely } from 'kysely';
import type { FileFacts } from './types.js';

interface CleanFilesTable {
  path: string;
  dev: string;
  ino: string;
  size: number;
  mtime_ms: number;
  fingerprint: string;
  scanned_at: number;
}

interface StateTable {
  key: string;
  value: string;
  updated_at: number;
}

/** The scanners' tables (core/store/migrations/0501_scanners_file_index.ts). */
export interface ScannerDb {
  scanner_clean_files: CleanFilesTable;
  scanner_state: StateTable;
}

/**
 * Remembers files found clean so the next run can skip them. A file is skipped only when its
 * identity (dev + ino), size and mtime are unchanged AND the signature-set fingerprint is the one it
 * was scanned under; an infected or error file is never remembered, so it is scanned every run.
 */
export interface FileIndex {
  isUnchangedClean(file: FileFacts, fingerprint: string): Promise<boolean>;
  /** Records files found clean in this run. */
  markClean(files: FileFacts[], fingerprint: string, at: number): Promise<void>;
  /** Forgets files (infected, error, quarantined). */
  forget(paths: string[]): Promise<void>;
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, at: number): Promise<void>;
}

const same = (row: CleanFilesTable, f: FileFacts, fp: string) =>
  row.dev === String(f.dev) &&
  row.ino === String(f.ino) &&
  Number(row.size) === f.size &&
  Number(row.mtime_ms) === f.mtimeMs &&
  row.fingerprint === fp;

/** The index in the store (SQLite or PostgreSQL). */
export function storeFileIndex(db: Kysely<ScannerDb>): FileIndex {
  return {
    async isUnchangedClean(f, fp) {
      const row = await db
        .selectFrom('scanner_clean_files')
        .selectAll()
        .where('path', '=', f.path)
        .executeTakeFirst();
      return row !== undefined && same(row, f, fp);
    },
    async markClean(files, fp, at) {
      for (let i = 0; i < files.length; i += 200) {
        const rows = files.slice(i, i + 200).map((f) => ({
          path: f.path,
          dev: String(f.dev),
          ino: String(f.ino),
          size: f.size,
          mtime_ms: f.mtimeMs,
          fingerprint: fp,
          scanned_at: at,
        }));
        await db
          .insertInto('scanner_clean_files')
          .values(rows)
          .onConflict((oc) =>
            oc.column('path').doUpdateSet((eb) => ({
              dev: eb.ref('excluded.dev'),
              ino: eb.ref('excluded.ino'),
              size: eb.ref('excluded.size'),
              mtime_ms: eb.ref('excluded.mtime_ms'),
              fingerprint: eb.ref('excluded.fingerprint'),
              scanned_at: eb.ref('excluded.scanned_at'),
            })),
          )
          .execute();
      }
    },
    async forget(paths) {
      for (let i = 0; i < paths.length; i += 200) {
        await db
          .deleteFrom('scanner_clean_files')
          .where('path', 'in', paths.slice(i, i + 200))
          .execute();
      }
    },
    async get(key) {
      return (await db.selectFrom('scanner_state').select('value').where('key', '=', key).executeTakeFirst())
        ?.value;
    },
    async set(key, value, at) {
      await db
        .insertInto('scanner_state')
        .values({ key, value, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: at }))
        .execute();
    },
  };
}

/** An index in memory: for ad-hoc `vigil scan`, which scans everything it is given. */
export function memoryFileIndex(): FileIndex {
  const files = new Map<string, CleanFilesTable>();
  const state = new Map<string, string>();
  return {
    async isUnchangedClean(f, fp) {
      const row = files.get(f.path);
      return row !== undefined && same(row, f, fp);
    },
    async markClean(list, fp, at) {
      for (const f of list) {
        files.set(f.path, {
          path: f.path,
          dev: String(f.dev),
          ino: String(f.ino),
          size: f.size,
          mtime_ms: f.mtimeMs,
          fingerprint: fp,
          scanned_at: at,
        });
      }
    },
    async forget(paths) {
      for (const p of paths) files.delete(p);
    },
    async get(key) {
      return state.get(key);
    },
    async set(key, value) {
      state.set(key, value);
    },
  };
}

import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import fg from 'fast-glob';
import { request } from 'undici';
import { errorMessage } from '../core/index.js';
import { makeResult } from './result.js';
import type { BackupProbeConfig } from './schemas.js';
import type { Probe, ProbeTarget } from './types.js';

/** One backup version: a file under the glob, or an entry of an HTTP manifest. */
export interface BackupFile {
  name: string;
  size: number;
  modifiedMs: number;
}

/**
 * Judges a set of backup versions (S6): the newest is younger than max_age, at least min_versions
 * distinct days (UTC) hold a version, and the newest versions have a plausible size. Every
 * finding names the file. Pure, so the rules are tested without a clock.
 */
export function judgeBackups(
  files: BackupFile[],
  cfg: BackupProbeConfig,
  nowMs: number,
  source: string,
): string[] {
  if (files.length === 0) return [`no backup found at ${source}`];
  const sorted = [...files].sort((a, b) => b.modifiedMs - a.modifiedMs);
  const findings: string[] = [];
  const newest = sorted[0]!;
  const ageMs = nowMs - newest.modifiedMs;
  if (ageMs > cfg.max_age) {
    findings.push(
      `newest backup ${newest.name} is ${(ageMs / 3_600_000).toFixed(1)} h old, more than the maximum of ${(cfg.max_age / 3_600_000).toFixed(1)} h`,
    );
  }
  const days = new Set(sorted.map((f) => new Date(f.modifiedMs).toISOString().slice(0, 10)));
  if (days.size < cfg.min_versions) {
    findings.push(
      `only ${days.size} daily versions at ${source} (${[...days].sort().join(', ')}), at least ${cfg.min_versions} required; newest is ${newest.name}`,
    );
  }
  const sizes = sorted.map((f) => f.size).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
  for (const f of sorted.slice(0, Math.max(cfg.min_versions, 1))) {
    if (f.size < cfg.min_size_bytes)
      findings.push(`backup ${f.name} is ${f.size} bytes, less than the minimum of ${cfg.min_size_bytes}`);
    else if (sizes.length >= 3 && f.size < median * cfg.min_size_ratio) {
      findings.push(
        `backup ${f.name} is ${f.size} bytes, under ${Math.round(cfg.min_size_ratio * 100)} % of the median ${median}: truncated?`,
      );
    }
  }
  return findings;
}

async function listGlob(pattern: string): Promise<BackupFile[]> {
  const names = await fg(pattern, { onlyFiles: true, absolute: true, dot: false });
  return Promise.all(
    names.map(async (name) => {
      const s = await stat(name);
      return { name, size: s.size, modifiedMs: s.mtimeMs };
    }),
  );
}

/** Reads a manifest: `[{name, size, modified}]` or `{files: [...]}`, modified as ISO 8601. */
async function listManifest(url: string, signal: AbortSignal): Promise<BackupFile[]> {
  const res = await request(url, { signal });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new Error(`manifest ${url} answered ${res.statusCode}`);
  }
  const doc = (await res.body.json()) as unknown;
  const list = Array.isArray(doc) ? doc : (doc as { files?: unknown[] }).files;
  if (!Array.isArray(list)) throw new Error(`manifest ${url} is neither a list nor {files: [...]}`);
  return list.map((e, i) => {
    const r = e as { name?: unknown; size?: unknown; modified?: unknown };
    const modifiedMs = typeof r.modified === 'string' ? Date.parse(r.modified) : Number.NaN;
    if (typeof r.name !== 'string' || typeof r.size !== 'number' || Number.isNaN(modifiedMs)) {
      throw new Error(`manifest ${url} entry ${i} needs name, size and modified (ISO 8601)`);
    }
    return { name: r.name, size: r.size, modifiedMs };
  });
}

/** The backup probe (S6) over a path glob or an HTTP manifest. Findings are `assertion` failures. */
export function backupProbe(cfg: BackupProbeConfig): Probe {
  const source = cfg.path ?? cfg.manifest_url ?? '';
  return {
    async run(target: ProbeTarget, signal: AbortSignal) {
      const startedAt = new Date();
      const t0 = performance.now();
      let files: BackupFile[];
      try {
        files = cfg.path ? await listGlob(cfg.path) : await listManifest(source, signal);
      } catch (err) {
        const totalMs = performance.now() - t0;
        return makeResult(target, startedAt, {
          ok: false,
          totalMs,
          error: {
            kind: signal.aborted ? 'timeout' : 'other',
            message: `cannot list backups at ${source}: ${errorMessage(err)}`,
          },
        });
      }
      const findings = judgeBackups(files, cfg, Date.now(), source);
      const totalMs = performance.now() - t0;
      if (findings.length > 0)
        return makeResult(target, startedAt, {
          ok: false,
          totalMs,
          error: { kind: 'assertion', message: findings.join('; ') },
        });
      return makeResult(target, startedAt, { ok: true, totalMs });
    },
  };
}

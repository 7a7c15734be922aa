import { isAbsolute, resolve } from 'node:path';
import {
  AUDIT_KEY_NAME,
  auditKeyPath,
  backupSchema,
  createScheduler,
  errorMessage,
  listBackups,
  makeBackup,
  type BackupConfig,
  type BackupKeyFiles,
  type Component,
  type Logger,
  type Registry,
} from '../core/index.js';
import { keyFilePath } from './auth.js';
import { sqliteFileOf } from './cli-store.js';
import { storeUrlOf } from './paths.js';
import type { LoadedConfig } from './wire/types.js';

/** The name the key for secrets at rest has inside a backup version. */
const SECRET_KEY_NAME = 'secret.key';

/** Where vigil's own backups go and what they hold, resolved from the config and data directory. */
export interface BackupPlan {
  cfg: BackupConfig;
  dir: string;
  /** The SQLite store file; undefined on PostgreSQL (the operator's backup, docs/operations.md). */
  storeFile: string | undefined;
  /** The key files a version carries, and where a restore puts them back. */
  keyFiles: BackupKeyFiles;
}

/** The backup plan of a config (`backup:` defaults when the key is absent). */
export function backupPlan(config: LoadedConfig | undefined, dataDir: string, storeUrl?: string): BackupPlan {
  const cfg = (config?.backup as BackupConfig | undefined) ?? backupSchema.parse({});
  const url = storeUrl ?? storeUrlOf(config);
  return {
    cfg,
    dir: isAbsolute(cfg.dir) ? cfg.dir : resolve(dataDir, cfg.dir),
    storeFile: sqliteFileOf(url, dataDir),
    keyFiles: {
      [AUDIT_KEY_NAME]: auditKeyPath(dataDir),
      ...(config
        ? { [SECRET_KEY_NAME]: keyFilePath(config, dataDir) }
        : { [SECRET_KEY_NAME]: resolve(dataDir, 'keys', SECRET_KEY_NAME) }),
    },
  };
}

/** The glob vigil's own backup probe watches. */
export function backupGlob(plan: BackupPlan): string {
  return `${plan.dir}/vigil-*/vigil.db`;
}

/**
 * The nightly backup of `vigil start` on a SQLite store (`backup.schedule`, in the config's time
 * zone). A failed run is logged and counted; vigil's own backup probe pages when a night is missed.
 */
export function backupComponent(
  plan: BackupPlan,
  opts: { log: Logger; metrics: Registry; timezone?: string; now?: () => number },
): Component | undefined {
  const storeFile = plan.storeFile;
  if (!plan.cfg.enabled || !storeFile) return undefined;
  const log = opts.log.child({ component: 'backup' });
  const scheduler = createScheduler({ log, metrics: opts.metrics });
  const now = opts.now ?? Date.now;
  const takeBackup = async (): Promise<void> => {
    try {
      const r = await makeBackup({
        storeFile,
        dir: plan.dir,
        keyFiles: plan.keyFiles,
        keep: plan.cfg.keep,
        nowMs: now(),
      });
      log.info(
        { version: r.version.name, bytes: r.version.bytes, auditEntries: r.auditEntries, pruned: r.pruned },
        'backup taken and verified',
      );
    } catch (err) {
      log.error({ err: errorMessage(err), dir: plan.dir }, 'backup failed');
    }
  };
  scheduler.addCron(
    'backup',
    plan.cfg.schedule,
    takeBackup,
    opts.timezone ? { timezone: opts.timezone } : {},
  );
  return {
    name: 'backup',
    start: async () => {
      scheduler.start();
      // A fresh install has no version yet: take the first one now, so it is protected from the
      // start and its own backup probe does not page until the first night.
      if (listBackups(plan.dir).length === 0) void takeBackup();
    },
    stop: async (deadlineMs) => {
      await scheduler.stop(deadlineMs);
    },
  };
}

// core/backup: vigil's own data kept safe — nightly verified SQLite backups, retention, restore.
export { backupSchema, backupSection, type BackupConfig } from './config.js';
export {
  BACKUP_DB_NAME,
  listBackups,
  pruneBackups,
  versionName,
  versionsToPrune,
  type BackupVersion,
} from './versions.js';
export {
  AUDIT_KEY_NAME,
  makeBackup,
  verifyBackupFolder,
  type BackupCheck,
  type BackupKeyFiles,
  type BackupOutcome,
  type MakeBackupOptions,
} from './sqlite-backup.js';
export { restoreBackup, versionFolderOf, type RestoreOptions } from './restore.js';
export { assertPrimary } from './primary.js';

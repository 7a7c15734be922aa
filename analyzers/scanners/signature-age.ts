import { errorMessage, formatDuration } from '../../core/index.js';
import { officialDatabaseBuiltAt } from './clamav-db.js';
import type { ClamdClient } from './clamd-client.js';
import type { ManagedClamd } from './clamd-manager.js';
import type { ClamavConfig } from './config.js';

/**
 * Why ClamAV's signatures are not current, or undefined when they are (PCI DSS v4.0 5.3.1: the
 * anti-malware solution is kept current via automatic updates). A managed clamd is judged by the
 * build time of the newest official file in `system_database_dir`; an external clamd by the
 * database date in its VERSION reply (`ClamAV 1.0.7/27480/Sat Dec  6 08:27:01 2026`). With
 * `system_database_dir: false` a managed clamd runs on vigil's own signatures only, by choice.
 */
export async function signatureProblem(
  cfg: ClamavConfig,
  engines: { managed?: ManagedClamd | undefined; clamd?: ClamdClient | undefined },
  now: number,
): Promise<string | undefined> {
  const maxAge = cfg.max_signature_age;
  if (engines.managed) {
    if (engines.managed.database?.builtinOnly) {
      return `ClamAV has no virus signatures: ${cfg.system_database_dir || '(system_database_dir: false)'} holds no official database and vigil's own database is empty; only the built-in EICAR test signature is loaded. Run freshclam or add signatures.`;
    }
    if (cfg.system_database_dir === false) return undefined;
    const builtAt = await officialDatabaseBuiltAt(cfg.system_database_dir);
    if (builtAt === undefined) {
      return `no official ClamAV database in ${cfg.system_database_dir} (run freshclam); clamd scans with vigil's own signatures only`;
    }
    if (now - builtAt > maxAge) {
      return `the ClamAV database in ${cfg.system_database_dir} was built ${new Date(builtAt).toISOString()}, more than ${formatDuration(maxAge)} ago (clamav.max_signature_age); check freshclam`;
    }
    return undefined;
  }
  if (!engines.clamd) return undefined;
  let version: string;
  try {
    version = await engines.clamd.version();
  } catch (err) {
    return `cannot ask clamd for its database version: ${errorMessage(err)}`;
  }
  const date = Date.parse(version.split('/')[2] ?? '');
  if (!Number.isFinite(date)) return undefined; // a clamd without an official database names no date
  if (now - date > maxAge) {
    return `clamd's database is from ${new Date(date).toISOString()}, more than ${formatDuration(maxAge)} ago (clamav.max_signature_age; VERSION: ${version.trim()})`;
  }
  return undefined;
}

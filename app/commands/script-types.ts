import { typeCheckScripts, type ServicesConfig } from '../../probes/index.js';
import { displayPath } from '../load.js';
import type { LoadedConfig } from '../wire/types.js';

/**
 * The type-check part of `vigil config check` for script probes (docs/probes.md): every script
 * against @types/k6. Returns the lines to print and whether any is an error (a script that opted
 * in with `// @ts-check`); warnings and the "skipped" note never fail the check.
 */
export function checkScriptTypes(config: LoadedConfig): { errors: string[]; notes: string[] } {
  const services = (config.services as ServicesConfig | undefined) ?? [];
  const paths = [
    ...new Set(services.flatMap((s) => s.probes.flatMap((p) => (p.type === 'script' ? [p.file.path] : [])))),
  ];
  const outcome = typeCheckScripts(paths);
  if ('skipped' in outcome) return { errors: [], notes: [outcome.skipped] };
  const line = (i: (typeof outcome.issues)[number]): string =>
    `${displayPath(i.file)}:${i.line}:${i.col}: ${i.severity}: ${i.message}`;
  return {
    errors: outcome.issues.filter((i) => i.severity === 'error').map(line),
    notes: outcome.issues.filter((i) => i.severity === 'warning').map(line),
  };
}

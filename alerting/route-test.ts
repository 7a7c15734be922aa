import { VigilError } from '../core/index.js';
import { parseMatcher } from './matchers.js';
import { buildRoute, matchRoutes } from './route.js';
import type { AlertmanagerConfig } from './am-schema.js';

/**
 * Labels from `name=value` arguments, parsed as amtool does (each one an Alertmanager matcher that
 * must be an equality; quoting and escapes as in matchers).
 */
export function parseLabelArgs(args: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of args) {
    let m;
    try {
      m = parseMatcher(a);
    } catch (err) {
      throw new VigilError('ALR_LABELS', `Failed to parse labels: ${(err as Error).message}`, { cause: err });
    }
    if (m.type !== '=')
      throw new VigilError(
        'ALR_LABELS',
        `Failed to parse labels: labels must be specified as key=value pairs (got "${a}")`,
      );
    out[m.name] = m.value;
  }
  return out;
}

/** The receivers an alert with these labels reaches, in route order, duplicates kept (as amtool). */
export function routeTest(config: AlertmanagerConfig, labels: Readonly<Record<string, string>>): string[] {
  return matchRoutes(buildRoute(config.route), labels).map((r) => r.opts.receiver);
}

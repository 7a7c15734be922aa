import { errorMessage, type IssueReporter } from '../core/index.js';
import { parseMatchers, newMatcher } from './matchers.js';
import type { AlertmanagerConfig, RouteInput } from './am-schema.js';
import { checkGlobal, checkReceiver } from './validate-receivers.js';

type Path = (string | number)[];
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * The checks Alertmanager's loader makes after parsing (config/config.go `Config.UnmarshalYAML`,
 * `Route.UnmarshalYAML`), with the same meaning, plus vigil's own keys. `sharedIntervals` are the
 * names of the top-level vigil `time_intervals`, one namespace with the alerting ones.
 */
export function validateAlertingConfig(
  cfg: AlertmanagerConfig,
  report: IssueReporter,
  base: Path = [],
  sharedIntervals: readonly string[] = [],
): void {
  checkGlobal(cfg.global, [...base, 'global'], report);
  const receivers = new Set<string>();
  (cfg.receivers ?? []).forEach((r, i) => {
    if (receivers.has(r.name))
      report([...base, 'receivers', i, 'name'], `notification config name "${r.name}" is not unique`);
    receivers.add(r.name);
    checkReceiver(cfg, r, [...base, 'receivers', i], report);
  });

  const intervals = new Set<string>(sharedIntervals);
  const named = [
    ...(cfg.time_intervals ?? []).map((t, i) => ({ t, path: [...base, 'time_intervals', i, 'name'] })),
    ...(cfg.mute_time_intervals ?? []).map((t, i) => ({
      t,
      path: [...base, 'mute_time_intervals', i, 'name'],
    })),
  ];
  for (const { t, path } of named) {
    if (intervals.has(t.name)) report(path, `time interval "${t.name}" is defined more than once`);
    intervals.add(t.name);
  }

  const root = cfg.route;
  const rootPath = [...base, 'route'];
  if (!root.receiver) report([...rootPath, 'receiver'], 'root route must specify a default receiver');
  if (root.match || root.match_re || (root.matchers && root.matchers.length > 0)) {
    report(rootPath, 'root route must not have any matchers');
  }
  if (root.mute_time_intervals?.length) report(rootPath, 'root route must not have any mute time intervals');
  if (root.active_time_intervals?.length)
    report(rootPath, 'root route must not have any active time intervals');
  checkRoute(root, rootPath, receivers, intervals, report);

  (cfg.inhibit_rules ?? []).forEach((rule, i) => {
    const p = [...base, 'inhibit_rules', i];
    checkMatcherLines(rule.source_matchers, [...p, 'source_matchers'], report);
    checkMatcherLines(rule.target_matchers, [...p, 'target_matchers'], report);
    checkRegexMap(rule.source_match_re, [...p, 'source_match_re'], report);
    checkRegexMap(rule.target_match_re, [...p, 'target_match_re'], report);
  });

  const v = cfg.vigil;
  if (v && v.retry_max < v.retry_initial) {
    report([...base, 'vigil', 'retry_max'], 'must not be shorter than retry_initial');
  }
  const fallback = cfg.vigil?.fallback_receiver;
  if (fallback !== undefined && !receivers.has(fallback)) {
    report(
      [...base, 'vigil', 'fallback_receiver'],
      `undefined receiver "${fallback}" used as fallback_receiver`,
    );
  }
}

function checkRoute(
  r: RouteInput,
  path: Path,
  receivers: Set<string>,
  intervals: Set<string>,
  report: IssueReporter,
): void {
  if (r.receiver && !receivers.has(r.receiver))
    report([...path, 'receiver'], `undefined receiver "${r.receiver}" used in route`);
  if (r.group_by) {
    const seen = new Set<string>();
    r.group_by.forEach((g, i) => {
      if (g === '...') {
        if (r.group_by!.length > 1)
          report(
            [...path, 'group_by'],
            'cannot have wildcard group_by (`...`) and other labels at the same time',
          );
      } else if (!LABEL_NAME.test(g))
        report([...path, 'group_by', i], `invalid label name "${g}" in group_by list`);
      if (seen.has(g)) report([...path, 'group_by', i], `duplicated label "${g}" in group_by`);
      seen.add(g);
    });
  }
  if (r.group_interval === 0) report([...path, 'group_interval'], 'group_interval cannot be zero');
  if (r.repeat_interval === 0) report([...path, 'repeat_interval'], 'repeat_interval cannot be zero');
  checkRegexMap(r.match_re, [...path, 'match_re'], report);
  checkMatcherLines(r.matchers, [...path, 'matchers'], report);
  for (const key of ['mute_time_intervals', 'active_time_intervals'] as const) {
    (r[key] ?? []).forEach((name, i) => {
      if (!intervals.has(name)) report([...path, key, i], `undefined time interval "${name}" used in route`);
    });
  }
  (r.escalation ?? []).forEach((e, i) => {
    if (!receivers.has(e.receiver))
      report([...path, 'escalation', i, 'receiver'], `undefined receiver "${e.receiver}" used in escalation`);
  });
  (r.routes ?? []).forEach((c, i) => checkRoute(c, [...path, 'routes', i], receivers, intervals, report));
}

function checkMatcherLines(lines: string[] | undefined, path: Path, report: IssueReporter): void {
  (lines ?? []).forEach((line, i) => {
    try {
      parseMatchers(line);
    } catch (err) {
      report([...path, i], errorMessage(err));
    }
  });
}

function checkRegexMap(map: Record<string, string> | undefined, path: Path, report: IssueReporter): void {
  for (const [k, v] of Object.entries(map ?? {})) {
    try {
      newMatcher('=~', k, v);
    } catch (err) {
      report([...path, k], errorMessage(err));
    }
  }
}

import { newMatcher, parseMatchers, matchesAll, formatMatcher, type Matcher } from './matchers.js';
import type { RouteInput } from './am-schema.js';

/** Options a route passes on to its children (Alertmanager dispatch.RouteOpts). */
export interface RouteOpts {
  receiver: string;
  groupBy: ReadonlySet<string>;
  groupByAll: boolean;
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
  /** Not inherited: Alertmanager sets these from the route itself only. */
  muteTimeIntervals: readonly string[];
  activeTimeIntervals: readonly string[];
  /** vigil extension: tiers paged when a notification stays unacknowledged (inherited like timers). */
  escalation: readonly { afterMs: number; receiver: string }[];
}

/** A node of the routing tree with its effective options. */
export interface Route {
  readonly parent: Route | undefined;
  readonly opts: RouteOpts;
  readonly matchers: readonly Matcher[];
  readonly continue: boolean;
  readonly routes: readonly Route[];
  /** Alertmanager's Route.Key(): the parents' matcher sets joined with '/'. */
  readonly key: string;
}

/** Alertmanager's DefaultRouteOpts (dispatch/route.go). */
export const DEFAULT_ROUTE_OPTS: RouteOpts = {
  receiver: '',
  groupBy: new Set(),
  groupByAll: false,
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
  muteTimeIntervals: [],
  activeTimeIntervals: [],
  escalation: [],
};

// Alertmanager sorts a route's matchers by name, then value, then type (labels.Matchers.Less).
const TYPE_ORDER = { '=': 0, '!=': 1, '=~': 2, '!~': 3 } as const;
function compareMatchers(a: Matcher, b: Matcher): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
}

/** The matchers of a route: legacy `match`, then `match_re`, then `matchers`, sorted as Alertmanager. */
export function routeMatchers(input: Pick<RouteInput, 'match' | 'match_re' | 'matchers'>): Matcher[] {
  const out: Matcher[] = [];
  for (const [k, v] of Object.entries(input.match ?? {})) out.push(newMatcher('=', k, v));
  for (const [k, v] of Object.entries(input.match_re ?? {})) out.push(newMatcher('=~', k, v));
  for (const line of input.matchers ?? []) out.push(...parseMatchers(line));
  return out.sort(compareMatchers);
}

/**
 * Builds the routing tree with inheritance exactly as Alertmanager's `dispatch.NewRoute`:
 * receiver, group_by and the three timers come from the parent unless set; time intervals do not.
 */
export function buildRoute(input: RouteInput, parent?: Route): Route {
  const p = parent?.opts ?? DEFAULT_ROUTE_OPTS;
  const groupByAll = input.group_by ? input.group_by.includes('...') : p.groupByAll;
  const opts: RouteOpts = {
    receiver: input.receiver ? input.receiver : p.receiver,
    groupBy: input.group_by ? new Set(input.group_by.filter((g) => g !== '...')) : p.groupBy,
    groupByAll,
    groupWaitMs: input.group_wait ?? p.groupWaitMs,
    groupIntervalMs: input.group_interval ?? p.groupIntervalMs,
    repeatIntervalMs: input.repeat_interval ?? p.repeatIntervalMs,
    muteTimeIntervals: input.mute_time_intervals ?? [],
    activeTimeIntervals: input.active_time_intervals ?? [],
    escalation: input.escalation
      ? input.escalation.map((e) => ({ afterMs: e.after, receiver: e.receiver }))
      : p.escalation,
  };
  const matchers = routeMatchers(input);
  const own = `{${matchers.map(formatMatcher).join(',')}}`;
  const key = parent ? `${parent.key}/${own}` : own;
  const route = { parent, opts, matchers, continue: input.continue ?? false, routes: [] as Route[], key };
  for (const child of input.routes ?? []) route.routes.push(buildRoute(child, route));
  return route;
}

/**
 * The routes an alert with these labels reaches (Alertmanager `Route.Match`): depth first; a
 * matching child stops the search among its siblings unless it has `continue: true`; a route
 * none of whose children match is itself the answer.
 */
export function matchRoutes(route: Route, labels: Readonly<Record<string, string>>): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const all: Route[] = [];
  for (const child of route.routes) {
    const found = matchRoutes(child, labels);
    all.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return all.length === 0 ? [route] : all;
}

/** The labels an alert is grouped by on this route (all of them for `group_by: ['...']`). */
export function groupLabels(
  opts: RouteOpts,
  labels: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (opts.groupByAll || opts.groupBy.has(k)) out[k] = v;
  return out;
}

/** Alertmanager's LabelSet.String(): `{a="1", b="2"}`, sorted. */
export function formatLabelSet(labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${parts.sort().join(', ')}}`;
}

/** Alertmanager's group key: the route key and the group labels. */
export function groupKeyOf(route: Route, labels: Readonly<Record<string, string>>): string {
  return `${route.key}:${formatLabelSet(groupLabels(route.opts, labels))}`;
}

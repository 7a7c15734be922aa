import { createHash } from 'node:crypto';
import { matchRoutes, groupKeyOf, groupLabels, type Route } from './route.js';
import { isResolved, mergeAlerts, type RouterAlert } from './alert-model.js';
import { isInhibited, type InhibitRule } from './inhibit.js';
import { anyActive, type IntervalIndex } from './time-mute.js';
import type { Silences } from './silences.js';

/** One notifier of a receiver: `webhook/0`, `pagerduty/1`, ... */
export interface IntegrationRef {
  receiver: string;
  key: string;
  sendResolved: boolean;
}

/** What one integration last heard about a group (Alertmanager's nflog entry). */
export interface NflogEntry {
  groupKey: string;
  integration: string;
  firing: string[];
  resolved: string[];
  at: number;
}

export interface AggGroup {
  key: string;
  id: string;
  route: Route;
  labels: Record<string, string>;
  alerts: Map<string, RouterAlert>;
  nextFlushAt: number;
  hasFlushed: boolean;
  /** Escalation episode: when the first page of the current firing episode went out. */
  pagedAt: number | undefined;
  ackedAt: number | undefined;
  ackedBy: string | undefined;
  level: number;
}

export type IntentKind = 'notify' | 'escalation';

/** A notification the router decided to send; the durable queue makes it a row before sending. */
export interface NotifyIntent {
  kind: IntentKind;
  group: AggGroup;
  integration: IntegrationRef;
  firing: RouterAlert[];
  resolved: RouterAlert[];
  at: number;
}

export interface DispatcherDeps {
  route: Route;
  integrations: (receiver: string) => IntegrationRef[];
  inhibitRules: readonly InhibitRule[];
  silences: Silences;
  intervals: IntervalIndex;
}

export function groupIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

/**
 * Alertmanager's dispatcher and notification pipeline as pure logic over a given clock: alerts go
 * into aggregation groups per matching route; a group flushes `group_wait` after it is created
 * (at once if its alert is older than that), then every `group_interval`; a flush drops
 * inhibited and silenced alerts and the whole group outside its active / inside its mute time
 * intervals, and notifies an integration only when the nflog dedup rule says so.
 */
export class Dispatcher {
  readonly groups = new Map<string, AggGroup>();
  readonly alerts = new Map<string, RouterAlert>();
  readonly nflog = new Map<string, NflogEntry>();
  /** Groups whose state changed and groups removed since the last drain, for persistence. */
  readonly touched = new Set<AggGroup>();
  readonly removed = new Set<string>();
  readonly nflogDirty = new Set<NflogEntry>();
  readonly alertsRemoved = new Set<string>();
  readonly #deps: DispatcherDeps;

  constructor(deps: DispatcherDeps) {
    this.#deps = deps;
  }

  /** Takes one alert update (Alertmanager provider.Put + dispatcher.processAlert). */
  ingest(incoming: RouterAlert, now: number): RouterAlert {
    const old = this.alerts.get(incoming.fingerprint);
    const overlaps =
      old && incoming.endsAt > old.startsAt && (old.endsAt === 0 || incoming.startsAt < old.endsAt);
    const alert = old && overlaps ? mergeAlerts(old, incoming, now) : incoming;
    this.alerts.set(alert.fingerprint, alert);
    for (const route of matchRoutes(this.#deps.route, alert.labels)) {
      const key = groupKeyOf(route, alert.labels);
      let g = this.groups.get(key);
      if (!g) {
        g = {
          key,
          id: groupIdOf(key),
          route,
          labels: groupLabels(route.opts, alert.labels),
          alerts: new Map(),
          nextFlushAt: now + route.opts.groupWaitMs,
          hasFlushed: false,
          pagedAt: undefined,
          ackedAt: undefined,
          ackedBy: undefined,
          level: 0,
        };
        this.groups.set(key, g);
      }
      g.alerts.set(alert.fingerprint, alert);
      // An alert older than group_wait is sent at once (aggregation group insert()).
      if (!g.hasFlushed && alert.startsAt + route.opts.groupWaitMs < now) g.nextFlushAt = now;
    }
    return alert;
  }

  /** The earliest time something is due. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const g of this.groups.values()) {
      const t = Math.min(g.nextFlushAt, this.#escalationDue(g) ?? Infinity);
      if (next === undefined || t < next) next = t;
    }
    return next;
  }

  /** Flushes every due group and fires due escalations; returns what to notify. */
  runDue(now: number): NotifyIntent[] {
    const out: NotifyIntent[] = [];
    for (const g of [...this.groups.values()]) {
      if (g.nextFlushAt <= now) this.#flush(g, now, out);
      const esc = this.#escalationDue(g);
      if (esc !== undefined && esc <= now && this.groups.has(g.key)) this.#escalate(g, now, out);
    }
    return out;
  }

  /** Whether this alert is muted now and by what (for the API's status field). */
  mutedBy(a: RouterAlert, now: number): { silencedBy: string[]; inhibitedBy: string[] } {
    const inh = isInhibited(this.#deps.inhibitRules, a.labels, this.alerts.values(), now);
    return { silencedBy: this.#deps.silences.mutedBy(a.labels, now), inhibitedBy: inh ? [inh] : [] };
  }

  acknowledge(groupId: string, by: string, now: number): AggGroup | undefined {
    for (const g of this.groups.values()) {
      if (g.id === groupId && g.ackedAt === undefined) {
        g.ackedAt = now;
        g.ackedBy = by;
        this.touched.add(g);
        return g;
      }
    }
    return undefined;
  }

  #escalationDue(g: AggGroup): number | undefined {
    const tier = g.route.opts.escalation[g.level];
    if (!tier || g.pagedAt === undefined || g.ackedAt !== undefined) return undefined;
    return g.pagedAt + tier.afterMs;
  }

  #escalate(g: AggGroup, now: number, out: NotifyIntent[]): void {
    const tier = g.route.opts.escalation[g.level]!;
    g.level++;
    this.touched.add(g);
    const firing = [...g.alerts.values()].filter((a) => !isResolved(a, now));
    if (firing.length === 0) return;
    for (const integration of this.#deps.integrations(tier.receiver)) {
      out.push({ kind: 'escalation', group: g, integration, firing, resolved: [], at: now });
    }
  }

  #flush(g: AggGroup, now: number, out: NotifyIntent[]): void {
    g.hasFlushed = true;
    this.touched.add(g);
    g.nextFlushAt = now + g.route.opts.groupIntervalMs;
    const snapshot = [...g.alerts.values()];
    const { intervals, silences, inhibitRules } = this.#deps;
    const o = g.route.opts;
    const timeMuted =
      anyActive(intervals, o.muteTimeIntervals, now) ||
      (o.activeTimeIntervals.length > 0 && !anyActive(intervals, o.activeTimeIntervals, now));
    if (!timeMuted) {
      const kept = snapshot.filter(
        (a) =>
          isInhibited(inhibitRules, a.labels, this.alerts.values(), now) === undefined &&
          silences.mutedBy(a.labels, now).length === 0,
      );
      const firing = kept.filter((a) => !isResolved(a, now));
      const resolved = kept.filter((a) => isResolved(a, now));
      for (const integration of this.#deps.integrations(o.receiver)) {
        const nkey = `${g.key}\u0000${integration.key}`;
        const entry = this.nflog.get(nkey);
        if (!needsUpdate(entry, firing, resolved, integration.sendResolved, o.repeatIntervalMs, now))
          continue;
        const fps = (l: RouterAlert[]) => l.map((a) => a.fingerprint);
        const next = {
          groupKey: g.key,
          integration: integration.key,
          firing: fps(firing),
          resolved: fps(resolved),
          at: now,
        };
        this.nflog.set(nkey, next);
        this.nflogDirty.add(next);
        const send = firing.length > 0 || integration.sendResolved;
        if (send)
          out.push({
            kind: 'notify',
            group: g,
            integration,
            firing,
            resolved: integration.sendResolved ? resolved : [],
            at: now,
          });
      }
      if (firing.length > 0 && g.pagedAt === undefined) g.pagedAt = now;
      if (firing.length === 0) {
        g.pagedAt = undefined;
        g.ackedAt = undefined;
        g.ackedBy = undefined;
        g.level = 0;
      }
    }
    // Resolved alerts that were part of this flush leave the group (DeleteIfNotModified).
    for (const a of snapshot) {
      if (isResolved(a, now) && g.alerts.get(a.fingerprint) === a) g.alerts.delete(a.fingerprint);
    }
    if (g.alerts.size === 0) {
      this.groups.delete(g.key);
      this.touched.delete(g);
      this.removed.add(g.key);
    }
    for (const a of snapshot) {
      if (isResolved(a, now) && ![...this.groups.values()].some((x) => x.alerts.has(a.fingerprint))) {
        this.alerts.delete(a.fingerprint);
        this.alertsRemoved.add(a.fingerprint);
      }
    }
  }
}

/** Alertmanager's DedupStage.needsUpdate (notify/notify.go). */
export function needsUpdate(
  entry: NflogEntry | undefined,
  firing: RouterAlert[],
  resolved: RouterAlert[],
  sendResolved: boolean,
  repeatMs: number,
  now: number,
): boolean {
  if (!entry) return firing.length > 0;
  const prevFiring = new Set(entry.firing);
  if (!firing.every((a) => prevFiring.has(a.fingerprint))) return true;
  if (firing.length === 0) return entry.firing.length > 0;
  const prevResolved = new Set(entry.resolved);
  if (sendResolved && !resolved.every((a) => prevResolved.has(a.fingerprint))) return true;
  return entry.at < now - repeatMs;
}

import { randomUUID } from 'node:crypto';
import {
  errorMessage,
  type Alert,
  type Clock,
  type Logger,
  type NamedTimeIntervalSpec,
  type Registry,
  type Store,
} from '../core/index.js';
import type { AlertmanagerConfig } from './am-schema.js';
import { buildRoute, type Route } from './route.js';
import { compileInhibitRules } from './inhibit.js';
import { Silences, type Silence } from './silences.js';
import { compileIntervals } from './time-mute.js';
import { Dispatcher, type IntegrationRef, type NotifyIntent } from './dispatcher.js';
import { fromIncoming, toApiAlert, type RouterAlert } from './alert-model.js';
import { buildIntegrations, type Integration } from './notify/index.js';
import { Templates } from './template/index.js';
import { Delivery } from './delivery.js';
import { newRow } from './queue-rows.js';
import { ackRows, recordAck, resolveGroupId, supersede } from './acks.js';
import { buildMessage } from './messages.js';
import { ackLinkUrl } from './ack-links.js';
import {
  insertNotifications,
  loadSilences,
  rowAlert,
  saveAlerts,
  saveRound,
  saveSilences,
  type AlertingDb,
  type NotificationRow,
} from './repo.js';
import { routerMetrics, type RouterMetrics } from './metrics.js';

/** An alert in Alertmanager's API v2 `gettableAlert` shape. */
export type ApiAlertStatus = Omit<ReturnType<typeof toApiAlert>, 'status'> & {
  updatedAt: string;
  receivers: { name: string }[];
  status: { state: 'active' | 'suppressed'; silencedBy: string[]; inhibitedBy: string[] };
};

export interface RouterOptions {
  config: AlertmanagerConfig;
  store: Store;
  log: Logger;
  clock: Clock;
  metrics?: Registry | undefined;
  /** vigil's top-level named time intervals and their default zone. */
  sharedIntervals?: NamedTimeIntervalSpec[] | undefined;
  timezone?: string | undefined;
  /** Overrides the notifiers (tests); keyed by receiver name. */
  integrations?: Map<string, Integration[]> | undefined;
  /** Directory the config's `templates:` globs are relative to (the config file's, as Alertmanager). */
  templateDir?: string | undefined;
  /** Notifications sent at the same time (default 256). */
  concurrency?: number | undefined;
  /** How often acknowledgements written by other processes (the CLI) are picked up. */
  ackPollMs?: number | undefined;
}

/**
 * The alert router: Alertmanager's routing, grouping, inhibition, silences and time intervals
 * (Dispatcher), made durable in the store, with acknowledgement and escalation, and a delivery
 * queue that sends each notification from a row written before the send.
 */
export class AlertRouter {
  readonly dispatcher: Dispatcher;
  readonly silences = new Silences();
  readonly delivery: Delivery;
  readonly route: Route;
  readonly #o: RouterOptions;
  readonly #db: AlertingDb;
  readonly #integrations: Map<string, Integration[]>;
  readonly #resolveTimeoutMs: number;
  readonly #m: RouterMetrics | undefined;
  #serial: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #lastAckId = 0;

  private constructor(o: RouterOptions) {
    this.#o = o;
    this.#db = o.store.db as AlertingDb;
    const cfg = o.config;
    this.route = buildRoute(cfg.route);
    const templates = o.integrations ? undefined : Templates.fromGlobs(cfg.templates ?? [], o.templateDir);
    this.#integrations =
      o.integrations ??
      new Map((cfg.receivers ?? []).map((r) => [r.name, buildIntegrations(cfg, r, templates)]));
    this.#resolveTimeoutMs = cfg.global?.resolve_timeout ?? 300_000;
    this.#m = o.metrics ? routerMetrics(o.metrics) : undefined;
    const intervals = compileIntervals(
      [...(cfg.time_intervals ?? []), ...(cfg.mute_time_intervals ?? [])],
      o.sharedIntervals ?? [],
      o.timezone,
    );
    this.dispatcher = new Dispatcher({
      route: this.route,
      integrations: (r) => this.#refs(r),
      inhibitRules: compileInhibitRules(cfg.inhibit_rules ?? []),
      silences: this.silences,
      intervals,
    });
    const v = cfg.vigil;
    this.delivery = new Delivery({
      db: this.#db,
      log: o.log.child({ component: 'alerting-delivery' }),
      clock: o.clock,
      integration: (r, k) => this.#integrations.get(r)?.find((i) => i.key === k),
      fallback: v?.fallback_receiver ? (this.#integrations.get(v.fallback_receiver) ?? []) : [],
      concurrency: o.concurrency,
      maxAttempts: v?.max_attempts ?? 50,
      failingAfterAttempts: v?.failing_after_attempts ?? 5,
      retryInitialMs: v?.retry_initial ?? 1000,
      retryMaxMs: v?.retry_max ?? 60_000,
      onOutcome: (row, res, ms) => this.#m?.outcome(row, res, ms),
    });
  }

  /** Builds a router and restores its state (alerts, silences, groups, nflog) from the store. */
  static async create(o: RouterOptions): Promise<AlertRouter> {
    const r = new AlertRouter(o);
    await r.#restore();
    return r;
  }

  #refs(receiver: string): IntegrationRef[] {
    return this.#integrations.get(receiver) ?? [];
  }

  get externalURL(): string {
    return this.#o.config.vigil?.external_url ?? '';
  }

  async #restore(): Promise<void> {
    const now = this.#o.clock.now();
    this.silences.load(await loadSilences(this.#db));
    const rows = await this.#db.selectFrom('alerting_alerts').selectAll().execute();
    for (const row of rows) this.dispatcher.ingest(rowAlert(row), now);
    const nflog = await this.#db.selectFrom('alerting_nflog').selectAll().execute();
    for (const n of nflog) {
      const entry = {
        groupKey: n.group_key,
        integration: n.integration,
        firing: JSON.parse(n.firing) as string[],
        resolved: JSON.parse(n.resolved) as string[],
        at: Number(n.at),
      };
      this.dispatcher.nflog.set(`${n.group_key}\u0000${n.integration}`, entry);
    }
    const groups = await this.#db.selectFrom('alerting_groups').selectAll().execute();
    for (const gr of groups) {
      const g = this.dispatcher.groups.get(gr.group_key);
      if (!g) continue;
      // A group that was flushed before the restart keeps its rhythm: the nflog decides what is new.
      g.hasFlushed = true;
      g.nextFlushAt = now;
      g.pagedAt = gr.paged_at === null ? undefined : Number(gr.paged_at);
      g.ackedAt = gr.acked_at === null ? undefined : Number(gr.acked_at);
      g.ackedBy = gr.acked_by ?? undefined;
      g.level = Number(gr.level);
    }
    const last = await this.#db
      .selectFrom('alerting_acks')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    this.#lastAckId = Number(last?.id ?? 0);
    this.dispatcher.touched.clear();
    this.dispatcher.removed.clear();
    this.dispatcher.nflogDirty.clear();
  }

  async start(): Promise<void> {
    this.#running = true;
    await this.delivery.start();
    await this.tick();
  }

  async stop(deadlineMs: number): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#serial.catch(() => undefined);
    await this.delivery.stop(deadlineMs);
  }

  /** Runs `fn` after every earlier state change, so rounds never interleave. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.#serial.then(fn, fn);
    this.#serial = next.catch(() => undefined);
    return next;
  }

  /** Internal alerts (SLA engine, analyzers): Alertmanager's model, through the API rules. */
  ingest(alerts: Alert[]): Promise<void> {
    const now = this.#o.clock.now();
    return this.ingestRouterAlerts(alerts.map((a) => fromIncoming(a, now, this.#resolveTimeoutMs)));
  }

  ingestRouterAlerts(list: RouterAlert[]): Promise<void> {
    return this.#exclusive(async () => {
      const now = this.#o.clock.now();
      const merged = list.map((a) => this.dispatcher.ingest(a, now));
      await this.#round(now, merged);
      this.#m?.ingested.inc(list.length);
    });
  }

  /** Flushes whatever is due now and re-arms the timer. */
  tick(): Promise<void> {
    return this.#exclusive(async () => {
      await this.#applyAcks();
      await this.#round(this.#o.clock.now());
    });
  }

  /**
   * Runs due groups and commits, in ONE transaction, the alerts just taken (`saved`), the round's
   * state and its notification rows: with `group_wait: 0s` every ingest is also a round, and one
   * commit instead of two per batch is a measurable share of the ingest cost.
   */
  async #round(now: number, saved: RouterAlert[] = []): Promise<void> {
    const d = this.dispatcher;
    const due = (d.nextDueAt() ?? Infinity) <= now;
    if (!due && saved.length === 0) return this.#arm();
    const intents = due ? d.runDue(now) : [];
    const rows = intents.flatMap((i) => this.#rowsFor(i, now));
    const round = {
      nflog: [...d.nflogDirty],
      touched: [...d.touched],
      removed: [...d.removed],
      alertsRemoved: [...d.alertsRemoved],
    };
    d.nflogDirty.clear();
    d.touched.clear();
    d.removed.clear();
    d.alertsRemoved.clear();
    const obsolete = this.delivery.retryingFor(rows);
    await this.#db.transaction().execute(async (trx) => {
      const t = trx as unknown as AlertingDb;
      // Alerts first: a round may delete a resolved alert saved in this same batch.
      await saveAlerts(t, saved);
      await saveRound(t, round, now);
      await supersede(t, obsolete);
      await insertNotifications(t, rows);
    });
    this.delivery.superseded(obsolete);
    if (rows.length > 0) this.delivery.enqueued(rows);
    this.#arm();
  }

  #rowsFor(intent: NotifyIntent, now: number): NotificationRow[] {
    const id = randomUUID();
    const secret = this.#o.config.vigil?.ack_secret;
    // The link binds to this firing episode (the time its first page went out) and expires.
    const ttl = this.#o.config.vigil?.ack_link_ttl ?? 86_400_000;
    const episode = intent.group.pagedAt ?? intent.at;
    const ack =
      secret && this.externalURL
        ? ackLinkUrl(this.externalURL, secret.reveal(), intent.group.id, episode, now + ttl)
        : undefined;
    return [newRow(buildMessage(intent, id, this.externalURL, ack), intent.integration.key, now)];
  }

  #arm(): void {
    if (!this.#running) return;
    if (this.#timer) clearTimeout(this.#timer);
    const now = this.#o.clock.now();
    const next = Math.min(this.dispatcher.nextDueAt() ?? Infinity, now + (this.#o.ackPollMs ?? 2000));
    this.#timer = setTimeout(
      () => {
        this.tick().catch((err: unknown) =>
          this.#o.log.error({ err: errorMessage(err) }, 'alert router round failed'),
        );
      },
      Math.max(0, next - now),
    );
    this.#timer.unref?.();
  }

  /**
   * Records an acknowledgement (CLI, API or signed link). `idOrNotification` is a group id or the
   * id of a notification sent for the group. Returns the group id.
   */
  async acknowledge(idOrNotification: string, by: string, via: string): Promise<string> {
    const groupId = await resolveGroupId(this.#db, idOrNotification);
    await recordAck(this.#db, groupId, by, via, this.#o.clock.now());
    await this.tick();
    return groupId;
  }

  /** Applies acknowledgements recorded since the last look, from this or another process. */
  async #applyAcks(): Promise<void> {
    const acks = await this.#db
      .selectFrom('alerting_acks')
      .selectAll()
      .where('id', '>', this.#lastAckId)
      .orderBy('id')
      .execute();
    for (const a of acks) {
      this.#lastAckId = Math.max(this.#lastAckId, Number(a.id));
      const g = this.dispatcher.acknowledge(a.group_id, a.acked_by, Number(a.acked_at));
      if (!g) continue;
      const rows = ackRows(g, this.#integrations, this.externalURL, Number(a.acked_at));
      await this.#db.transaction().execute(async (trx) => {
        await saveRound(
          trx as unknown as AlertingDb,
          { nflog: [], touched: [g], removed: [], alertsRemoved: [] },
          Number(a.acked_at),
        );
        await insertNotifications(trx as unknown as AlertingDb, rows);
      });
      this.dispatcher.touched.delete(g);
      this.delivery.enqueued(rows);
      this.#o.log.info({ group: g.id, by: a.acked_by, via: a.via }, 'alert group acknowledged');
    }
  }

  /** Alerts as Alertmanager's GET /api/v2/alerts shows them. */
  listAlerts(): ApiAlertStatus[] {
    const now = this.#o.clock.now();
    return [...this.dispatcher.alerts.values()].map((a) => {
      const { silencedBy, inhibitedBy } = this.dispatcher.mutedBy(a, now);
      const api = toApiAlert(a, now);
      const state = silencedBy.length > 0 || inhibitedBy.length > 0 ? 'suppressed' : 'active';
      return {
        ...api,
        endsAt: new Date(a.endsAt).toISOString(),
        updatedAt: new Date(a.updatedAt).toISOString(),
        receivers: this.#receiversOf(a).map((name) => ({ name })),
        status: { state, silencedBy, inhibitedBy },
      };
    });
  }

  #receiversOf(a: RouterAlert): string[] {
    const out = new Set<string>();
    for (const g of this.dispatcher.groups.values())
      if (g.alerts.has(a.fingerprint)) out.add(g.route.opts.receiver);
    return [...out];
  }

  async setSilence(input: Omit<Silence, 'id' | 'updatedAt'> & { id?: string }): Promise<string> {
    return this.#exclusive(async () => {
      const { id, changed } = this.silences.set(input, this.#o.clock.now());
      await saveSilences(this.#db, changed);
      return id;
    });
  }

  async expireSilence(id: string): Promise<void> {
    return this.#exclusive(async () => {
      const s = this.silences.expire(id, this.#o.clock.now());
      if (s) await saveSilences(this.#db, [s]);
    });
  }
}

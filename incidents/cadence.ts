import type { Alert, AlertSink, Component, IncidentRecord, Logger } from '../core/index.js';
import { errorMessage } from '../core/index.js';
import type { IncidentsConfig } from './config.js';
import type { IncidentService } from './service.js';

/** Alert names of the update cadence: a reminder before an update is due, an escalation after. */
export const UPDATE_DUE_ALERT = 'IncidentUpdateDue';
export const UPDATE_OVERDUE_ALERT = 'IncidentUpdateOverdue';

/** When the next update of an incident is due (ms), or undefined when it needs none (resolved, accepted). */
export function nextUpdateDue(i: IncidentRecord, cadence: IncidentsConfig['cadence']): number | undefined {
  if (i.state === 'resolved' || i.state === 'accepted') return undefined;
  const from = i.lastUpdateAt ?? Date.parse(i.detectedAt);
  return from + cadence[i.priority];
}

function cadenceAlert(i: IncidentRecord, name: string, dueMs: number, nowMs: number): Alert {
  const overdue = name === UPDATE_OVERDUE_ALERT;
  return {
    labels: {
      alertname: name,
      severity: overdue ? 'critical' : 'warning',
      incident: i.id,
      customer: i.customerId,
      ...(i.owner ? { owner: i.owner } : {}),
    },
    annotations: {
      summary: overdue
        ? `incident ${i.id} (${i.priority}): the update to the customer was due at ${new Date(dueMs).toISOString()}`
        : `incident ${i.id} (${i.priority}): an update to the customer is due at ${new Date(dueMs).toISOString()}`,
    },
    startsAt: new Date(nowMs).toISOString(),
  };
}

/**
 * The update cadence (MKBackup 23.1g): for every open incident, a reminder alert to its owner
 * `remind_before` ahead of the due update and an escalation alert once it is overdue, each once
 * per update period. Which period was reminded/escalated is kept on the incident in the store,
 * so a restart sends neither twice.
 */
export class UpdateCadence implements Component {
  readonly name = 'incident-cadence';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: {
      service: IncidentService;
      config: IncidentsConfig;
      alerts: AlertSink;
      now: () => number;
      log: Logger;
      /** How often to look (real time); default 30 s. */
      everyMs?: number;
    },
  ) {}

  /** Looks at every open incident once; returns the alerts it sent. */
  async tick(): Promise<Alert[]> {
    const now = this.o.now();
    const sent: Alert[] = [];
    for (const i of await this.o.service.list({ open: true })) {
      const due = nextUpdateDue(i, this.o.config.cadence);
      if (due === undefined) continue;
      const period = i.lastUpdateAt ?? Date.parse(i.detectedAt);
      if (now >= due && i.escalatedAt !== period) {
        sent.push(cadenceAlert(i, UPDATE_OVERDUE_ALERT, due, now));
        await this.o.service.markCadence(i.id, { remindedAt: period, escalatedAt: period });
      } else if (now >= due - this.o.config.remind_before && now < due && i.remindedAt !== period) {
        sent.push(cadenceAlert(i, UPDATE_DUE_ALERT, due, now));
        await this.o.service.markCadence(i.id, { remindedAt: period });
      }
    }
    if (sent.length > 0) await this.o.alerts(sent);
    return sent;
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => {
      this.running = this.tick().then(
        () => undefined,
        (err: unknown) => this.o.log.error({ err: errorMessage(err) }, 'incident cadence check failed'),
      );
    }, this.o.everyMs ?? 30_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

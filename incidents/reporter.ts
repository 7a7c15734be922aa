import {
  errorMessage,
  listIncidentMessages,
  type Component,
  type IncidentRecord,
  type IncidentRecordsDb,
  type Logger,
} from '../core/index.js';
import type { Kysely } from 'kysely';
import type { CustomerOutbox } from './outbox.js';
import { reportHtml, reportJson, reportText, type ReportCustomer, type ReportKind } from './report.js';
import { reportPdf } from './report-pdf.js';
import type { IncidentService } from './service.js';

/** A customer with the contacts its reports go to (from `customers:`). */
export interface CustomerContacts extends ReportCustomer {
  contacts: Array<{ name: string; email: string }>;
}

/**
 * Tells customers about their incidents (S11, MKBackup 24.5): a security incident still
 * `detected` gets its report queued to each of its own customer's contacts, then becomes
 * `reported`. A report already queued (e.g. before a crash) is not queued again. Each report is
 * built from that one incident and that one customer only.
 */
export class CustomerReporter implements Component {
  readonly name = 'incident-reporter';
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: {
      service: IncidentService;
      outbox: CustomerOutbox;
      db: Kysely<IncidentRecordsDb>;
      customers: readonly CustomerContacts[];
      log: Logger;
      /** How often to look (real time); app/ keeps it well under `report_delay`. */
      everyMs: number;
    },
  ) {}

  /** Queues due reports, then sends what the outbox holds. */
  async tick(): Promise<void> {
    for (const i of await this.o.service.list({ open: true })) {
      if (i.kind !== 'security' || i.state !== 'detected') continue;
      const customer = this.o.customers.find((c) => c.id === i.customerId);
      if (!customer) {
        this.o.log.warn(
          { incident: i.id, customer: i.customerId },
          'incident of an unknown customer: no report sent',
        );
        continue;
      }
      const queued = await listIncidentMessages(this.o.db, { incidentId: i.id });
      if (!queued.some((m) => m.kind === 'security-report')) await this.queue(i, customer, 'security-report');
      await this.o.service.step(i.id, 'reported', 'vigil');
    }
    await this.o.outbox.flush();
  }

  /** Queues one report of an incident to each contact of its customer. */
  async queue(i: IncidentRecord, customer: CustomerContacts, kind: ReportKind): Promise<void> {
    const json = reportJson(i, customer, kind);
    const pdf = await reportPdf(json);
    for (const c of customer.contacts) {
      await this.o.outbox.enqueue(
        {
          to: `${c.name} <${c.email}>`,
          subject: reportText(json).split('\n')[0]!,
          text: reportText(json),
          html: reportHtml(json),
          attachments: [{ filename: `${i.id}.pdf`, contentType: 'application/pdf', content: pdf }],
        },
        { incidentId: i.id, customerId: customer.id, kind },
      );
    }
  }

  async start(): Promise<void> {
    this.timer = setInterval(() => {
      this.running = this.tick().catch((err: unknown) =>
        this.o.log.error({ err: errorMessage(err) }, 'customer reporting failed'),
      );
    }, this.o.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

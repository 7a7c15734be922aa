import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import {
  dueIncidentMessages,
  errorMessage,
  insertIncidentMessage,
  recordIncidentMessageAttempt,
  type IncidentRecordsDb,
  type Logger,
} from '../core/index.js';

/** One email to one customer contact. */
export interface CustomerMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** The outcome of one attempt; 5xx-like failures are not retried. */
export type SendResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

/** Sends one mail (app/ or the domain's SMTP transport). */
export type MailTransport = (m: CustomerMail) => Promise<SendResult>;

interface StoredMail extends Omit<CustomerMail, 'attachments'> {
  attachments: Array<{ filename: string; contentType: string; base64: string }>;
}

/** SHA-256 over what the customer receives (subject, text, html, attachments), kept as evidence. */
export function mailHash(m: CustomerMail): string {
  const h = createHash('sha256').update(m.subject).update('\0').update(m.text).update('\0').update(m.html);
  for (const a of m.attachments) h.update('\0').update(a.filename).update('\0').update(a.content);
  return h.digest('hex');
}

/** What a queued mail is about. */
export interface MailMeta {
  incidentId: string | null;
  customerId: string;
  kind: string;
}

/**
 * Queues a mail in the outbox (a row with its content hash, `pending`); the running vigil's
 * reporter sends it. Also used by commands, which only queue.
 */
export async function enqueueCustomerMail(
  db: Kysely<IncidentRecordsDb>,
  m: CustomerMail,
  meta: MailMeta,
  now: number,
): Promise<number> {
  const stored: StoredMail = {
    ...m,
    attachments: m.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      base64: a.content.toString('base64'),
    })),
  };
  return insertIncidentMessage(db, {
    incident_id: meta.incidentId,
    customer_id: meta.customerId,
    kind: meta.kind,
    channel: 'email',
    recipient: m.to,
    subject: m.subject,
    content_sha256: mailHash(m),
    created_at: now,
    delivered_at: null,
    result: 'pending',
    payload: JSON.stringify(stored),
    attempts: 0,
    next_attempt_at: now,
    attempt_log: '[]',
  });
}

/**
 * A durable outbox of messages to customers (issue 12). A message is a row (content, hash) before
 * it is sent; each attempt is logged on the row; retryable failures back off exponentially up to
 * `maxAttempts`; a restart resends what is still pending. At-least-once: the Message-ID header
 * stays the same across attempts, so a mail server or reader can drop a duplicate.
 */
export class CustomerOutbox {
  constructor(
    private readonly o: {
      db: Kysely<IncidentRecordsDb>;
      send: MailTransport;
      now: () => number;
      log: Logger;
      maxAttempts?: number;
      retryInitialMs?: number;
    },
  ) {}

  /** Queues a mail; returns the message id. */
  async enqueue(m: CustomerMail, meta: MailMeta): Promise<number> {
    return enqueueCustomerMail(this.o.db, m, meta, this.o.now());
  }

  /** Sends every due pending message once; returns how many were delivered. */
  async flush(): Promise<number> {
    let delivered = 0;
    for (const row of await dueIncidentMessages(this.o.db, this.o.now())) {
      const stored = JSON.parse(row.payload) as StoredMail;
      const mail: CustomerMail = {
        ...stored,
        attachments: stored.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: Buffer.from(a.base64, 'base64'),
        })),
      };
      let res: SendResult;
      try {
        res = await this.o.send(mail);
      } catch (err) {
        res = { ok: false, retryable: true, reason: errorMessage(err) };
      }
      const now = this.o.now();
      const attempts = row.attempts + 1;
      const log = [
        ...(JSON.parse(row.attempt_log) as unknown[]),
        { at: new Date(now).toISOString(), ok: res.ok, ...(res.ok ? {} : { reason: res.reason }) },
      ];
      const giveUp = !res.ok && (!res.retryable || attempts >= (this.o.maxAttempts ?? 10));
      const result = res.ok ? 'delivered' : giveUp ? `failed: ${res.reason}` : 'pending';
      await recordIncidentMessageAttempt(this.o.db, {
        id: row.id,
        result,
        deliveredAt: res.ok ? now : null,
        attempts,
        nextAttemptAt: now + (this.o.retryInitialMs ?? 30_000) * 2 ** Math.min(attempts - 1, 8),
        attemptLog: JSON.stringify(log),
      });
      if (res.ok) delivered++;
      else
        this.o.log.warn(
          { message: row.id, to: row.recipient, reason: res.reason, giveUp },
          'customer message not delivered',
        );
    }
    return delivered;
  }
}

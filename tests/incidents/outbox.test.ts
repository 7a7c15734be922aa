import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { listIncidentMessages, silentLogger, type IncidentRecordsDb } from '../../core/index.js';
import { CustomerOutbox, type CustomerMail, type SendResult } from '../../incidents/index.js';
import { describeStores } from '../helpers/stores.js';

const mail: CustomerMail = {
  to: 'A <a@acme.example>',
  subject: 's',
  text: 't',
  html: '<p>h</p>',
  attachments: [{ filename: 'r.pdf', contentType: 'application/pdf', content: Buffer.from([0, 1, 2, 255]) }],
};

describeStores('customer outbox', (getStore) => {
  it('retries a temporary failure after the backoff, over a restart, and logs every attempt', async () => {
    let now = 1_000_000;
    const db = getStore().db as Kysely<IncidentRecordsDb>;
    const results: SendResult[] = [
      { ok: false, retryable: true, reason: 'SMTP 451 try later' },
      { ok: true },
    ];
    const got: CustomerMail[] = [];
    const make = () =>
      new CustomerOutbox({
        db,
        now: () => now,
        log: silentLogger(),
        send: async (m) => {
          got.push(m);
          return results.shift()!;
        },
      });
    await make().enqueue(mail, { incidentId: 'INC-1', customerId: 'acme', kind: 'security-report' });
    expect(await make().flush()).toBe(0);
    now += 29_999;
    expect(await make().flush()).toBe(0); // not due yet: nothing sent
    expect(got).toHaveLength(1);
    now += 1;
    expect(await make().flush()).toBe(1);
    expect(got[1]!.attachments[0]!.content.equals(mail.attachments[0]!.content)).toBe(true);
    const [row] = await listIncidentMessages(db, { incidentId: 'INC-1' });
    expect(row).toMatchObject({ result: 'delivered', attempts: 2, delivered_at: 1_030_000 });
    expect((JSON.parse(row!.attempt_log) as { ok: boolean }[]).map((a) => a.ok)).toEqual([false, true]);
    expect(await make().flush()).toBe(0);
  });

  it('gives up at once on a permanent failure', async () => {
    const db = getStore().db as Kysely<IncidentRecordsDb>;
    const box = new CustomerOutbox({
      db,
      now: () => 5,
      log: silentLogger(),
      send: async () => ({ ok: false, retryable: false, reason: 'SMTP 550 no such user' }),
    });
    await box.enqueue(mail, { incidentId: null, customerId: 'acme', kind: 'change-notice' });
    await box.flush();
    const [row] = await listIncidentMessages(db);
    expect(row!.result).toBe('failed: SMTP 550 no such user');
  });
});

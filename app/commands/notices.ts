import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import {
  VigilError,
  errorMessage,
  listIncidentMessages,
  systemClock,
  type IncidentRecordsDb,
} from '../../core/index.js';
import {
  changeNoticeMail,
  checkChangeNotice,
  enqueueCustomerMail,
  type CustomerContacts,
} from '../../incidents/index.js';
import { placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';

function fail(cmd: string, err: unknown): void {
  process.stderr.write(`vigil notice ${cmd}: ${errorMessage(err)}\n`);
  process.exitCode = 2;
}

/** `vigil notice change | list` (issue 12): change notices queued to customers, and every message kept. */
export function registerNoticeCommands(program: Command): void {
  const notice = program
    .command('notice')
    .description('notices to customers: changes; every message kept as evidence');

  placeOptions(
    notice
      .command('change')
      .description(
        "queue a change notice to a customer's contacts; refused under one month's notice unless --force",
      )
      .requiredOption('--customer <id>', 'customer id')
      .requiredOption('--effective <date>', 'when the change takes effect (ISO 8601 date or time)')
      .requiredOption('--text <text>', 'what changes')
      .option('--force', 'send under one month anyway, flagged as late'),
  ).action(
    async (opts: PlaceOptions & { customer: string; effective: string; text: string; force?: boolean }) => {
      try {
        const effective = Date.parse(opts.effective);
        if (Number.isNaN(effective))
          throw new VigilError('INC_ARGS', `--effective "${opts.effective}" is not an ISO 8601 date`);
        const now = systemClock.now();
        const { late } = checkChangeNotice(now, effective, opts.force === true);
        const ids = await withCliStore(opts, async (config, store) => {
          const c = ((config?.customers as CustomerContacts[] | undefined) ?? []).find(
            (x) => x.id === opts.customer,
          );
          if (!c)
            throw new VigilError('INC_ARGS', `--customer "${opts.customer}" is not a customer in the config`);
          if (c.contacts.length === 0)
            throw new VigilError('INC_ARGS', `customer "${c.id}" has no contacts in the config`);
          const out: number[] = [];
          for (const k of c.contacts)
            out.push(
              await enqueueCustomerMail(
                store.db as Kysely<IncidentRecordsDb>,
                changeNoticeMail({
                  to: `${k.name} <${k.email}>`,
                  customerName: c.name,
                  language: c.language ?? 'nl',
                  effectiveMs: effective,
                  text: opts.text,
                  late,
                }),
                { incidentId: null, customerId: c.id, kind: late ? 'change-notice-late' : 'change-notice' },
                now,
              ),
            );
          return out;
        });
        process.stdout.write(
          `queued ${ids.length} message(s)${late ? ' (flagged: under one month notice)' : ''}; vigil start delivers them\n`,
        );
      } catch (err) {
        fail('change', err);
      }
    },
  );

  placeOptions(
    notice
      .command('list')
      .description('every message to customers: time, kind, recipient, result, content hash')
      .option('--customer <id>', 'only this customer'),
  ).action(async (opts: PlaceOptions & { customer?: string }) => {
    try {
      const rows = await withCliStore(opts, (_c, store) =>
        listIncidentMessages(
          store.db as Kysely<IncidentRecordsDb>,
          opts.customer !== undefined ? { customerIds: [opts.customer] } : {},
        ),
      );
      for (const r of rows)
        process.stdout.write(
          `${new Date(Number(r.created_at)).toISOString()}\t${r.customer_id}\t${r.kind}\t${r.recipient}\t${r.result}\t${r.content_sha256}\t${r.subject}\n`,
        );
    } catch (err) {
      fail('list', err);
    }
  });
}

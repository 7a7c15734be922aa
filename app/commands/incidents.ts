import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import {
  ConfigError,
  VigilError,
  errorMessage,
  systemClock,
  type IncidentPriority,
  type IncidentRecord,
  type IncidentRecordsDb,
  type IncidentState,
} from '../../core/index.js';
import {
  IncidentService,
  reportHtml,
  reportJson,
  reportPdf,
  type ReportCustomer,
  type ReportLanguage,
} from '../../incidents/index.js';
import { issueLines } from '../load.js';
import { placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';

/** The actor of a CLI step: the OS user running vigil (DESIGN S12). */
const osActor = (): string => `os:${userInfo().username}`;

function fail(cmd: string, err: unknown): void {
  if (err instanceof ConfigError) for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
  else process.stderr.write(`vigil incident ${cmd}: ${errorMessage(err)}\n`);
  process.exitCode = 2;
}

function line(i: IncidentRecord): string {
  return `${i.id}\t${i.kind}\t${i.customerId}\t${i.priority}\t${i.state}\t${i.detectedAt}\t${i.title}`;
}

const withService = <T>(
  opts: PlaceOptions,
  fn: (s: IncidentService, customers: ReportCustomer[]) => Promise<T>,
) =>
  withCliStore(opts, (config, store) =>
    fn(
      new IncidentService(store.db as Kysely<IncidentRecordsDb>, systemClock),
      (config?.customers as ReportCustomer[] | undefined) ?? [],
    ),
  );

/** `vigil incident list|show|open|ack|update|resolve|report` (issue 12). */
export function registerIncidentCommands(program: Command): void {
  const inc = program
    .command('incident')
    .description('incidents: lifecycle, measures taken, customer reports');

  placeOptions(
    inc.command('list').description('incidents, newest first').option('--open', 'only not yet accepted'),
  ).action(async (opts: PlaceOptions & { open?: boolean }) => {
    try {
      const list = await withService(opts, (s) => s.list({ open: opts.open === true }));
      for (const i of list) process.stdout.write(`${line(i)}\n`);
    } catch (err) {
      fail('list', err);
    }
  });

  placeOptions(inc.command('show <id>').description('one incident with its timeline, as JSON')).action(
    async (id: string, opts: PlaceOptions) => {
      try {
        process.stdout.write(`${JSON.stringify(await withService(opts, (s) => s.get(id)), null, 2)}\n`);
      } catch (err) {
        fail('show', err);
      }
    },
  );

  placeOptions(
    inc
      .command('open')
      .description('open an incident by hand')
      .requiredOption('--customer <id>', 'customer id')
      .requiredOption('--kind <kind>', 'availability or security')
      .requiredOption('--title <text>', 'what happened')
      .option('--priority <P>', 'P1–P4', 'P2')
      .option('--service <id>', 'the customer service concerned')
      .option('--reported-by-customer <iso>', 'the customer reported it at this time (starts the downtime)'),
  ).action(
    async (
      opts: PlaceOptions & {
        customer: string;
        kind: string;
        title: string;
        priority: string;
        service?: string;
        reportedByCustomer?: string;
      },
    ) => {
      try {
        if (opts.kind !== 'availability' && opts.kind !== 'security')
          throw new VigilError('INC_ARGS', `--kind "${opts.kind}" must be availability or security`);
        if (!/^P[1-4]$/.test(opts.priority))
          throw new VigilError('INC_ARGS', `--priority "${opts.priority}" must be P1–P4`);
        const reported =
          opts.reportedByCustomer !== undefined ? Date.parse(opts.reportedByCustomer) : undefined;
        if (reported !== undefined && Number.isNaN(reported))
          throw new VigilError(
            'INC_ARGS',
            `--reported-by-customer "${opts.reportedByCustomer}" is not an ISO 8601 time`,
          );
        const rec = await withService(opts, async (s, customers) => {
          if (!customers.some((c) => c.id === opts.customer))
            throw new VigilError('INC_ARGS', `--customer "${opts.customer}" is not a customer in the config`);
          return s.open({
            kind: opts.kind as IncidentRecord['kind'],
            customerId: opts.customer,
            priority: opts.priority as IncidentPriority,
            title: opts.title,
            actor: osActor(),
            ...(opts.service !== undefined ? { serviceId: opts.service } : {}),
            ...(reported !== undefined ? { reportedByCustomerAtMs: reported } : {}),
          });
        });
        process.stdout.write(`${rec.id}\n`);
      } catch (err) {
        fail('open', err);
      }
    },
  );

  const steps: Array<[string, IncidentState | 'update', string]> = [
    ['ack', 'acknowledged', 'acknowledge (take ownership of) an incident'],
    ['update', 'update', 'record an update sent to the customer (restarts the update cadence)'],
    ['resolve', 'resolved', 'mark an incident resolved (the customer then accepts or rejects)'],
  ];
  for (const [name, to, description] of steps) {
    const c = inc
      .command(`${name} <id>`)
      .description(description)
      .option('--measure <text>', 'a measure taken');
    if (to === 'update') c.requiredOption('--text <text>', 'the update');
    placeOptions(c).action(async (id: string, opts: PlaceOptions & { measure?: string; text?: string }) => {
      try {
        const m = opts.measure !== undefined ? { measure: opts.measure } : {};
        const rec = await withService(opts, async (s) => {
          if (to === 'update') return s.update(id, osActor(), opts.text ?? '', m);
          // A detected incident that nobody reported yet is reported on acknowledgement by hand.
          const cur = await s.get(id);
          if (to === 'acknowledged' && cur.state === 'detected') await s.step(id, 'reported', osActor());
          return s.step(id, to, osActor(), m);
        });
        process.stdout.write(`${line(rec)}\n`);
      } catch (err) {
        fail(name, err);
      }
    });
  }

  placeOptions(
    inc
      .command('report <id>')
      .description('the customer report of an incident')
      .option('--format <fmt>', 'html, pdf or json', 'html')
      .option('--lang <lang>', 'nl or en (default: the customer language)'),
  ).action(async (id: string, opts: PlaceOptions & { format: string; lang?: string }) => {
    try {
      if (!['html', 'pdf', 'json'].includes(opts.format))
        throw new VigilError('INC_ARGS', `--format "${opts.format}" must be html, pdf or json`);
      if (opts.lang !== undefined && opts.lang !== 'nl' && opts.lang !== 'en')
        throw new VigilError('INC_ARGS', `--lang "${opts.lang}" must be nl or en`);
      const json = await withService(opts, async (s, customers) => {
        const i = await s.get(id);
        const c = customers.find((x) => x.id === i.customerId) ?? {
          id: i.customerId,
          name: i.customerId,
          language: 'nl',
        };
        const language = (opts.lang as ReportLanguage | undefined) ?? c.language ?? 'nl';
        return reportJson(
          i,
          { id: c.id, name: c.name, language },
          i.state === 'resolved' || i.state === 'accepted'
            ? 'final-report'
            : i.kind === 'security'
              ? 'security-report'
              : 'update',
        );
      });
      const body =
        opts.format === 'pdf'
          ? await reportPdf(json)
          : opts.format === 'html'
            ? reportHtml(json)
            : `${JSON.stringify(json, null, 2)}\n`;
      process.stdout.write(body);
    } catch (err) {
      fail('report', err);
    }
  });
}

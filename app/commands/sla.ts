import type { Command } from 'commander';
import {
  ConfigError,
  VigilError,
  errorMessage,
  systemClock,
  writeFileNoFollow,
  type Store,
} from '../../core/index.js';
import {
  announcePlannedDowntime,
  announceSchema,
  reportCsv,
  reportHtml,
  reportPdf,
  runSlaCompute,
  serviceMonthReport,
  slaServicesFrom,
  timeIntervalsFrom,
} from '../../sla/index.js';
import { issueLines } from '../load.js';
import { placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';
import type { LoadedConfig } from '../wire/types.js';

/** Prints an error in one sentence and sets exit code 2 (bad input or an error, DESIGN.md §7). */
function fail(cmd: string, err: unknown): void {
  if (err instanceof ConfigError) for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
  else process.stderr.write(`vigil ${cmd}: ${errorMessage(err)}\n`);
  process.exitCode = 2;
}

/** Runs `fn` with the config (required: services and policies live there) and the existing store. */
function withStore<T>(
  opts: PlaceOptions,
  fn: (config: LoadedConfig, store: Store) => Promise<T>,
): Promise<T> {
  return withCliStore(opts, (config, store, ctx) => {
    if (!config)
      throw new VigilError(
        'SLA_ARGS',
        `no config at ${ctx.places.configFile}: services and SLA policies come from it; pass --config or set $VIGIL_CONFIG`,
      );
    return fn(config, store);
  });
}

/** `vigil sla compute | report | downtime announce` (DESIGN.md §7). */
export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('SLA figures: availability, latency, error budget, reports');

  sla
    .command('compute')
    .description(
      'pure SLA computation from a results file (JSONL) and a policy file; exit 0 met, 1 not met, 2 bad input',
    )
    .requiredOption(
      '--results <file>',
      'probe results, one JSON object a line: {"ts","ok","totalMs","location"?}',
    )
    .requiredOption(
      '--policy <file>',
      'policy file (YAML): time_intervals, policy, probe_interval, planned_downtimes',
    )
    .option('--from <iso>', 'window start (ISO 8601)')
    .option('--to <iso>', 'window end (ISO 8601, exclusive)')
    .option('--json', 'print JSON (the only output format; accepted for the documented form)')
    .action(async (opts: { results: string; policy: string; from?: string; to?: string }) => {
      try {
        const args: Parameters<typeof runSlaCompute>[0] = { results: opts.results, policy: opts.policy };
        if (opts.from !== undefined) args.from = opts.from;
        if (opts.to !== undefined) args.to = opts.to;
        const r = await runSlaCompute(args);
        process.stdout.write(`${JSON.stringify(r.json)}\n`);
        process.exitCode = r.exitCode;
      } catch (err) {
        fail('sla compute', err);
      }
    });

  const report = sla
    .command('report')
    .description('month report of one service from the store; exit 0 met, 1 not met, 2 error')
    .requiredOption('--service <id>', 'service id')
    .requiredOption('--month <YYYY-MM>', 'calendar month in the policy time zone')
    .option('--format <fmt>', 'html, pdf, csv or json', 'json')
    .option('--out <file>', 'write to this file instead of stdout');
  placeOptions(report).action(
    async (
      opts: PlaceOptions & {
        service: string;
        month: string;
        format: string;
        out?: string;
      },
    ) => {
      try {
        if (!['html', 'pdf', 'csv', 'json'].includes(opts.format))
          throw new VigilError('SLA_ARGS', `--format "${opts.format}" must be html, pdf, csv or json`);
        const report = await withStore(opts, async (config, store) => {
          const svc = slaServicesFrom(config).find((s) => s.id === opts.service);
          if (!svc)
            throw new VigilError(
              'SLA_ARGS',
              `--service "${opts.service}" is not a service with an SLA policy in ${config.__file}`,
            );
          return serviceMonthReport({
            store,
            service: svc,
            timeIntervals: timeIntervalsFrom(config),
            month: opts.month,
            nowMs: systemClock.now(),
          });
        });
        const body =
          opts.format === 'pdf'
            ? await reportPdf(report)
            : opts.format === 'html'
              ? reportHtml(report)
              : opts.format === 'csv'
                ? reportCsv(report)
                : `${JSON.stringify(report, null, 2)}\n`;
        if (opts.out) await writeFileNoFollow(opts.out, body);
        else process.stdout.write(body);
        process.exitCode = report.availabilityMet && report.latencyMet ? 0 : 1;
      } catch (err) {
        fail('sla report', err);
      }
    },
  );

  const downtime = sla.command('downtime').description('planned downtime (S8)');
  const announce = downtime
    .command('announce')
    .description('announce a planned downtime; under the policy notice (default 12 h) it counts as unplanned')
    .requiredOption('--service <id>', 'service id')
    .requiredOption('--start <iso>', 'start (ISO 8601)')
    .requiredOption('--end <iso>', 'end (ISO 8601)')
    .requiredOption('--reason <text>', 'why');
  placeOptions(announce).action(
    async (
      opts: PlaceOptions & {
        service: string;
        start: string;
        end: string;
        reason: string;
      },
    ) => {
      try {
        const body = announceSchema.safeParse({
          service: opts.service,
          start: opts.start,
          end: opts.end,
          reason: opts.reason,
        });
        if (!body.success) {
          const i = body.error.issues[0]!;
          throw new VigilError('SLA_ARGS', `--${String(i.path[0])}: ${i.message}`);
        }
        const a = await withStore(opts, (config, store) =>
          announcePlannedDowntime(store, slaServicesFrom(config), body.data, systemClock.now()),
        );
        process.stdout.write(`${JSON.stringify(a)}\n`);
        if (a.countsAs === 'unplanned') {
          process.stderr.write(
            `vigil sla downtime announce: announced ${(a.noticeSeconds / 3600).toFixed(2)} h ahead, under the required ${a.requiredNoticeSeconds / 3600} h: it counts as unplanned downtime\n`,
          );
        }
      } catch (err) {
        fail('sla downtime announce', err);
      }
    },
  );
}

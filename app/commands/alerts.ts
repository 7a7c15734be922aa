import type { Command } from 'commander';
import { ConfigError, VigilError, errorMessage } from '../../core/index.js';
import { CliExit } from '../cli-exit.js';
import {
  loadAlertingFile,
  notificationLog,
  parseLabelArgs,
  recordAck,
  resolveGroupId,
  routeTest,
  type AlertingDb,
} from '../../alerting/index.js';
import { placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';
import { registerTemplateCommands } from './alerts-template.js';

function fail(err: unknown): never {
  if (err instanceof ConfigError)
    for (const i of err.issues) console.error(`${i.file}:${i.line}:${i.col}: ${i.message}`);
  else console.error(errorMessage(err));
  throw new CliExit(2);
}

/** An optional ISO 8601 option as epoch ms; a value that is not a time is bad input, not "no filter". */
function cliTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new VigilError('APP_ARGS', `${name} "${value}" is not an ISO 8601 time`);
  return ms;
}

/** `vigil alerts ...`: route-test (amtool-compatible), ack, log. */
export function registerAlertCommands(program: Command): void {
  const alerts = program
    .command('alerts')
    .description('alert routing: test routes, acknowledge pages, export the notification log');
  registerTemplateCommands(alerts);

  alerts
    .command('route-test')
    .description(
      'print the receivers an alert with these labels reaches, comma-separated on the last line (as amtool config routes test)',
    )
    .requiredOption(
      '--config <file>',
      'an Alertmanager config file, or a vigil config with an alerting: section',
    )
    .option('--verify-receivers <list>', 'exit 1 unless the receivers are exactly this comma-separated list')
    .argument('[labels...]', 'label=value pairs')
    .action((labels: string[], opts: { config: string; verifyReceivers?: string }) => {
      let receivers: string[];
      try {
        const loaded = loadAlertingFile(opts.config);
        for (const w of loaded.warnings) console.error(`warning: ${w}`);
        receivers = routeTest(loaded.config, parseLabelArgs(labels));
      } catch (err) {
        fail(err);
      }
      const slug = receivers.join(',');
      console.log(slug);
      if (opts.verifyReceivers !== undefined && opts.verifyReceivers !== slug) {
        console.log('WARNING: Expected receivers did not match resolved receivers.');
        process.exitCode = 1;
      }
    });

  placeOptions(
    alerts
      .command('ack')
      .description('acknowledge an alert group (stops escalation; PagerDuty/Opsgenie are told)')
      .argument('<id>', 'a group id, or the id of a notification sent for the group')
      .requiredOption('--by <name>', 'who acknowledges'),
  ).action(async (id: string, opts: PlaceOptions & { by: string }) => {
    try {
      await withCliStore(opts, async (_config, store) => {
        const db = store.db as AlertingDb;
        const groupId = await resolveGroupId(db, id);
        await recordAck(db, groupId, opts.by, 'cli', Date.now());
        console.log(`acknowledged ${groupId} by ${opts.by}`);
      });
    } catch (err) {
      fail(err);
    }
  });

  placeOptions(
    alerts
      .command('log')
      .description(
        'the notification log (every attempt, acknowledgements, time-to-page/-acknowledge) as JSON lines',
      )
      .option('--group <id>', 'only this alert group')
      .option('--from <iso>', 'created at or after')
      .option('--to <iso>', 'created before'),
  ).action(async (opts: PlaceOptions & { group?: string; from?: string; to?: string }) => {
    try {
      const fromMs = cliTime('--from', opts.from);
      const toMs = cliTime('--to', opts.to);
      const entries = await withCliStore(opts, (_config, store) =>
        notificationLog(store.db as AlertingDb, { groupId: opts.group, fromMs, toMs }),
      );
      for (const e of entries) process.stdout.write(`${JSON.stringify(e)}\n`);
    } catch (err) {
      fail(err);
    }
  });
}

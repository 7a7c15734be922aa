import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Command } from 'commander';
import { ConfigError, VigilError, errorMessage, openStore } from '../../core/index.js';
import {
  loadAlertingFile,
  notificationLog,
  parseLabelArgs,
  recordAck,
  resolveGroupId,
  routeTest,
  type AlertingDb,
} from '../../alerting/index.js';
import { registerTemplateCommands } from './alerts-template.js';

function fail(err: unknown): never {
  if (err instanceof ConfigError)
    for (const i of err.issues) console.error(`${i.file}:${i.line}:${i.col}: ${i.message}`);
  else console.error(errorMessage(err));
  process.exit(2);
}

/** The store named by --store, or by `store.url` in the vigil config given with --config. */
function storeUrl(opts: { store?: string; config?: string }): string {
  if (opts.store) return opts.store;
  if (!opts.config)
    throw new VigilError('APP_ARGS', 'give --store URL or --config FILE (a vigil config with store.url)');
  const top = parseYaml(readFileSync(opts.config, 'utf8')) as { store?: { url?: string } } | null;
  return top?.store?.url ?? 'sqlite:vigil.db';
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

  alerts
    .command('ack')
    .description('acknowledge an alert group (stops escalation; PagerDuty/Opsgenie are told)')
    .argument('<id>', 'a group id, or the id of a notification sent for the group')
    .requiredOption('--by <name>', 'who acknowledges')
    .option('--config <file>', 'vigil config (its store.url is used)')
    .option('--store <url>', 'store URL (sqlite:PATH or postgres://...)')
    .action(async (id: string, opts: { by: string; config?: string; store?: string }) => {
      try {
        const store = await openStore(storeUrl(opts));
        try {
          const db = store.db as AlertingDb;
          const groupId = await resolveGroupId(db, id);
          await recordAck(db, groupId, opts.by, 'cli', Date.now());
          console.log(`acknowledged ${groupId} by ${opts.by}`);
        } finally {
          await store.close();
        }
      } catch (err) {
        fail(err);
      }
    });

  alerts
    .command('log')
    .description(
      'the notification log (every attempt, acknowledgements, time-to-page/-acknowledge) as JSON lines',
    )
    .option('--config <file>', 'vigil config (its store.url is used)')
    .option('--store <url>', 'store URL')
    .option('--group <id>', 'only this alert group')
    .option('--from <iso>', 'created at or after')
    .option('--to <iso>', 'created before')
    .action(async (opts: { config?: string; store?: string; group?: string; from?: string; to?: string }) => {
      try {
        const store = await openStore(storeUrl(opts));
        try {
          const entries = await notificationLog(store.db as AlertingDb, {
            groupId: opts.group,
            fromMs: opts.from ? Date.parse(opts.from) : undefined,
            toMs: opts.to ? Date.parse(opts.to) : undefined,
          });
          for (const e of entries) console.log(JSON.stringify(e));
        } finally {
          await store.close();
        }
      } catch (err) {
        fail(err);
      }
    });
}

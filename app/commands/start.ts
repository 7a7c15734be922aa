import type { Command } from 'commander';
import { ConfigError, createLogger, errorMessage, type Logger } from '../../core/index.js';
import { issueLines, loadVigilConfig } from '../load.js';
import { cliPlaces } from '../paths.js';
import { startRuntime, type Runtime } from '../runtime.js';

/** How long a stop may take before vigil exits anyway (the issue asks for exit 0 within 10 s). */
const STOP_DEADLINE_MS = 8000;

/** `vigil start`: the whole system in one process; SIGHUP reloads, SIGTERM/SIGINT stop cleanly. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('run vigil: probes, SLA engine, alert routing, analyzers and the web server in one process')
    .option('-c, --config <file>', 'config file (default: $VIGIL_CONFIG, else ./vigil.yaml)')
    .option(
      '-d, --data <dir>',
      'data directory (the SQLite store and state live here; default: $VIGIL_DATA, else ./data)',
    )
    .action(async (opts: { config?: string; data?: string }) => {
      // The same rule every other command follows (app/paths.ts), so they find this store.
      const places = cliPlaces(opts);
      let config;
      try {
        config = loadVigilConfig(places.configFile);
      } catch (err) {
        if (err instanceof ConfigError) for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
        process.stderr.write(`vigil start: not started: ${errorMessage(err).split('\n')[0]}\n`);
        process.exitCode = 2;
        return;
      }
      const level = (config.log as { level?: string } | undefined)?.level;
      const log = createLogger({ level: process.env.VIGIL_LOG_LEVEL ?? level ?? 'info' });
      const dataDir = places.dataDir;
      let runtime: Runtime;
      try {
        runtime = await startRuntime(config, { dataDir, log });
      } catch (err) {
        log.fatal({ err: errorMessage(err) }, 'vigil could not start');
        process.stderr.write(`vigil start: ${errorMessage(err)}\n`);
        process.exitCode = 2;
        return;
      }
      installSignals(
        () => runtime,
        (r) => (runtime = r),
        places.configFile,
        dataDir,
        log,
      );
    });
}

function installSignals(
  current: () => Runtime,
  replace: (r: Runtime) => void,
  configFile: string,
  dataDir: string,
  log: Logger,
): void {
  let stopping = false;
  let reloading = Promise.resolve();
  const stop = (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal }, 'stopping: no new work, finishing what runs');
    const hard = setTimeout(() => {
      log.error('stop took too long; exiting');
      process.exit(1);
    }, STOP_DEADLINE_MS + 1500);
    hard.unref();
    void reloading
      .then(() => current().stop(STOP_DEADLINE_MS))
      .then(
        () => {
          log.info('stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err: errorMessage(err) }, 'error while stopping');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    reloading = reloading.then(() => reload(current, replace, configFile, dataDir, log));
  });
}

/** A bad config on reload keeps the running one and logs why (every problem, with its place). */
async function reload(
  current: () => Runtime,
  replace: (r: Runtime) => void,
  configFile: string,
  dataDir: string,
  log: Logger,
): Promise<void> {
  let next;
  try {
    next = loadVigilConfig(configFile);
  } catch (err) {
    const problems = err instanceof ConfigError ? issueLines(err) : [errorMessage(err)];
    log.error({ problems }, 'reload refused: the new config is invalid; the running config stays');
    return;
  }
  const old = current();
  await old.stop(STOP_DEADLINE_MS, { keepStore: true });
  try {
    replace(await startRuntime(next, { dataDir, log, store: old.store }));
    log.info('config reloaded');
  } catch (err) {
    log.error({ err: errorMessage(err) }, 'reload failed to start; starting again with the previous config');
    replace(await startRuntime(old.config, { dataDir, log, store: old.store }));
  }
}

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, createLogger, errorMessage, readSecretFile } from '../../core/index.js';
import {
  ProbeAgent,
  checkAgentServerUrl,
  probeJsonLine,
  probeTextLine,
  probesSectionSchema,
  resolveProbes,
  runAdHocProbes,
  type ProbesSettings,
  type ResolvedProbe,
  type ServicesConfig,
} from '../../probes/index.js';
import { issueLines, loadVigilConfig } from '../load.js';
import { cliPlaces } from '../paths.js';
import { registerProbeScriptCommand } from './probe-script.js';

function bad(cmd: string, message: string): void {
  process.stderr.write(`vigil ${cmd}: ${message}\n`);
  process.exitCode = 2;
}

function intOption(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`${name} must be an integer of at least ${min}, got "${value}"`);
  return n;
}

/** `vigil probe URL` and `vigil agent` (DESIGN.md §7, docs/probes.md). */
export function registerProbeCommands(program: Command): void {
  const probe = program
    .command('probe')
    .description('ad-hoc HTTP probes of a URL, timed by phase; exit 0 all ok, 1 any failed, 2 bad input')
    .argument('<url>', 'http:// or https:// URL')
    .option('--count <n>', 'number of probes', '1')
    .option('--concurrency <c>', 'probes at once', '1')
    .option('--interval <ms>', 'pause between probes of one worker, ms', '0')
    .option('--timeout <ms>', 'timeout of one probe, ms', '10000')
    .option('--json', 'one JSON object a line')
    .action(
      async (
        url: string,
        opts: { count: string; concurrency: string; interval: string; timeout: string; json?: boolean },
      ) => {
        let parsed;
        try {
          const u = new URL(url);
          if (u.protocol !== 'http:' && u.protocol !== 'https:')
            throw new Error(`"${url}" is not an http:// or https:// URL`);
          parsed = {
            count: intOption(opts.count, '--count', 1),
            concurrency: intOption(opts.concurrency, '--concurrency', 1),
            intervalMs: intOption(opts.interval, '--interval', 0),
            timeoutMs: intOption(opts.timeout, '--timeout', 1),
          };
        } catch (err) {
          bad('probe', err instanceof TypeError ? `"${url}" is not a URL` : errorMessage(err));
          return;
        }
        const failed = await runAdHocProbes(url, parsed, (r) => {
          process.stdout.write(`${opts.json ? probeJsonLine(r) : probeTextLine(r)}\n`);
        });
        process.exitCode = failed > 0 ? 1 : 0;
      },
    );
  registerProbeScriptCommand(probe);

  program
    .command('agent')
    .description(
      'run the probes of one location and push the results to the server (buffered on disk while it is unreachable)',
    )
    .requiredOption('--location <name>', "this agent's location id (locations[].id with agent: true)")
    .requiredOption('--server <url>', 'the vigil server, e.g. https://vigil.example:8080')
    .requiredOption('--token <file>', 'file holding the agent token')
    .option(
      '--ca <file>',
      "CA certificate (PEM) to trust for the server, e.g. its self-signed certificate's file",
    )
    .option('--config <file>', 'take the probes from this config file instead of the server')
    .option(
      '-d, --data <dir>',
      'data directory (the result buffer lives in <dir>/agent-<location>; default: $VIGIL_DATA, else ./data)',
    )
    .action(
      async (opts: {
        location: string;
        server: string;
        token: string;
        ca?: string;
        config?: string;
        data?: string;
      }) => {
        let token: string;
        let ca: string | undefined;
        let probes: ResolvedProbe[] | undefined;
        let settings: ProbesSettings = probesSectionSchema.parse({});
        try {
          checkAgentServerUrl(opts.server);
          token = readSecretFile(opts.token);
          if (opts.ca) ca = readFileSync(opts.ca, 'utf8');
          if (opts.config) {
            const config = loadVigilConfig(opts.config);
            settings = (config.probes as ProbesSettings | undefined) ?? settings;
            probes = resolveProbes((config.services as ServicesConfig | undefined) ?? [], settings.location);
          }
        } catch (err) {
          if (err instanceof ConfigError)
            for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
          bad('agent', errorMessage(err).split('\n')[0] ?? '');
          return;
        }
        const log = createLogger({ name: 'vigil-agent' });
        const agent = new ProbeAgent({
          location: opts.location,
          serverUrl: opts.server,
          token,
          ...(ca ? { ca } : {}),
          bufferDir: resolve(cliPlaces(opts).dataDir, `agent-${opts.location}`),
          log,
          maxConcurrency: settings.max_concurrency,
          loopDelayThresholdMs: settings.loop_delay_threshold,
          ...(probes ? { probes } : {}),
        });
        try {
          await agent.start();
        } catch (err) {
          bad('agent', errorMessage(err));
          return;
        }
        await new Promise<void>((done) => {
          const stop = (): void => {
            void agent.stop(5000).finally(done);
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );
}

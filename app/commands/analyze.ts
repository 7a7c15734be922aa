import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { ConfigError, VigilError, errorMessage, writeFileNoFollow } from '../../core/index.js';
import {
  getRun,
  lastFinishedRun,
  listFindings,
  listRunReviews,
  listRuns,
  reviewRun,
  type AnalysisDb,
} from '../../core/index.js';
import {
  analyzersSchema,
  catExitCode,
  catLogs,
  formatProgress,
  runAnalysis,
  runReportHtml,
  runReportJson,
  type AnalyzersConfig,
  type CustomerNetworks,
} from '../../analyzers/index.js';
import { issueLines } from '../load.js';
import { cliContext, openCliStore, placeOptions, withCliStore, type PlaceOptions } from '../cli-store.js';

type StoreOpts = PlaceOptions;

/**
 * A progress line on stderr, redrawn in place, only when stderr is a terminal and the output is not
 * JSON (piped or `--json`: quiet, so scripts and logs see only results).
 */
function progressLine(json: boolean): { show(text: string): void; clear(): void } {
  const on = process.stderr.isTTY === true && !json;
  let shown = false;
  return {
    show(text) {
      if (!on) return;
      process.stderr.write(`\r\x1b[K${text}`);
      shown = true;
    },
    clear() {
      if (on && shown) process.stderr.write('\r\x1b[K');
      shown = false;
    },
  };
}

function fail(cmd: string, err: unknown): void {
  if (err instanceof ConfigError) for (const line of issueLines(err)) process.stderr.write(`${line}\n`);
  else process.stderr.write(`vigil ${cmd}: ${errorMessage(err)}\n`);
  process.exitCode = 2;
}

const storeOptions = (c: Command): Command => placeOptions(c);

/** The store of the analysis commands; they need no config beyond store.url, so a missing one is none. */
const withAnalysisStore = <T>(opts: StoreOpts, fn: Parameters<typeof withCliStore<T>>[1]): Promise<T> =>
  withCliStore(opts, fn, { optionalConfig: true });

/** `vigil logs cat` and `vigil analyze run | review | report | list` (DESIGN.md §7). */
export function registerAnalyzeCommands(program: Command): void {
  const logs = program.command('logs').description('IDS logs: Zeek TSV/JSON and Suricata EVE');
  logs
    .command('cat')
    .description(
      'Zeek TSV/JSON or Suricata EVE (plain or .gz; directories recursively) → normalised NDJSON; problems to stderr; exit 0 all read, 1 bad records, 2 a file could not be read',
    )
    .argument('<paths...>', 'log files or directories')
    .option('--json', 'NDJSON output (the only format; accepted for the documented form)')
    .action(async (paths: string[]) => {
      try {
        const bar = progressLine(false);
        const res = await catLogs(paths, {
          write: (text) =>
            process.stdout.write(text)
              ? undefined
              : new Promise<void>((r) => process.stdout.once('drain', r)),
          problem: (line) => {
            bar.clear();
            process.stderr.write(`${line}\n`);
          },
          progress: (p) => bar.show(`${p.filesDone}/${p.filesTotal} files, ${p.records} records`),
        });
        bar.clear();
        process.exitCode = catExitCode(res);
      } catch (err) {
        fail('logs cat', err);
      }
    });

  const analyze = program.command('analyze').description('IDS analysis runs: run, review (sign off), report');
  storeOptions(
    analyze
      .command('run')
      .description(
        'one analysis run now; prints the run and its findings; exit 0 no findings, 1 findings, 2 error',
      )
      .option('--analyzer <name>', 'analyzer name (runs and checkpoints are kept per name)', 'ids')
      .option('--input <paths...>', 'read these files instead of the configured ones')
      .option('--json', 'print one JSON object {run, findings}'),
  ).action(async (opts: StoreOpts & { analyzer: string; input?: string[]; json?: boolean }) => {
    try {
      // An ad-hoc run over --input needs no config and records its run, so it may create the store;
      // a run of the configured inputs works on the store `vigil start` made, never a new one.
      const ctx = cliContext(opts, { optionalConfig: opts.input !== undefined });
      const config = ctx.config;
      const cfg = (config?.analyzers as AnalyzersConfig | undefined) ?? analyzersSchema.parse({});
      const customers = ((config?.customers as CustomerNetworks[] | undefined) ?? []).map((c) => ({
        id: c.id,
        networks: c.networks,
      }));
      const bar = progressLine(opts.json === true);
      const inputs = opts.input?.map((p) => resolve(p));
      const store = await openCliStore(ctx, { create: opts.input !== undefined });
      const res = await runAnalysis({
        db: store.db as Kysely<AnalysisDb>,
        analyzer: opts.analyzer,
        config: cfg,
        customers,
        ...(inputs ? { inputs } : {}),
        onProgress: (p) => bar.show(formatProgress(p)),
      }).finally(() => store.close());
      bar.clear();
      if (opts.json) process.stdout.write(`${JSON.stringify({ run: res.run, findings: res.findings })}\n`);
      else {
        const r = res.run;
        process.stdout.write(
          `run ${r.id} ${r.status}: ${r.inputs.length} inputs, ${r.findings} findings (${r.newFindings} new)\n`,
        );
        for (const f of res.findings)
          process.stdout.write(`${f.severity.padEnd(8)} ${f.detector.padEnd(16)} ${f.title} ×${f.count}\n`);
      }
      for (const i of res.run.inputs)
        if (i.badRecords > 0) process.stderr.write(`${i.path}: ${i.badRecords} bad records\n`);
      process.exitCode = res.findings.length > 0 ? 1 : 0;
    } catch (err) {
      fail('analyze run', err);
    }
  });

  storeOptions(
    analyze
      .command('review')
      .description('record a review (sign-off) of a run')
      .argument('<run>', 'run id')
      .requiredOption('--by <name>', 'who reviewed it')
      .option('--note <text>', 'what was checked, what was done', ''),
  ).action(async (runId: string, opts: StoreOpts & { by: string; note: string }) => {
    try {
      const run = await withAnalysisStore(opts, (_config, store) =>
        reviewRun(store.db as Kysely<AnalysisDb>, runId, { by: opts.by, note: opts.note }),
      );
      process.stdout.write(`run ${run.id} reviewed by ${run.reviewedBy} at ${run.reviewedAt}\n`);
    } catch (err) {
      fail('analyze review', err);
    }
  });

  storeOptions(
    analyze
      .command('report')
      .description('report of a run (default: the latest finished run) for security officers')
      .argument('[run]', 'run id')
      .option('--analyzer <name>', 'analyzer of the latest run', 'ids')
      .option('--format <fmt>', 'html or json', 'html')
      .option('--out <file>', 'write to this file instead of stdout'),
  ).action(
    async (
      runId: string | undefined,
      opts: StoreOpts & { analyzer: string; format: string; out?: string },
    ) => {
      try {
        if (!['html', 'json'].includes(opts.format))
          throw new VigilError('ANL_ARGS', `--format "${opts.format}" must be html or json`);
        const text = await withAnalysisStore(opts, async (_config, store) => {
          const db = store.db as Kysely<AnalysisDb>;
          const run = runId ? await getRun(db, runId) : await lastFinishedRun(db, opts.analyzer);
          if (!run)
            throw new VigilError(
              'ANL_RUN_UNKNOWN',
              runId ? `no analysis run with id "${runId}"` : `no finished run of analyzer "${opts.analyzer}"`,
            );
          const earlier = (await listRuns(db, { analyzer: run.analyzer, limit: 50 })).find(
            (r) => r.startedAt < run.startedAt && r.status !== 'failed',
          );
          const report = {
            run,
            // every finding of the run: a report is never cut at a listing's default limit
            findings: await listFindings(db, { runId: run.id, limit: Number.MAX_SAFE_INTEGER }),
            newFindings: await listFindings(db, { newInRun: run.id, limit: Number.MAX_SAFE_INTEGER }),
            reviews: await listRunReviews(db, run.id),
            ...(earlier
              ? {
                  previousRun: {
                    id: earlier.id,
                    ...(earlier.finishedAt ? { finishedAt: earlier.finishedAt } : {}),
                  },
                }
              : {}),
          };
          return opts.format === 'html'
            ? runReportHtml(report)
            : `${JSON.stringify(runReportJson(report), null, 2)}\n`;
        });
        if (opts.out) await writeFileNoFollow(opts.out, text);
        else process.stdout.write(text);
      } catch (err) {
        fail('analyze report', err);
      }
    },
  );

  storeOptions(
    analyze
      .command('list')
      .description('recent runs, newest first')
      .option('--analyzer <name>', 'only this analyzer')
      .option('--unreviewed', 'only runs not signed off'),
  ).action(async (opts: StoreOpts & { analyzer?: string; unreviewed?: boolean }) => {
    try {
      const runs = await withAnalysisStore(opts, (_config, store) =>
        listRuns(store.db as Kysely<AnalysisDb>, {
          ...(opts.analyzer ? { analyzer: opts.analyzer } : {}),
          ...(opts.unreviewed ? { unreviewed: true } : {}),
        }),
      );
      for (const r of runs)
        process.stdout.write(
          `${r.id} ${r.analyzer} ${r.startedAt} ${r.status} findings=${r.findings} new=${r.newFindings} reviewed=${r.reviewedBy ?? '-'}\n`,
        );
    } catch (err) {
      fail('analyze list', err);
    }
  });
}

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { ConfigError, createLogger, errorMessage, formatIssue, printable } from '../../core/index.js';
import {
  adhocScan,
  ClamdClient,
  databaseDirOf,
  exitCodeOf,
  Quarantine,
  quarantineKeyFile,
  scannersSchema,
  SignatureDb,
  type FileScanResult,
  type ScannersConfig,
} from '../../analyzers/index.js';
import { cliPlaces } from '../paths.js';
import { placeOptions } from '../cli-store.js';
import { join } from 'node:path';

interface CommonOpts {
  config?: string;
  data?: string;
}

function fail(cmd: string, err: unknown): void {
  if (err instanceof ConfigError)
    for (const issue of err.issues) process.stderr.write(`${formatIssue(issue)}\n`);
  else process.stderr.write(`vigil ${cmd}: ${errorMessage(err)}\n`);
  process.exitCode = 2;
}

/**
 * The `scanners` section of the config when the file exists (PATH arguments replace its paths);
 * else the defaults. `needPaths`: a scan needs PATHs from somewhere.
 */
async function scannersConfig(opts: CommonOpts, paths: string[], needPaths = false): Promise<ScannersConfig> {
  const places = cliPlaces(opts);
  const file = places.configFile;
  if (existsSync(file)) {
    // Loaded only when there is a config: an ad-hoc scan without one needs no other domain.
    const { loadVigilConfig } = await import('../load.js');
    const loaded = loadVigilConfig(file).scanners as ScannersConfig | undefined;
    if (loaded) return { ...loaded, paths: paths.length > 0 ? paths : loaded.paths };
  } else if (places.configNamed) {
    throw new ConfigError([{ file, line: 0, col: 0, message: 'config file does not exist' }]);
  }
  if (needPaths && paths.length === 0)
    throw new Error('nothing to scan: give PATH arguments or scanners.paths in the config');
  // Commands other than scan never use the paths; the schema wants one.
  return scannersSchema.parse({ paths: paths.length > 0 ? paths : ['.'] });
}

const common = (c: Command): Command =>
  placeOptions(c, { store: false, dataHelp: 'data directory (managed ClamAV database, clamd socket)' });

/** One line of human output; file names and reasons come from others, so they are escaped (`printable`). */
function line(r: FileScanResult): string {
  const path = printable(r.path);
  if (r.status === 'clean') return `${path}: OK`;
  if (r.status === 'infected') {
    const hits = r.hits.map((h) => `${printable(h.name)} FOUND (${h.engine})`).join(', ');
    return `${path}: ${hits}${r.reason ? `; ERROR ${printable(r.reason)}` : ''}${r.quarantineId ? ` [quarantined as ${r.quarantineId}]` : ''}`;
  }
  return `${path}: ERROR ${printable(r.reason ?? 'unknown')}`;
}

/** `vigil scan`, `vigil scan restore`, `vigil signatures add-hash|add-hex|add-ldb|list|reload`. */
export function registerScanCommands(program: Command): void {
  const scan = common(program.command('scan'))
    .description('ClamAV + YARA scan of files and folders; exit 0 clean, 1 found, 2 error (never 0 on error)')
    .argument('[paths...]', 'files, folders (recursive) or globs; default: scanners.paths of the config')
    .option('--json', 'one JSON document with every file and the summary')
    .option('--clamd-socket <path>', 'use this clamd (INSTREAM) instead of the managed one')
    .option('--no-clamav', 'YARA and hash lists only (the output says so)')
    .option('--yara-rules <dir...>', 'YARA rule folders (instead of scanners.yara.rules)')
    .option('--hash-list <file...>', 'hash lists (instead of scanners.hash_lists)')
    .option('--max-file-size <size>', 'largest file scanned, e.g. 100MB')
    .option('--follow-symlinks', 'follow symbolic links')
    .option('--quarantine <dir>', 'move infected files to this quarantine folder')
    .action(async (paths: string[], opts: CommonOpts & Record<string, unknown>) => {
      try {
        const base = await scannersConfig(opts, paths, true);
        const cfg = scannersSchema.parse({
          paths: base.paths,
          exclude: base.exclude,
          max_file_size: (opts.maxFileSize as string | undefined) ?? base.max_file_size,
          follow_symlinks: opts.followSymlinks === true || base.follow_symlinks,
          concurrency: base.concurrency,
          clamav: {
            ...base.clamav,
            timeout: `${base.clamav.timeout}ms`,
            start_timeout: `${base.clamav.start_timeout}ms`,
            max_signature_age: `${base.clamav.max_signature_age}ms`,
          },
          yara: {
            rules: (opts.yaraRules as string[] | undefined) ?? base.yara.rules,
            externals: base.yara.externals,
          },
          hash_lists: (opts.hashList as string[] | undefined) ?? base.hash_lists,
        });
        const log = createLogger({ level: process.env.VIGIL_LOG_LEVEL ?? 'warn' }).child({
          component: 'scan',
        });
        const res = await adhocScan({
          config: cfg,
          dataDir: cliPlaces(opts).dataDir,
          log,
          ...(opts.clamdSocket ? { clamdSocket: opts.clamdSocket as string } : {}),
          ...(opts.clamav === false ? { noClamav: true } : {}),
          ...(opts.quarantine ? { quarantineDir: opts.quarantine as string } : {}),
        });
        const o = res.outcome;
        const count = (s: string) => o.results.filter((r) => r.status === s).length;
        const code = exitCodeOf(o);
        if (opts.json) {
          const doc = {
            status: code === 0 ? 'clean' : code === 1 ? 'infected' : 'error',
            engines: res.engines,
            clamav: res.clamav,
            files: o.results,
            scanned: o.results.length,
            clean: count('clean'),
            infected: count('infected'),
            errors: count('error'),
            skippedSymlinks: o.skippedSymlinks,
            runErrors: o.runErrors,
          };
          process.stdout.write(`${JSON.stringify(doc)}\n`);
        } else {
          for (const r of o.results) process.stdout.write(`${line(r)}\n`);
          process.stdout.write('----------- SCAN SUMMARY -----------\n');
          process.stdout.write(`Engines: ${res.engines.join(', ')}\nClamAV: ${res.clamav}\n`);
          process.stdout.write(
            `Scanned files: ${o.results.length}\nInfected files: ${count('infected')}\nErrors: ${count('error')}\n`,
          );
          if (o.skippedSymlinks > 0)
            process.stdout.write(`Skipped symlinks: ${o.skippedSymlinks} (use --follow-symlinks)\n`);
          for (const e of o.runErrors) process.stdout.write(`Run error: ${printable(e)}\n`);
        }
        process.exitCode = code;
      } catch (err) {
        fail('scan', err);
      }
    });

  // --config, --data and --quarantine belong to `scan` (commander parses them there): read them with the parent's.
  scan
    .command('restore')
    .description(
      'move a quarantined file back (with its mode, owner and mtime); --quarantine DIR or scanners.quarantine.dir',
    )
    .argument('<id>', 'quarantine id (q-…)')
    .option('--to <path>', 'restore to this path instead of the original')
    .option('--force', 'overwrite an existing file')
    .action(async (id: string, _local: unknown, cmd: Command) => {
      try {
        const opts = cmd.optsWithGlobals<
          CommonOpts & { quarantine?: string; to?: string; force?: boolean }
        >();
        const dir = opts.quarantine ?? (await scannersConfig(opts, [])).quarantine?.dir;
        if (!dir)
          throw new Error('no quarantine folder: give --quarantine DIR or set scanners.quarantine.dir');
        const keyFile = quarantineKeyFile(cliPlaces(opts).dataDir);
        const rec = await new Quarantine(dir, { keyFile }).restore(id, {
          ...(opts.to ? { to: opts.to } : {}),
          ...(opts.force ? { force: true } : {}),
        });
        process.stdout.write(`restored ${rec.id} to ${rec.restoredTo}\n`);
      } catch (err) {
        fail('scan restore', err);
      }
    });

  const sig = program
    .command('signatures')
    .description("vigil's managed ClamAV database (custom signatures; no freshclam offline)");
  const dbOf = async (opts: CommonOpts) =>
    new SignatureDb(databaseDirOf(await scannersConfig(opts, []), cliPlaces(opts).dataDir));
  const added = (e: { kind: string; line: string }) =>
    process.stdout.write(
      `added to ${e.kind}: ${e.line}\nrun "vigil signatures reload" to load it into a running clamd\n`,
    );
  common(sig.command('add-hash'))
    .description('add an MD5 hash signature (.hdb md5:size:name, as sigtool --md5) for FILE')
    .argument('<file>')
    .requiredOption('--name <name>', 'signature name')
    .action(async (file: string, opts: CommonOpts & { name: string }) => {
      await (
        await dbOf(opts)
      )
        .addHash(file, opts.name)
        .then(added, (err: unknown) => fail('signatures add-hash', err));
    });
  common(sig.command('add-hex'))
    .description('add an extended hex signature (.ndb NAME:TARGET:OFFSET:HEX)')
    .argument('<name>')
    .argument('<hex>', 'hex pattern; wildcards ?? * {n-m} (a|b) allowed')
    .option('--target <n>', 'target type (0 any file, 1 PE, 6 ELF …)', '0')
    .option('--offset <offset>', 'offset (* anywhere, EOF-n, n …)', '*')
    .action(async (name: string, hex: string, opts: CommonOpts & { target: string; offset: string }) => {
      await (
        await dbOf(opts)
      )
        .addHex(name, hex, { target: Number(opts.target), offset: opts.offset })
        .then(added, (err: unknown) => fail('signatures add-hex', err));
    });
  common(sig.command('add-ldb'))
    .description('add a logical signature (.ldb NAME;TDB;EXPR;SUBSIG0;…)')
    .argument('<line>')
    .action(async (ldb: string, opts: CommonOpts) => {
      await (await dbOf(opts)).addLdb(ldb).then(added, (err: unknown) => fail('signatures add-ldb', err));
    });
  common(sig.command('list'))
    .description('list the signatures in the managed database')
    .option('--json', 'JSON output')
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      try {
        const list = await (await dbOf(opts)).list();
        if (opts.json) process.stdout.write(`${JSON.stringify(list)}\n`);
        else for (const e of list) process.stdout.write(`${e.kind}\t${e.name}\t${e.line}\n`);
      } catch (err) {
        fail('signatures list', err);
      }
    });
  common(sig.command('reload'))
    .description('tell clamd to reload its database (clamd RELOAD)')
    .option(
      '--socket <path>',
      'clamd socket (default: the managed one in the data dir, or scanners.clamav.socket)',
    )
    .action(async (opts: CommonOpts & { socket?: string }) => {
      try {
        const cfg = await scannersConfig(opts, []);
        const socket =
          opts.socket ?? cfg.clamav.socket ?? join(cliPlaces(opts).dataDir, 'clamav', 'clamd.sock');
        const reply = await new ClamdClient({ socket, timeoutMs: 30_000 }).reload();
        if (reply !== 'RELOADING')
          throw new Error(`clamd at ${socket} answered "${reply}" instead of RELOADING`);
        process.stdout.write(`clamd at ${socket}: ${reply}\n`);
      } catch (err) {
        fail('signatures reload', err);
      }
    });
}

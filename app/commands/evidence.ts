import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { VigilError, errorMessage, parsePublicKeys, type AuditPublicKey } from '../../core/index.js';
import { readBundle, verifyBundle, writeBundle, type Period } from '../../evidence/index.js';
import { placeOptions, withCliStore } from '../cli-store.js';
import { exportEvidence, parseFrameworks } from '../wire/evidence.js';
import type { LoadedConfig } from '../wire/types.js';

interface ExportOpts {
  config?: string;
  data?: string;
  store?: string;
  from: string;
  to: string;
  frameworks?: string;
  out: string;
  customer?: string;
}

/** `--from`/`--to`: a date (UTC midnight) or an ISO 8601 time; `to` exclusive. */
export function parsePeriod(from: string, to: string): Period {
  const at = (v: string, name: string): number => {
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new VigilError('APP_ARGS', `--${name} "${v}" is not a date or ISO 8601 time`);
    return ms;
  };
  const p = { from: at(from, 'from'), to: at(to, 'to') };
  if (p.to <= p.from) throw new VigilError('APP_ARGS', '--to must be after --from');
  return p;
}

function readKeys(files: readonly string[]): AuditPublicKey[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (err) {
      throw new VigilError('APP_ARGS', `cannot read --pubkey ${f}: ${errorMessage(err)}`, { cause: err });
    }
    return parsePublicKeys(text, f);
  });
}

/** `vigil evidence export | verify` (docs/evidence.md). */
export function registerEvidenceCommands(program: Command): void {
  const ev = program
    .command('evidence')
    .description('signed, reproducible evidence bundles for auditors (PCI DSS, ISO 27001)');
  placeOptions(ev.command('export'), { dataHelp: 'data directory (store, instance key, bundle chain)' })
    .description(
      'write the BagIt bundle of a period: records, access evidence, control mapping, OSCAL, summary; signed',
    )
    .requiredOption('--from <date>', 'period start (inclusive): YYYY-MM-DD (UTC) or ISO 8601')
    .requiredOption('--to <date>', 'period end (exclusive)')
    .option('--frameworks <list>', 'comma-separated: pci-dss-4.0.1, iso27001-2022 (default: both)')
    .option('--customer <id>', "only this customer's SLA and incident evidence")
    .requiredOption('--out <dir|file.tar>', 'a new directory, or a file ending in .tar')
    .action(async (opts: ExportOpts) => {
      try {
        const period = parsePeriod(opts.from, opts.to);
        const frameworks = parseFrameworks(opts.frameworks);
        if (typeof frameworks === 'string') throw new VigilError('APP_ARGS', frameworks);
        const bundle = await withCliStore(opts, (config, store, ctx) =>
          exportEvidence({
            config: config ?? ({ __file: ctx.places.configFile } as LoadedConfig),
            store,
            dataDir: ctx.places.dataDir,
            period,
            frameworks,
            ...(opts.customer !== undefined ? { customerId: opts.customer } : {}),
          }),
        );
        writeBundle(bundle.files, opts.out, period);
        const notOk = bundle.controls.filter((c) => c.status === 'not_satisfied').length;
        process.stdout.write(
          `wrote ${opts.out}: ${bundle.files.size} files, bundle ${bundle.digest}; ${bundle.controls.length} control checks, ${notOk} not satisfied\n`,
        );
      } catch (err) {
        process.stderr.write(`vigil evidence export: ${errorMessage(err)}\n`);
        process.exitCode = 2;
      }
    });

  ev.command('verify <bundle>')
    .description(
      'check a bundle offline (no store): exit 0 valid, 1 names the first thing that does not verify, 2 cannot read',
    )
    .option(
      '--pubkey <file...>',
      'trusted public key(s), PEM (vigil audit pubkey); default: the key inside the bundle',
    )
    .option('--json', 'print the result as one JSON object')
    .action(async (path: string, opts: { pubkey?: string[]; json?: boolean }) => {
      try {
        const keys = readKeys(opts.pubkey ?? []);
        const r = await verifyBundle(readBundle(path), keys);
        if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
        else if (r.ok) {
          if (r.keyFromBundle)
            process.stderr.write(
              'warning: no --pubkey given; the key inside the bundle was used, which shows the bundle is intact, not who signed it\n',
            );
          process.stdout.write(
            `bundle valid: ${r.files} files, ${r.digest}; previous bundle ${r.previousBundle ?? 'none'}\n`,
          );
        } else process.stdout.write(`bundle NOT valid: ${r.file}: ${r.problem}\n`);
        process.exitCode = r.ok ? 0 : 1;
      } catch (err) {
        process.stderr.write(`vigil evidence verify: cannot read the bundle: ${errorMessage(err)}\n`);
        process.exitCode = 2;
      }
    });
}

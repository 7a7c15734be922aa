import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import {
  VigilError,
  auditKeyPath,
  errorMessage,
  parsePublicKeys,
  readSegmentFile,
  storeSegment,
  verifyAuditChain,
  writeSegment,
  type AuditDb,
  type AuditPublicKey,
  type AuditRange,
  type AuditSegment,
  type AuditVerifyResult,
} from '../../core/index.js';
import { openExistingCliStore, placeOptions } from '../cli-store.js';
import { cliPlaces } from '../paths.js';

interface AuditOpts {
  config?: string;
  data?: string;
  store?: string;
  from?: string;
  to?: string;
}

function parseRange(opts: AuditOpts): AuditRange {
  const at = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const ms = Date.parse(v);
    if (Number.isNaN(ms)) throw new VigilError('APP_ARGS', `--${name} "${v}" is not an ISO 8601 time`);
    return ms;
  };
  return { from: at(opts.from, 'from'), to: at(opts.to, 'to') };
}

/** The instance's own public key, from `<data>/keys/audit-ed25519.pem`, when it is there. */
function instanceKeys(dataDir: string): AuditPublicKey[] {
  const file = auditKeyPath(dataDir);
  return existsSync(file) ? parsePublicKeys(readFileSync(file, 'utf8'), file) : [];
}

async function withStoreSegment<T>(opts: AuditOpts, fn: (seg: AuditSegment) => Promise<T>): Promise<T> {
  const range = parseRange(opts);
  const store = await openExistingCliStore(opts);
  try {
    return await fn(await storeSegment(store.db as AuditDb, range));
  } finally {
    await store.close();
  }
}

function report(r: AuditVerifyResult, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(r)}\n`);
  else if (r.ok)
    process.stdout.write(
      `audit log intact: ${r.entries} entries${r.firstSeq === null ? '' : ` (${r.firstSeq}–${r.lastSeq})`}, ${r.checkpoints} signed checkpoints` +
        `${r.unsignedTail > 0 ? `; the last ${r.unsignedTail} entries are chained but not yet covered by a signed checkpoint` : ''}\n`,
    );
  else process.stdout.write(`audit log broken at entry ${r.seq}: ${r.problem}\n`);
  process.exitCode = r.ok ? 0 : 1;
}

/** `vigil audit verify | export` (docs/security.md). */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('the tamper-evident audit log: verify it, export segments');
  const storeOpts = (c: Command): Command =>
    placeOptions(c, { dataHelp: 'data directory (relative SQLite store, the instance key)' })
      .option('--from <iso>', 'entries at or after this time')
      .option('--to <iso>', 'entries before this time');

  storeOpts(audit.command('verify'))
    .description(
      'check the hash chain and the signed checkpoints; exit 0 intact, 1 names the first bad entry, 2 cannot read',
    )
    .option('--file <segment>', 'verify an exported segment file instead of the store (offline)')
    .option('--pubkey <file...>', 'trusted public key(s), PEM (default: the instance key in --data)')
    .option('--json', 'print the result as one JSON object')
    .action(async (opts: AuditOpts & { file?: string; pubkey?: string[]; json?: boolean }) => {
      try {
        let keys = (opts.pubkey ?? []).flatMap((f) => parsePublicKeys(readKey(f), f));
        if (opts.file) {
          const seg = readSegmentFile(opts.file);
          if (keys.length === 0) {
            keys = seg.publicKeys.flatMap((pem) => parsePublicKeys(pem, opts.file!));
            process.stderr.write(
              'warning: no --pubkey given; the key inside the file was used, which shows the segment is intact, not who signed it\n',
            );
          }
          const result = await verifyAuditChain(seg.entries, seg.checkpoints, {
            keys,
            firstSeq: seg.firstSeq,
          });
          report(result, opts.json === true);
          return;
        }
        if (keys.length === 0) keys = instanceKeys(cliPlaces(opts).dataDir);
        const result = await withStoreSegment(opts, (seg) =>
          verifyAuditChain(seg.entries, seg.checkpoints, { keys, firstSeq: seg.firstSeq }),
        );
        report(result, opts.json === true);
      } catch (err) {
        process.stderr.write(`vigil audit verify: cannot read the audit log: ${errorMessage(err)}\n`);
        process.exitCode = 2;
      }
    });

  audit
    .command('pubkey')
    .description("print this instance's audit public key (PEM), to verify exports with --pubkey elsewhere")
    .option('-d, --data <dir>', 'data directory (default: $VIGIL_DATA, else ./data)')
    .action((opts: { data?: string }) => {
      const dataDir = cliPlaces(opts).dataDir;
      const keys = instanceKeys(dataDir);
      if (keys.length === 0) {
        process.stderr.write(
          `vigil audit pubkey: no key at ${auditKeyPath(dataDir)} (vigil start makes it)\n`,
        );
        process.exitCode = 2;
        return;
      }
      process.stdout.write(keys[0]!.pem);
    });

  storeOpts(audit.command('export'))
    .description(
      'write a segment (JSON Lines: entries, their checkpoints, the public key) for offline verification',
    )
    .option('--out <file>', 'write here instead of standard output')
    .action(async (opts: AuditOpts & { out?: string }) => {
      try {
        const pems = instanceKeys(cliPlaces(opts).dataDir).map((k) => k.pem);
        const out = opts.out ? createWriteStream(opts.out, { mode: 0o600 }) : process.stdout;
        const n = await withStoreSegment(opts, (seg) =>
          writeSegment(
            seg,
            pems,
            async (line) => {
              if (!out.write(line)) await once(out, 'drain');
            },
            Date.now(),
          ),
        );
        if (opts.out) {
          await new Promise<void>((res, rej) =>
            (out as NodeJS.WritableStream).end((e?: Error) => (e ? rej(e) : res())),
          );
          process.stderr.write(`wrote ${n} audit entries to ${opts.out}\n`);
        }
      } catch (err) {
        process.stderr.write(`vigil audit export: ${errorMessage(err)}\n`);
        process.exitCode = 2;
      }
    });
}

function readKey(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new VigilError('APP_ARGS', `cannot read --pubkey ${file}: ${errorMessage(err)}`, { cause: err });
  }
}

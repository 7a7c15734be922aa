import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { VigilError, errorMessage } from '../../core/index.js';

const run = promisify(execFile);

/** The custom database files vigil writes (ClamAV "Creating signatures" formats). */
export type SignatureKind = 'hdb' | 'ndb' | 'ldb';

export interface SignatureEntry {
  kind: SignatureKind;
  name: string;
  line: string;
}

/** The database file vigil owns in the managed directory; other files there are left alone. */
const FILE: Record<SignatureKind, string> = { hdb: 'vigil.hdb', ndb: 'vigil.ndb', ldb: 'vigil.ldb' };
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Body of an extended (.ndb) hex signature: hex, wildcards ?? * {n-m} [n-m], alternatives (a|b), ! negation. */
const HEX_BODY = /^[0-9a-fA-F?*{}()[\]|!,\- ]+$/;

/**
 * vigil's managed ClamAV database: offline there is no official database, so the operator adds
 * hash (.hdb `md5:size:name`, as `sigtool --md5`), extended hex (.ndb
 * `name:target:offset:hex`) and logical (.ldb) signatures. Every line is checked by loading it
 * with `clamscan -d` before it is added, so a bad line never stops clamd on its next reload.
 */
export class SignatureDb {
  constructor(readonly dir: string) {}

  /** Adds a `.hdb` line for FILE: md5 of its content, its size, NAME. */
  async addHash(file: string, name: string): Promise<SignatureEntry> {
    checkName(name);
    const [md5, size] = await md5AndSize(file);
    return this.add('hdb', name, `${md5}:${size}:${name}`);
  }

  /** Adds an `.ndb` line `NAME:TARGET:OFFSET:HEX` (target 0 = any file, offset `*` = anywhere). */
  async addHex(
    name: string,
    hex: string,
    opts: { target?: number; offset?: string } = {},
  ): Promise<SignatureEntry> {
    checkName(name);
    const body = hex.replace(/\s+/g, '');
    if (!HEX_BODY.test(body) || body.length < 4) {
      throw new VigilError(
        'SCN_SIGNATURE',
        `hex signature for ${name} is not a ClamAV hex pattern: "${hex}"`,
      );
    }
    return this.add('ndb', name, `${name}:${opts.target ?? 0}:${opts.offset ?? '*'}:${body.toLowerCase()}`);
  }

  /** Adds an `.ldb` line `NAME;TargetDescription;LogicalExpression;Subsig0;...` as written. */
  async addLdb(line: string): Promise<SignatureEntry> {
    const name = line.split(';', 1)[0] ?? '';
    checkName(name);
    if (line.split(';').length < 4)
      throw new VigilError('SCN_SIGNATURE', `logical signature ${name} needs NAME;TDB;EXPR;SUBSIG0`);
    return this.add('ldb', name, line.trim());
  }

  /** Every signature in vigil's database files. */
  async list(): Promise<SignatureEntry[]> {
    const out: SignatureEntry[] = [];
    for (const kind of Object.keys(FILE) as SignatureKind[]) {
      const text = await readFile(join(this.dir, FILE[kind]), 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return '';
        throw new VigilError('SCN_SIGNATURE', `cannot read ${join(this.dir, FILE[kind])}: ${err.message}`, {
          cause: err,
        });
      });
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const name =
          kind === 'hdb'
            ? (line.split(':')[2] ?? '')
            : kind === 'ndb'
              ? (line.split(':')[0] ?? '')
              : (line.split(';')[0] ?? '');
        out.push({ kind, name, line });
      }
    }
    return out;
  }

  /** True when the directory holds at least one signature file clamd would load (it refuses to start without). */
  async hasSignatures(): Promise<boolean> {
    const files = await readdir(this.dir).catch(() => [] as string[]);
    for (const f of files) {
      if (!/\.(hdb|hsb|ndb|ldb|cvd|cld|cud|mdb|msb|yar|yara|cdb|ign2|fp|sfp)$/.test(f)) continue;
      if ((await stat(join(this.dir, f))).size > 0) return true;
    }
    return false;
  }

  /** SHA-256 over every database file's name and content: changes when any signature changes. */
  async fingerprint(): Promise<string> {
    const h = createHash('sha256');
    const files = (await readdir(this.dir).catch(() => [] as string[])).sort();
    for (const f of files) {
      h.update(f).update('\0');
      h.update(await readFile(join(this.dir, f)).catch(() => Buffer.alloc(0))).update('\0');
    }
    return h.digest('hex');
  }

  private async add(kind: SignatureKind, name: string, line: string): Promise<SignatureEntry> {
    await mkdir(this.dir, { recursive: true });
    if ((await this.list()).some((e) => e.name === name)) {
      throw new VigilError('SCN_SIGNATURE', `a signature named ${name} already exists in ${this.dir}`);
    }
    await verifyLine(kind, line);
    await appendFile(join(this.dir, FILE[kind]), `${line}\n`);
    return { kind, name, line };
  }
}

function checkName(name: string): void {
  if (!NAME.test(name)) {
    throw new VigilError(
      'SCN_SIGNATURE',
      `signature name "${name}" must be letters, digits, ".", "_" or "-"`,
    );
  }
}

async function md5AndSize(file: string): Promise<[string, number]> {
  const h = createHash('md5');
  let size = 0;
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      h.update(chunk);
      size += chunk.length;
    }
  } catch (err) {
    throw new VigilError('SCN_SIGNATURE', `cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
  return [h.digest('hex'), size];
}

/** Loads the single line with `clamscan -d` against an empty file: exit 2 means clamd would refuse it. */
async function verifyLine(kind: SignatureKind, line: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-sig-'));
  try {
    const db = join(dir, `check.${kind}`);
    const target = join(dir, 'empty');
    await writeFile(db, `${line}\n`);
    await writeFile(target, '');
    await run('clamscan', ['--no-summary', '-d', db, target], { timeout: 60_000 }).catch(
      (err: { code?: unknown; stderr?: string }) => {
        if (err.code === 'ENOENT')
          throw new VigilError(
            'SCN_SIGNATURE',
            'clamscan is not installed (Debian package clamav); cannot verify the signature',
          );
        // Exit 1 means "found", which an empty file cannot be unless the signature matches everything.
        throw new VigilError(
          'SCN_SIGNATURE',
          `ClamAV rejects the ${kind} signature "${line}": ${(err.stderr ?? '').trim().split('\n')[0] ?? 'load failed'}`,
        );
      },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

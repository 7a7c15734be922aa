import { open, readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { errorMessage } from '../../core/index.js';
import type { CompiledRules } from './yara-rules.js';
import type { EngineVerdict, FileFacts, ScanHit, Scanner } from './types.js';

/** Magic numbers → the `filetype` external, in the spirit of LOKI's file type names. */
const MAGIC: [Buffer, string][] = [
  [Buffer.from('MZ'), 'EXE'],
  [Buffer.from([0x7f, 0x45, 0x4c, 0x46]), 'ELF'],
  [Buffer.from([0x50, 0x4b, 0x03, 0x04]), 'ZIP'],
  [Buffer.from([0x1f, 0x8b]), 'GZIP'],
  [Buffer.from('%PDF'), 'PDF'],
  [Buffer.from('Rar!'), 'RAR'],
  [Buffer.from([0x37, 0x7a, 0xbc, 0xaf]), '7Z'],
  [Buffer.from([0xd0, 0xcf, 0x11, 0xe0]), 'OLE'],
  [Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'PNG'],
  [Buffer.from([0xff, 0xd8, 0xff]), 'JPEG'],
  [Buffer.from('GIF8'), 'GIF'],
  [Buffer.from('#!'), 'SCRIPT'],
];

/** String values @litko/yara-x 0.3 passes as integers or booleans instead of strings (measured). */
const MISREAD = /^([+-]?\d+|true|false)$/i;

export interface YaraScannerOptions {
  compiled: () => CompiledRules;
  /** Fixed external values from config, applied under the per-file ones. */
  externals?: Record<string, string | number>;
}

/**
 * The YARA engine over YARA-X: sets the standard externals per file and reports each matching
 * rule with tags, metadata and string offsets. A read error is an `error` verdict.
 */
export class YaraScanner implements Scanner {
  readonly name = 'yara';
  private owners: Promise<Map<number, string>> | undefined;

  constructor(private readonly opts: YaraScannerOptions) {}

  async scan(file: FileFacts): Promise<EngineVerdict> {
    try {
      const compiled = this.opts.compiled();
      const vars: Record<string, string | number> = {
        ...this.opts.externals,
        ...(await this.externalsFor(file)),
      };
      for (const [name, value] of Object.entries(vars)) {
        if (typeof value !== 'string' || !MISREAD.test(value)) continue;
        if (compiled.usedExternals.has(name)) {
          return {
            status: 'error',
            reason: `external ${name}="${value}" would reach the rules as a number or boolean (@litko/yara-x 0.3); rules using ${name} cannot be evaluated for this file`,
          };
        }
        delete vars[name]; // no rule reads it: leaving it out changes no verdict
      }
      const matches = await compiled.rules.scanFileAsync(file.path, vars);
      if (matches.length === 0) return { status: 'clean' };
      const hits: ScanHit[] = matches.map((m) => ({
        engine: 'yara',
        name: m.namespace === 'default' ? m.ruleIdentifier : `${m.namespace}:${m.ruleIdentifier}`,
        tags: m.tags,
        meta: m.meta as Record<string, unknown>,
        strings: m.matches.map((s) => ({ identifier: s.identifier, offset: s.offset, length: s.length })),
      }));
      return { status: 'infected', hits };
    } catch (err) {
      return { status: 'error', reason: errorMessage(err) };
    }
  }

  async fingerprint(): Promise<string> {
    return this.opts.compiled().fingerprint;
  }

  /** `filename`, `filepath`, `extension` (lower case, with the dot), `filetype` (magic), `owner`. */
  async externalsFor(file: FileFacts): Promise<Record<string, string>> {
    return {
      filename: basename(file.path),
      filepath: file.path,
      extension: extname(file.path).toLowerCase(),
      filetype: await fileType(file.path),
      owner: await this.owner(file.uid),
    };
  }

  private async owner(uid: number): Promise<string> {
    // One read of /etc/passwd shared by concurrent scans (a Map filled later would race).
    this.owners ??= readFile('/etc/passwd', 'utf8').then(
      (text) => {
        const m = new Map<number, string>();
        for (const line of text.split('\n')) {
          const [name, , id] = line.split(':');
          if (name && id) m.set(Number(id), name);
        }
        return m;
      },
      () => new Map<number, string>(),
    );
    return (await this.owners).get(uid) ?? `uid:${uid}`;
  }
}

async function fileType(path: string): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await fh.read(head, 0, 8, 0);
    const got = head.subarray(0, bytesRead);
    return MAGIC.find(([magic]) => got.subarray(0, magic.length).equals(magic))?.[1] ?? '';
  } finally {
    await fh.close();
  }
}

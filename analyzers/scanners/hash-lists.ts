import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { VigilError, errorMessage } from '../../core/index.js';
import type { EngineVerdict, FileFacts, Scanner } from './types.js';

export type DigestKind = 'md5' | 'sha1' | 'sha256';

export interface HashEntry {
  digest: string;
  kind: DigestKind;
  name: string;
  list: string;
  line: number;
}

const KIND_BY_LENGTH: Record<number, DigestKind> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/**
 * Known-bad hash lists. One entry a line, `#` comments; accepted forms: `DIGEST`, `DIGEST NAME`,
 * `DIGEST,NAME`, and ClamAV's `.hdb`/`.hsb` `DIGEST:SIZE:NAME`. The digest kind follows from its
 * length (32 md5, 40 sha1, 64 sha256). A malformed line is a config error naming file and line.
 */
export class HashLists {
  private readonly byDigest = new Map<string, HashEntry>();
  readonly kinds = new Set<DigestKind>();
  private fp = '';

  static async load(files: string[]): Promise<HashLists> {
    const lists = new HashLists();
    const h = createHash('sha256');
    const problems: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        throw new VigilError(
          'SCN_HASH_LIST',
          `scanners.hash_lists: cannot read ${file}: ${errorMessage(err)}`,
          { cause: err },
        );
      }
      h.update(file).update('\0').update(text);
      text.split('\n').forEach((raw, i) => {
        const line = raw.trim();
        if (line === '' || line.startsWith('#')) return;
        const entry = parseLine(line, file, i + 1);
        if (typeof entry === 'string') problems.push(entry);
        else lists.add(entry);
      });
    }
    if (problems.length > 0)
      throw new VigilError('SCN_HASH_LIST', `hash lists have bad lines:\n${problems.join('\n')}`);
    lists.fp = h.digest('hex');
    return lists;
  }

  add(entry: HashEntry): void {
    this.byDigest.set(entry.digest, entry);
    this.kinds.add(entry.kind);
  }

  /** The entry for a digest (any kind, any case), if listed. */
  match(digest: string | undefined): HashEntry | undefined {
    return digest ? this.byDigest.get(digest.toLowerCase()) : undefined;
  }

  get size(): number {
    return this.byDigest.size;
  }

  get fingerprint(): string {
    return this.fp;
  }
}

function parseLine(line: string, file: string, n: number): HashEntry | string {
  const m = /^([0-9a-fA-F]+)(?::(\d+|\*))?(?:[\s,:]+(.+))?$/.exec(line);
  const digest = m?.[1]?.toLowerCase();
  const kind = digest ? KIND_BY_LENGTH[digest.length] : undefined;
  if (!m || !digest || !kind)
    return `${file}:${n}: not an md5, sha1 or sha256 digest: "${line.slice(0, 80)}"`;
  return { digest, kind, name: m[3]?.trim() || `hash-list:${digest.slice(0, 12)}`, list: file, line: n };
}

/**
 * Hash matching as a scanning engine: hashes each file with the digest kinds the lists hold and
 * looks them up. Cheap next to ClamAV, and it catches a known-bad file even with no signature.
 */
export class HashListScanner implements Scanner {
  readonly name = 'hash';

  constructor(private readonly lists: HashLists) {}

  async scan(file: FileFacts): Promise<EngineVerdict> {
    const hashes = [...this.lists.kinds].map((k) => [k, createHash(k)] as const);
    try {
      for await (const chunk of createReadStream(file.path) as AsyncIterable<Buffer>)
        for (const [, h] of hashes) h.update(chunk);
    } catch (err) {
      return { status: 'error', reason: errorMessage(err) };
    }
    const hits = hashes.flatMap(([kind, h]) => {
      const e = this.lists.match(h.digest('hex'));
      return e
        ? [{ engine: 'hash' as const, name: e.name, list: e.list, digest: `${kind}:${e.digest}` }]
        : [];
    });
    return hits.length > 0 ? { status: 'infected', hits } : { status: 'clean' };
  }

  async fingerprint(): Promise<string> {
    return this.lists.fingerprint;
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/**
 * Streams the lines of a plain or gzip file with constant memory, from a byte offset. For gzip
 * files offsets count decompressed bytes (a gzip stream cannot be entered in the middle, so the
 * bytes before the offset are decompressed and skipped). A last line without `\n` is yielded
 * only when `final` is true (a closed or rotated file); otherwise it is left for the next read,
 * as a live log may still be writing it.
 */
export interface LineBatch {
  lines: string[];
  /** Line number (1-based, counted from the start of the file) of lines[0]. */
  firstLine: number;
}

export interface LineSourceResult {
  /** Offset after the last line yielded. */
  endOffset: number;
  /** Line number of the last line yielded. */
  lastLine: number;
  /** SHA-256 (hex) of the bytes yielded: [fromOffset, endOffset) of the (decompressed) content. */
  sha256: string;
  /** Bytes after endOffset not yet yielded (an unfinished last line). */
  pendingBytes: number;
}

export interface LineSourceOptions {
  fromOffset?: number;
  /** Line number of the line starting at fromOffset, minus one. */
  linesBefore?: number;
  final?: boolean;
  batchSize?: number;
}

/** Whether the file starts with the gzip magic bytes. */
export async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Yields batches of lines; returns where it stopped. */
export async function* readLines(
  path: string,
  opts: LineSourceOptions = {},
): AsyncGenerator<LineBatch, LineSourceResult> {
  const gz = await isGzip(path);
  const from = opts.fromOffset ?? 0;
  const batchSize = opts.batchSize ?? 2048;
  const raw = createReadStream(path, gz ? {} : { start: from, highWaterMark: 1 << 20 });
  const stream: AsyncIterable<Buffer> = gz ? raw.pipe(createGunzip({ chunkSize: 1 << 18 })) : raw;
  const hash = createHash('sha256');
  let toSkip = gz ? from : 0;
  let offset = from;
  let line = opts.linesBefore ?? 0;
  let rest: Buffer = Buffer.alloc(0);
  let batch: string[] = [];
  let batchFirst = line + 1;
  for await (const chunk0 of stream) {
    let chunk = chunk0;
    if (toSkip > 0) {
      if (chunk.length <= toSkip) {
        toSkip -= chunk.length;
        continue;
      }
      chunk = chunk.subarray(toSkip);
      toSkip = 0;
    }
    const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    const lastNl = buf.lastIndexOf(10);
    if (lastNl === -1) {
      rest = Buffer.from(buf);
      continue;
    }
    const complete = buf.subarray(0, lastNl + 1);
    rest = Buffer.from(buf.subarray(lastNl + 1));
    hash.update(complete);
    offset += complete.length;
    const text = complete.toString('utf8', 0, complete.length - 1);
    const parts = text.split('\n');
    for (const p of parts) {
      line++;
      batch.push(p.endsWith('\r') ? p.slice(0, -1) : p);
      if (batch.length >= batchSize) {
        yield { lines: batch, firstLine: batchFirst };
        batch = [];
        batchFirst = line + 1;
      }
    }
  }
  if (toSkip > 0) {
    // the file is shorter than the checkpoint: the caller decides (it restarts from 0)
    return { endOffset: offset, lastLine: line, sha256: hash.digest('hex'), pendingBytes: -toSkip };
  }
  let pending = rest.length;
  if (rest.length > 0 && opts.final) {
    hash.update(rest);
    offset += rest.length;
    line++;
    batch.push(rest.toString('utf8'));
    pending = 0;
  }
  if (batch.length > 0) yield { lines: batch, firstLine: batchFirst };
  return { endOffset: offset, lastLine: line, sha256: hash.digest('hex'), pendingBytes: pending };
}

/** SHA-256 (hex) of the first `n` content bytes (decompressed for gzip) and how many there were. */
export async function headHash(
  path: string,
  n = 1024,
): Promise<{ hash: string; length: number; bytes: Buffer }> {
  const gz = await isGzip(path);
  const raw = createReadStream(path, gz ? {} : { start: 0, end: n - 1 });
  const stream: AsyncIterable<Buffer> = gz ? raw.pipe(createGunzip()) : raw;
  const parts: Buffer[] = [];
  let have = 0;
  for await (const c of stream) {
    parts.push(c);
    have += c.length;
    if (have >= n) break;
  }
  raw.destroy();
  const bytes = Buffer.concat(parts).subarray(0, n);
  return { hash: createHash('sha256').update(bytes).digest('hex'), length: bytes.length, bytes };
}

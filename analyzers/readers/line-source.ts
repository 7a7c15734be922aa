import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { decodeUtf8Lenient } from './zeek-escape.js';
import { fhIsGzip, openInput } from './open-input.js';

/**
 * Streams the lines of a plain or gzip file with constant memory, from a byte offset. For gzip
 * files offsets count decompressed bytes (a gzip stream cannot be entered in the middle, so the
 * bytes before the offset are decompressed and skipped). A last line without `\n` is yielded
 * only when `final` is true (a closed or rotated file); otherwise it is left for the next read,
 * as a live log may still be writing it.
 *
 * Time and memory are linear in the input: a line longer than `maxLineBytes` is not assembled,
 * its bytes are skipped to the next newline and it is reported in `overlong` (the reader counts
 * it as a bad record). A broken or truncated gzip stream ends the read where it broke: the lines
 * before are yielded and `error` says what happened, so the caller can checkpoint what it read.
 */
export interface LineBatch {
  lines: string[];
  /** Line number (1-based, counted from the start of the file) of lines[0]. */
  firstLine: number;
  /** Lines longer than the cap (their slot in `lines` is empty). */
  overlong?: { line: number; bytes: number }[];
}

export interface LineSourceResult {
  /** Offset after the last line yielded. */
  endOffset: number;
  /** Line number of the last line yielded. */
  lastLine: number;
  /** SHA-256 (hex) of the bytes yielded: [fromOffset, endOffset) of the (decompressed) content. */
  sha256: string;
  /** SHA-256 of the up to WINDOW_BYTES content bytes before endOffset (identifies the file at that offset). */
  windowHash: string;
  /** Bytes after endOffset not yet yielded (an unfinished last line); negative: the file is shorter than fromOffset. */
  pendingBytes: number;
  /** The read stopped early: the gzip stream is corrupt or truncated here. */
  error?: string;
  /** The bytes before fromOffset are not the ones the checkpoint saw (`expectWindow`): nothing was yielded. */
  mismatch?: boolean;
  /** endOffset is inside an overlong line, this many bytes into it (a live file still writing it). */
  skipping?: number;
}

export interface LineSourceOptions {
  fromOffset?: number;
  /** Line number of the line starting at fromOffset, minus one. */
  linesBefore?: number;
  final?: boolean;
  batchSize?: number;
  /** Longest line read (bytes); longer ones are skipped and reported. */
  maxLineBytes?: number;
  /** windowHash the checkpoint recorded at fromOffset: verified before any line is yielded. */
  expectWindow?: string;
  /** fromOffset is inside an overlong line, this many bytes into it (from a checkpoint's `skipping`). */
  skipping?: number;
}

/** How many bytes before an offset identify the file at that offset. */
export const WINDOW_BYTES = 1024;
/** Default line cap: far above any Zeek or Suricata record, far below what a line could cost in memory. */
export const DEFAULT_MAX_LINE_BYTES = 16 << 20;

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** The last WINDOW_BYTES of `prev` followed by `next`. */
function slide(prev: Buffer, next: Buffer): Buffer {
  if (next.length >= WINDOW_BYTES) return Buffer.from(next.subarray(next.length - WINDOW_BYTES));
  const joined = Buffer.concat([prev, next]);
  return joined.length > WINDOW_BYTES ? joined.subarray(joined.length - WINDOW_BYTES) : joined;
}

/** Decodes complete lines; bytes that are not valid UTF-8 become `\xHH` text (as Zeek's writers print them), never U+FFFD. */
function decodeLines(complete: Buffer): string[] {
  const text = complete.toString('utf8', 0, complete.length - 1);
  if (!text.includes('\ufffd')) return text.split('\n');
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = complete.indexOf(10, start);
    if (nl === -1) break;
    const bytes = complete.subarray(start, nl);
    const s = bytes.toString('utf8');
    out.push(s.includes('\ufffd') ? decodeUtf8Lenient(bytes) : s);
    start = nl + 1;
  }
  return out;
}

/** Yields batches of lines; returns where it stopped. Throws VigilError when the file cannot be opened. */
export async function* readLines(
  path: string,
  opts: LineSourceOptions = {},
): AsyncGenerator<LineBatch, LineSourceResult> {
  const { fh } = await openInput(path);
  try {
    return yield* readOpened(fh, opts);
  } finally {
    await fh.close();
  }
}

async function* readOpened(
  fh: import('node:fs/promises').FileHandle,
  opts: LineSourceOptions,
): AsyncGenerator<LineBatch, LineSourceResult> {
  const gz = await fhIsGzip(fh);
  const from = opts.fromOffset ?? 0;
  const batchSize = opts.batchSize ?? 2048;
  const cap = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let window: Buffer = Buffer.alloc(0);
  if (!gz && from > 0) {
    const start = Math.max(0, from - WINDOW_BYTES);
    const b = Buffer.alloc(from - start);
    const { bytesRead } = await fh.read(b, 0, b.length, start);
    window = b.subarray(0, bytesRead);
  }
  const raw = fh.createReadStream({
    ...(gz ? {} : { start: from }),
    highWaterMark: 1 << 20,
    autoClose: false,
  });
  const gunzip = gz ? createGunzip({ chunkSize: 1 << 18 }) : undefined;
  const stream: AsyncIterable<Buffer> = gunzip ? raw.pipe(gunzip) : raw;
  // a read error of the file itself reaches the gunzip consumer too
  if (gunzip) raw.on('error', (e) => gunzip.destroy(e));
  const hash = createHash('sha256');
  let toSkip = gz ? from : 0;
  let offset = from;
  let line = opts.linesBefore ?? 0;
  let rest: Buffer[] = [];
  let restLen = 0;
  let skipping = opts.skipping ?? 0; // > 0: inside an overlong line, bytes of it seen so far
  let batch: string[] = [];
  let overlong: { line: number; bytes: number }[] = [];
  let batchFirst = line + 1;
  let verified = opts.expectWindow === undefined || (!gz && from === 0);
  let error: string | undefined;
  const result = (pending: number): LineSourceResult => ({
    endOffset: offset,
    lastLine: line,
    sha256: hash.digest('hex'),
    windowHash: sha(window),
    pendingBytes: pending,
    ...(error ? { error } : {}),
    ...(skipping > 0 ? { skipping } : {}),
  });
  if (!verified && !gz) {
    if (sha(window) !== opts.expectWindow) {
      raw.destroy();
      return { ...result(0), mismatch: true };
    }
    verified = true;
  }
  const flush = function* (): Generator<LineBatch> {
    if (batch.length === 0) return;
    yield { lines: batch, firstLine: batchFirst, ...(overlong.length > 0 ? { overlong } : {}) };
    batch = [];
    overlong = [];
    batchFirst = line + 1;
  };
  try {
    for await (const chunk0 of stream) {
      let chunk = chunk0;
      if (toSkip > 0) {
        if (chunk.length <= toSkip) {
          toSkip -= chunk.length;
          window = slide(window, chunk);
          continue;
        }
        window = slide(window, chunk.subarray(0, toSkip));
        chunk = chunk.subarray(toSkip);
        toSkip = 0;
      }
      if (!verified) {
        if (sha(window) !== opts.expectWindow) {
          raw.destroy();
          return { ...result(0), mismatch: true };
        }
        verified = true;
      }
      let pos = 0;
      while (pos < chunk.length) {
        const nl = chunk.indexOf(10, pos);
        if (skipping > 0) {
          // inside an overlong line: drop its bytes up to its newline, never hold them
          const end = nl === -1 ? chunk.length : nl + 1;
          skipping += (nl === -1 ? chunk.length : nl) - pos;
          hash.update(chunk.subarray(pos, end));
          window = slide(window, chunk.subarray(pos, end));
          offset += end - pos;
          pos = end;
          if (nl !== -1) {
            line++;
            batch.push('');
            overlong.push({ line, bytes: skipping });
            skipping = 0;
          }
          continue;
        }
        if (nl === -1) {
          const part = chunk.subarray(pos);
          if (restLen + part.length > cap) {
            // the line is over the cap: what was kept so far is consumed as part of it
            const held = rest.length > 0 ? Buffer.concat(rest) : Buffer.alloc(0);
            hash.update(held);
            hash.update(part);
            window = slide(slide(window, held), part);
            offset += held.length + part.length;
            skipping = held.length + part.length;
            rest = [];
            restLen = 0;
          } else {
            rest.push(Buffer.from(part));
            restLen += part.length;
          }
          break;
        }
        // complete lines from pos (and what was held) to the last newline of this chunk
        const lastNl = chunk.lastIndexOf(10);
        const body = chunk.subarray(pos, lastNl + 1);
        const complete = restLen > 0 ? Buffer.concat([...rest, body]) : body;
        const firstLen = restLen + (nl - pos);
        rest = [];
        restLen = 0;
        pos = lastNl + 1;
        hash.update(complete);
        window = slide(window, complete);
        offset += complete.length;
        const parts = firstLen > cap || complete.length > cap ? null : decodeLines(complete);
        if (parts) {
          for (const p of parts) {
            line++;
            batch.push(p.endsWith('\r') ? p.slice(0, -1) : p);
            if (batch.length >= batchSize) yield* flush();
          }
        } else {
          // a line over the cap is among them: split by bytes, never decoding the long one
          let s = 0;
          while (s < complete.length) {
            const e = complete.indexOf(10, s);
            line++;
            if (e - s > cap) {
              batch.push('');
              overlong.push({ line, bytes: e - s });
            } else {
              const t = decodeLines(complete.subarray(s, e + 1))[0]!;
              batch.push(t.endsWith('\r') ? t.slice(0, -1) : t);
            }
            s = e + 1;
            if (batch.length >= batchSize) yield* flush();
          }
        }
      }
    }
  } catch (err) {
    // zlib: "unexpected end of file", "incorrect header check", "invalid distance too far back"…
    error = `${gz ? 'gzip stream broken' : 'read failed'} after line ${line}: ${(err as Error).message}`;
  }
  if (toSkip > 0 && !error) {
    // the file is shorter than the checkpoint: the caller decides (it restarts from 0)
    yield* flush();
    return result(-toSkip);
  }
  let pending = restLen;
  if (opts.final && !error && skipping > 0) {
    line++;
    batch.push('');
    overlong.push({ line, bytes: skipping });
    skipping = 0;
    pending = 0;
  } else if (opts.final && !error && restLen > 0) {
    const held = Buffer.concat(rest);
    hash.update(held);
    window = slide(window, held);
    offset += held.length;
    line++;
    const t = held.toString('utf8');
    batch.push(t.includes('\ufffd') ? decodeUtf8Lenient(held) : t);
    pending = 0;
  }
  yield* flush();
  return result(pending);
}

/** SHA-256 (hex) of the first `n` content bytes (decompressed for gzip) and how many there were. */
export async function headHash(
  path: string,
  n = 1024,
): Promise<{
  hash: string;
  length: number;
  bytes: Buffer;
  gzip: boolean;
  size: number;
  dev: number;
  ino: number;
  mtimeMs: number;
}> {
  const { fh, st } = await openInput(path);
  try {
    const gz = await fhIsGzip(fh);
    const parts: Buffer[] = [];
    let have = 0;
    if (!gz) {
      const b = Buffer.alloc(Math.min(n, st.size));
      const { bytesRead } = await fh.read(b, 0, b.length, 0);
      parts.push(b.subarray(0, bytesRead));
    } else {
      const raw = fh.createReadStream({ start: 0, autoClose: false });
      const gunzip = createGunzip();
      raw.on('error', (e) => gunzip.destroy(e));
      try {
        for await (const c of raw.pipe(gunzip) as AsyncIterable<Buffer>) {
          parts.push(c);
          have += c.length;
          if (have >= n) break;
        }
      } catch {
        // a broken gzip: identified by what could be decompressed; the read reports the break
      } finally {
        raw.destroy();
      }
    }
    const bytes = Buffer.concat(parts).subarray(0, n);
    return {
      hash: sha(bytes),
      length: bytes.length,
      bytes,
      gzip: gz,
      size: st.size,
      dev: st.dev,
      ino: st.ino,
      mtimeMs: st.mtimeMs,
    };
  } finally {
    await fh.close();
  }
}

/** Whether the file starts with the gzip magic bytes. */
export async function isGzip(path: string): Promise<boolean> {
  const { fh } = await openInput(path);
  try {
    return await fhIsGzip(fh);
  } finally {
    await fh.close();
  }
}

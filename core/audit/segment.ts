import { readFileSync } from 'node:fs';
import { VigilError, errorMessage } from '../errors.js';
import { checkpointFromRow, readEntries, type AuditDb } from './repo.js';
import type { AuditCheckpoint, AuditEntry } from './types.js';

/** A stretch of the log to verify or export: its entries (streamed), checkpoints and where it starts. */
export interface AuditSegment {
  firstSeq: number;
  entries: AsyncIterable<AuditEntry> | Iterable<AuditEntry>;
  checkpoints: AuditCheckpoint[];
  /** Public keys carried by an exported file (PEM); not trusted unless the caller says so. */
  publicKeys: string[];
}

export interface AuditRange {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
}

/**
 * The stretch of the stored log whose entries fall in `[from, to)`, as a seq range. Without `to`
 * it runs to the end, and every checkpoint from its start on is included, so a checkpoint beyond
 * the last entry (a cut-off tail) is found. With `to`, the checkpoints signed before `to` are
 * included and the entries read up to the highest seq they name, for the same reason.
 */
export async function storeSegment(db: AuditDb, range: AuditRange = {}): Promise<AuditSegment> {
  let firstSeq = 1;
  if (range.from !== undefined) {
    const r = await db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.min('seq').as('s'))
      .where('at', '>=', range.from)
      .executeTakeFirst();
    firstSeq = r?.s == null ? Number.MAX_SAFE_INTEGER : Number(r.s);
  }
  let lastQ = db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('s'));
  if (range.to !== undefined) lastQ = lastQ.where('at', '<', range.to);
  const last = await lastQ.executeTakeFirst();
  let toSeq = last?.s == null ? 0 : Number(last.s);
  let cpQ = db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').orderBy('at');
  if (range.from !== undefined) cpQ = cpQ.where('at', '>=', range.from);
  if (range.to !== undefined) cpQ = cpQ.where('at', '<', range.to);
  if (firstSeq === Number.MAX_SAFE_INTEGER) firstSeq = toSeq + 1;
  const checkpoints = (await cpQ.execute())
    .map(checkpointFromRow)
    .filter((c) => range.from === undefined || c.seq >= firstSeq);
  for (const c of checkpoints) toSeq = Math.max(toSeq, c.seq);
  return {
    firstSeq,
    entries: readEntries(db, firstSeq, toSeq),
    checkpoints,
    publicKeys: [],
  };
}

/** The header line of an exported segment file. */
interface SegmentHeader {
  type: 'vigil-audit-segment';
  version: 1;
  firstSeq: number;
  exportedAt: string;
  publicKeys: string[];
}

/**
 * Writes a segment as JSON Lines: a header (format, first seq, the instance's public keys), then
 * one `{"type":"entry",…}` line per entry, then one `{"type":"checkpoint",…}` per checkpoint.
 * Returns the number of entries written.
 */
export async function writeSegment(
  seg: AuditSegment,
  publicKeys: string[],
  write: (line: string) => void | Promise<void>,
  now: number,
): Promise<number> {
  const header: SegmentHeader = {
    type: 'vigil-audit-segment',
    version: 1,
    firstSeq: seg.firstSeq,
    exportedAt: new Date(now).toISOString(),
    publicKeys,
  };
  await write(`${JSON.stringify(header)}\n`);
  let n = 0;
  for await (const e of seg.entries) {
    await write(`${JSON.stringify({ type: 'entry', ...e })}\n`);
    n++;
  }
  for (const c of seg.checkpoints) await write(`${JSON.stringify({ type: 'checkpoint', ...c })}\n`);
  return n;
}

/** Reads an exported segment file; throws STO_AUDIT_READ naming the line of anything malformed. */
export function readSegmentFile(file: string): AuditSegment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new VigilError('STO_AUDIT_READ', `cannot read ${file}: ${errorMessage(err)}`, { cause: err });
  }
  const lines = text.split('\n');
  let header: SegmentHeader | undefined;
  const entries: AuditEntry[] = [];
  const checkpoints: AuditCheckpoint[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch (err) {
      throw new VigilError('STO_AUDIT_READ', `${file}:${i + 1}: not JSON: ${errorMessage(err)}`);
    }
    const { type, ...rest } = obj;
    if (i === 0) {
      if (type !== 'vigil-audit-segment' || obj.version !== 1)
        throw new VigilError('STO_AUDIT_READ', `${file}:1: not a vigil audit segment (version 1)`);
      header = obj as unknown as SegmentHeader;
    } else if (type === 'entry') entries.push(rest as unknown as AuditEntry);
    else if (type === 'checkpoint') checkpoints.push(rest as unknown as AuditCheckpoint);
    else
      throw new VigilError('STO_AUDIT_READ', `${file}:${i + 1}: unknown line type ${JSON.stringify(type)}`);
  });
  if (!header) throw new VigilError('STO_AUDIT_READ', `${file}: empty file`);
  return { firstSeq: header.firstSeq, entries, checkpoints, publicKeys: header.publicKeys ?? [] };
}

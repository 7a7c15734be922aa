import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

/** A file transfer an IDS saw, with the digests it computed. */
export interface FileSighting {
  source: 'zeek' | 'suricata';
  /** The log it came from and the byte offset of its record. */
  log: string;
  offset: number;
  ts?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  filename?: string;
  src?: string;
  dst?: string;
}

export interface FileLogRead {
  sightings: FileSighting[];
  /** Offset just past the last complete line read: the next run starts here. */
  toOffset: number;
  records: number;
  badRecords: number;
}

/**
 * A minimal reader for the two logs that carry file digests: Zeek `files.log` (TSV with its
 * `#fields` header, or NDJSON) and Suricata EVE `fileinfo` events (`fileinfo.md5/sha1/sha256`).
 * Kept local because the IDS readers are not exported from `analyzers/index.ts` yet. Reads from a
 * byte offset (plain files) so runs resume where the last one stopped; `.gz` files are read whole
 * (they are rotated, finished logs) and `fromOffset` counts uncompressed bytes.
 */
export async function readFileLog(path: string, fromOffset: number): Promise<FileLogRead> {
  const gz = path.endsWith('.gz');
  const fields = gz ? undefined : await readZeekHeader(path);
  const out: FileLogRead = { sightings: [], toOffset: fromOffset, records: 0, badRecords: 0 };
  let zeekFields = fields;
  let pos = gz ? 0 : fromOffset;
  let rest = Buffer.alloc(0);
  const stream = gz
    ? createReadStream(path).pipe(createGunzip())
    : createReadStream(path, { start: fromOffset });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let buf = Buffer.concat([rest, chunk]);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      const line = buf.subarray(0, nl).toString('utf8');
      const at = pos;
      pos += nl + 1;
      buf = buf.subarray(nl + 1);
      if (gz && at < fromOffset) continue;
      if (line.startsWith('#fields\t')) zeekFields = line.split('\t').slice(1);
      if (line === '' || line.startsWith('#')) continue;
      out.records++;
      const s = parseRecord(line, zeekFields, path, at);
      if (s === 'bad') out.badRecords++;
      else if (s) out.sightings.push(s);
    }
    rest = Buffer.from(buf);
  }
  out.toOffset = pos;
  return out;
}

async function readZeekHeader(path: string): Promise<string[] | undefined> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(8192);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const line = head
      .subarray(0, bytesRead)
      .toString('utf8')
      .split('\n')
      .find((l) => l.startsWith('#fields\t'));
    return line?.split('\t').slice(1);
  } finally {
    await fh.close();
  }
}

function parseRecord(
  line: string,
  fields: string[] | undefined,
  log: string,
  offset: number,
): FileSighting | undefined | 'bad' {
  if (line.startsWith('{')) {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return 'bad'; // a bad record is counted, not thrown: logs are data (DESIGN.md §2)
    }
    if (o.event_type === 'fileinfo') return suricata(o, log, offset);
    if (o.event_type === undefined && ('fuid' in o || o._path === 'files')) return zeekJson(o, log, offset);
    return undefined;
  }
  if (!fields) return 'bad';
  const cols = line.split('\t');
  if (cols.length !== fields.length) return 'bad';
  const get = (k: string) => {
    const i = fields.indexOf(k);
    const v = i >= 0 ? cols[i] : undefined;
    return v === undefined || v === '-' || v === '(empty)' ? undefined : v;
  };
  return digests({
    source: 'zeek',
    log,
    offset,
    ts: epochToIso(get('ts')),
    md5: get('md5'),
    sha1: get('sha1'),
    sha256: get('sha256'),
    filename: get('filename'),
    src: get('tx_hosts') ?? get('id.resp_h'),
    dst: get('rx_hosts') ?? get('id.orig_h'),
  });
}

function epochToIso(v: string | undefined): string | undefined {
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? new Date(n * 1000).toISOString() : v;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== ''
    ? v
    : Array.isArray(v) && typeof v[0] === 'string'
      ? v[0]
      : undefined;
}

function zeekJson(o: Record<string, unknown>, log: string, offset: number): FileSighting | undefined {
  return digests({
    source: 'zeek',
    log,
    offset,
    ts: typeof o.ts === 'number' ? new Date(o.ts * 1000).toISOString() : str(o.ts),
    md5: str(o.md5),
    sha1: str(o.sha1),
    sha256: str(o.sha256),
    filename: str(o.filename),
    src: str(o.tx_hosts) ?? str(o['id.resp_h']),
    dst: str(o.rx_hosts) ?? str(o['id.orig_h']),
  });
}

function suricata(o: Record<string, unknown>, log: string, offset: number): FileSighting | undefined {
  const f = (o.fileinfo ?? {}) as Record<string, unknown>;
  return digests({
    source: 'suricata',
    log,
    offset,
    ts: str(o.timestamp),
    md5: str(f.md5),
    sha1: str(f.sha1),
    sha256: str(f.sha256),
    filename: str(f.filename),
    src: str(o.src_ip),
    dst: str(o.dest_ip),
  });
}

/** Only sightings with at least one digest can be matched; drop undefined fields. */
function digests(s: FileSighting): FileSighting | undefined {
  if (!s.md5 && !s.sha1 && !s.sha256) return undefined;
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)) as unknown as FileSighting;
}

import { VigilError } from '../core/index.js';

/**
 * A minimal POSIX ustar writer and reader (POSIX.1-1988 "ustar" header, 512-byte blocks) for
 * byte-stable bundles: entries sorted by name, mode 0644, uid/gid 0, empty user/group names and
 * one fixed mtime, so the same files always give the same archive bytes.
 */
const BLOCK = 512;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, size: number, mtimeSec: number): Buffer {
  const h = Buffer.alloc(BLOCK, 0);
  const nameBytes = Buffer.from(name, 'utf8');
  if (nameBytes.length > 100) {
    // ustar splits longer names into prefix (155) + name (100) at a slash.
    const cut = name.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100)
      throw new VigilError('EVD_TAR', `path too long for ustar: ${name}`);
    h.write(name.slice(cut + 1), 0, 'utf8');
    h.write(name.slice(0, cut), 345, 'utf8');
  } else nameBytes.copy(h, 0);
  h.write(octal(0o644, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(mtimeSec, 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write('0', 156, 'ascii');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** The archive of `files` (path → bytes), sorted by path, every mtime `mtimeMs`. */
export function writeTar(files: ReadonlyMap<string, Buffer>, mtimeMs: number): Buffer {
  const parts: Buffer[] = [];
  const mtime = Math.floor(mtimeMs / 1000);
  for (const name of [...files.keys()].sort()) {
    const body = files.get(name)!;
    parts.push(header(name, body.length, mtime), body);
    const pad = (BLOCK - (body.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(BLOCK * 2, 0));
  return Buffer.concat(parts);
}

function field(h: Buffer, off: number, len: number): string {
  const s = h.subarray(off, off + len);
  const end = s.indexOf(0);
  return s.subarray(0, end < 0 ? len : end).toString('utf8');
}

/**
 * Reads regular files out of a ustar archive. Anything but a regular file (links, devices,
 * directories other than plain ones) and any path that is absolute or climbs with `..` is
 * refused: a bundle comes from elsewhere and must not name files outside itself.
 */
export function readTar(buf: Buffer): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  let off = 0;
  while (off + BLOCK <= buf.length) {
    const h = buf.subarray(off, off + BLOCK);
    if (h.every((b) => b === 0)) break;
    const prefix = field(h, 345, 155);
    const name = prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100);
    const size = parseInt(field(h, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 48);
    if (!Number.isFinite(size) || size < 0 || off + BLOCK + size > buf.length)
      throw new VigilError('EVD_TAR', `truncated tar entry ${name}`);
    if (name.startsWith('/') || name.split('/').includes('..'))
      throw new VigilError('EVD_TAR', `unsafe path in tar: ${name}`);
    if (type === '0' || type === '\0')
      out.set(name, Buffer.from(buf.subarray(off + BLOCK, off + BLOCK + size)));
    else if (type !== '5') throw new VigilError('EVD_TAR', `tar entry ${name} is not a regular file`);
    off += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return out;
}

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { VigilError } from '../errors.js';

/** Largest config file (the main file and each `include:`) vigil reads: 1 MiB. */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024;
/** Largest secret file (`{ file: PATH }`, `*_file`) vigil reads: 64 KiB (a PEM chain fits). */
export const SECRET_FILE_MAX_BYTES = 64 * 1024;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a file named by the configuration, refusing what is not a regular file (`/dev/zero`, a
 * FIFO, a directory) and anything over `maxBytes`, so a mistyped or hostile path can neither block
 * vigil nor fill its memory (`include: /dev/zero` once grew to 9 GB). The check is made on the
 * opened descriptor (fstat), so the file cannot be swapped between check and read; O_NONBLOCK
 * keeps the open of a FIFO from waiting for a writer. The message names the file, never its content.
 */
export function readBoundedFile(path: string, maxBytes: number, what: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new VigilError('CFG_FILE', `cannot read ${what} ${path}: ${code}`, { cause: err });
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile())
      throw new VigilError('CFG_FILE', `${what} ${path} is ${kindOf(st)}, not a regular file`);
    const tooBig = (): VigilError =>
      new VigilError('CFG_FILE', `${what} ${path} is larger than the ${maxBytes} bytes allowed`);
    if (st.size > maxBytes) throw tooBig();
    // Read one byte past the limit: a file that grows after fstat is still refused.
    const buf = Buffer.alloc(maxBytes + 1);
    let used = 0;
    for (;;) {
      const n = readSync(fd, buf, used, buf.length - used, null);
      if (n === 0) break;
      used += n;
      if (used > maxBytes) throw tooBig();
    }
    return buf.subarray(0, used).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

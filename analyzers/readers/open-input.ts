import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { VigilError } from '../../core/index.js';

/**
 * Opens a log file for reading without following a symbolic link and only when it is a regular
 * file (vigil runs as root: a link or FIFO planted in a log folder must not make it read, or hang
 * on, something else). O_NOFOLLOW refuses a link as the last path component at open time, so a
 * file swapped for a link after it was listed is refused too; fstat checks what was opened.
 */
export async function openInput(path: string): Promise<{ fh: FileHandle; st: Stats }> {
  let fh: FileHandle;
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || code === 'EMLINK')
      throw new VigilError('ANL_INPUT_SYMLINK', `${path}: symbolic link not followed`, { cause: err });
    throw new VigilError('ANL_INPUT_UNREADABLE', `${path}: ${(err as Error).message}`, { cause: err });
  }
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new VigilError('ANL_INPUT_NOT_FILE', `${path}: not a regular file`);
  }
  return { fh, st };
}

/** Whether the opened file starts with the gzip magic bytes. */
export async function fhIsGzip(fh: FileHandle): Promise<boolean> {
  const buf = Buffer.alloc(2);
  const { bytesRead } = await fh.read(buf, 0, 2, 0);
  return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
}

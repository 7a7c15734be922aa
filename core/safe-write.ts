import { randomBytes } from 'node:crypto';
import { constants, lstatSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VigilError, errorMessage } from './errors.js';

/**
 * Writes an output file (`--out F`) without following a link planted at F: vigil runs as root, and
 * a symlink from someone who can write to F's folder must not make it overwrite /etc/passwd.
 * The target must not be a symlink; the bytes go to a fresh temporary file in the same folder
 * (O_CREAT|O_EXCL|O_NOFOLLOW, random name), fsynced, then renamed over F — rename replaces a
 * link swapped in meanwhile instead of following it, and a reader never sees half a file.
 */
export async function writeFileNoFollow(
  file: string,
  data: string | Uint8Array,
  mode = 0o644,
): Promise<void> {
  let st;
  try {
    st = lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new VigilError('APP_OUT', `cannot write ${file}: ${errorMessage(err)}`, { cause: err });
  }
  if (st?.isSymbolicLink())
    throw new VigilError('APP_OUT_SYMLINK', `refusing to write ${file}: it is a symbolic link`);
  if (st && !st.isFile())
    throw new VigilError('APP_OUT', `refusing to write ${file}: it is not a regular file`);
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  let fh;
  try {
    fh = await open(tmp, flags, mode);
  } catch (err) {
    throw new VigilError('APP_OUT', `cannot write ${file}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    await rename(tmp, file);
  } catch (err) {
    // Already closed when the rename failed: a second close rejects, and changes nothing.
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw new VigilError('APP_OUT', `cannot write ${file}: ${errorMessage(err)}`, { cause: err });
  }
}

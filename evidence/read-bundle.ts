import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VigilError, errorMessage } from '../core/index.js';
import { readTar } from './tar.js';

const MAX_FILES = 100_000;

/**
 * Reads a bundle, a directory or a `.tar`, into path → bytes (paths relative, `/`-separated).
 * A bundle comes from elsewhere: symbolic links and special files are refused, not followed, so
 * a crafted bundle cannot make vigil (root) read files outside it.
 */
export function readBundle(path: string): Map<string, Buffer> {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    throw new VigilError('EVD_READ', `cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
  try {
    if (st.isFile()) return readTar(readFileSync(path));
    if (!st.isDirectory()) throw new VigilError('EVD_READ', `${path} is neither a directory nor a tar file`);
    const out = new Map<string, Buffer>();
    const walk = (dir: string, rel: string): void => {
      for (const name of readdirSync(dir).sort()) {
        const full = join(dir, name);
        const r = rel ? `${rel}/${name}` : name;
        const s = lstatSync(full);
        if (s.isDirectory()) walk(full, r);
        else if (s.isFile()) {
          if (out.size >= MAX_FILES)
            throw new VigilError('EVD_READ', `${path}: more than ${MAX_FILES} files`);
          out.set(r, readFileSync(full));
        } else throw new VigilError('EVD_READ', `${r}: not a regular file (links are not followed)`);
      }
    };
    walk(path, '');
    return out;
  } catch (err) {
    if (err instanceof VigilError) throw err;
    throw new VigilError('EVD_READ', `cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
}

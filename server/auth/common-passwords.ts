import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: Set<string> | undefined;

/**
 * The most common breached passwords (top of SecLists' `10k-most-common.txt`, MIT licence; see
 * `common-passwords.md` next to the list), lower-cased. Loaded once, on first use.
 */
export function commonPasswords(): Set<string> {
  if (!cached) {
    // Next to this file when run from source; the compiled copy (dist/server/auth) reads the source tree's.
    const here = fileURLToPath(new URL('./common-passwords.txt', import.meta.url));
    const file = existsSync(here)
      ? here
      : fileURLToPath(new URL('../../../server/auth/common-passwords.txt', import.meta.url));
    cached = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  return cached;
}

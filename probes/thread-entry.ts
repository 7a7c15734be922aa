import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundles = new Map<string, URL>();

/**
 * The URL a worker thread starts from, for the entry file `name` (without extension) in this
 * folder. Compiled, that is the .js file itself. Under tsx (development, tests) the entry is
 * TypeScript and Node 20 runs no ESM loader hooks in worker threads, so it is bundled once with
 * esbuild (tsx's own compiler) into node_modules/.cache, where its package imports still resolve.
 */
export function threadEntry(name: string): URL {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./${name}${ext}`, import.meta.url);
  if (ext !== '.ts') return entry;
  const done = bundles.get(name);
  if (done) return done;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const root = fileURLToPath(new URL('../', import.meta.url));
  const outfile = join(root, 'node_modules', '.cache', 'vigil', `${name}-${process.pid}.mjs`);
  esbuild.buildSync({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  const url = pathToFileURL(outfile);
  bundles.set(name, url);
  return url;
}

/** Removes the development bundle of `name` once its threads have loaded it (no-op compiled). */
export function dropThreadEntry(name: string): void {
  const url = bundles.get(name);
  if (!url) return;
  rmSync(fileURLToPath(url), { force: true });
  bundles.delete(name);
}

import { existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';

const CACHE = join('node_modules', '.cache', 'vigil');

/**
 * The TypeScript source of thread entry `name` when running under tsx: next to this file, or,
 * when this file is itself inside a development bundle (a thread that starts a thread), in the
 * probes folder of the checkout the bundle cache belongs to.
 */
function devSource(name: string): string | undefined {
  const here = fileURLToPath(import.meta.url);
  if (extname(here) === '.ts') return join(dirname(here), `${name}.ts`);
  const at = here.lastIndexOf(`${sep}${CACHE}${sep}`);
  if (at < 0) return undefined;
  const source = join(here.slice(0, at), 'probes', `${name}.ts`);
  return existsSync(source) ? source : undefined;
}

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
  const source = devSource(name);
  if (source === undefined || (ext !== '.ts' && existsSync(fileURLToPath(entry)))) return entry;
  const done = bundles.get(name);
  if (done) return done;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const root = dirname(dirname(source));
  // Threads share the pid: the thread id keeps their bundles apart.
  const outfile = join(root, CACHE, `${name}-${process.pid}-${threadId}.mjs`);
  esbuild.buildSync({
    entryPoints: [source],
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

const inline = new Map<string, URL>();

/**
 * Like threadEntry, for an entry that imports only node built-ins and files of this checkout (no
 * packages): under tsx it is bundled in memory and started from a data: URL, so no bundle file is
 * left behind by a process that is killed (script threads start for every run). Compiled, the .js.
 */
export function inlineThreadEntry(name: string): URL {
  const ext = extname(fileURLToPath(import.meta.url));
  const entry = new URL(`./${name}${ext}`, import.meta.url);
  const source = devSource(name);
  if (source === undefined || (ext !== '.ts' && existsSync(fileURLToPath(entry)))) return entry;
  const done = inline.get(name);
  if (done) return done;
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
  });
  const url = new URL(
    `data:text/javascript;base64,${Buffer.from(out.outputFiles[0]!.contents).toString('base64')}`,
  );
  inline.set(name, url);
  return url;
}

/** Removes the development bundle of `name` once its threads have loaded it (no-op compiled). */
export function dropThreadEntry(name: string): void {
  const url = bundles.get(name);
  if (!url) return;
  rmSync(fileURLToPath(url), { force: true });
  bundles.delete(name);
}

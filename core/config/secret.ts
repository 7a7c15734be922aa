import { inspect } from 'node:util';
import { SECRET_FILE_MAX_BYTES, readBoundedFile } from './bounded-read.js';

const SHOWN = '<secret>';

/**
 * A secret value from config. It never prints: toString, toJSON and util.inspect all give
 * `<secret>`, so a secret cannot leak through logs, errors or `config check` output.
 */
export class Secret {
  readonly #value: string;
  /** Where it came from, safe to print: "env:NAME", "file:/path" or "inline". */
  readonly source: string;

  constructor(value: string, source: string) {
    this.#value = value;
    this.source = source;
  }

  /** The secret itself; call only where it is used (a request header, a password check). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return SHOWN;
  }

  toJSON(): string {
    return SHOWN;
  }

  [inspect.custom](): string {
    return SHOWN;
  }
}

/**
 * Reads a secret from a file, trimming one trailing newline as Prometheus' *_file options do.
 * Only a regular file of at most 64 KiB (SECRET_FILE_MAX_BYTES) is read.
 */
export function readSecretFile(path: string): string {
  return readBoundedFile(path, SECRET_FILE_MAX_BYTES, 'secret file').replace(/\r?\n$/, '');
}

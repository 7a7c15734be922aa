import { relative, isAbsolute } from 'node:path';
import { ConfigError, loadConfig, type ConfigIssue } from '../core/index.js';
import { allSections } from './domains.js';
import type { LoadedConfig } from './wire/types.js';

/** Loads and validates a config file with every registered section. Throws ConfigError. */
export function loadVigilConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return loadConfig(file, { sections: allSections, env }).config as LoadedConfig;
}

/** A file name as a person typed it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `file:line:col: message` lines for every issue of a ConfigError. */
export function issueLines(err: ConfigError): string[] {
  return err.issues.map((i: ConfigIssue) => `${displayPath(i.file)}:${i.line}:${i.col}: ${i.message}`);
}

import { relative, isAbsolute } from 'node:path';
import { ConfigError, loadConfig, type ConfigIssue } from '../core/index.js';
import { allSections } from './domains.js';
import type { LoadedConfig } from './wire/types.js';

/** Loads and validates a config file with every registered section. Throws ConfigError. */
export function loadVigilConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return loadConfig(file, { sections: allSections, env }).config as LoadedConfig;
}

/**
 * What `vigil config check` does: loads the config and also checks the files it names (Sigma
 * rules compiled, directories present). Throws ConfigError; returns the warnings.
 */
export function checkVigilConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { config: LoadedConfig; warnings: ConfigIssue[] } {
  const res = loadConfig(file, { sections: allSections, env, checkFiles: true });
  return { config: res.config as LoadedConfig, warnings: res.warnings };
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

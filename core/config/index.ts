export type { ConfigSection, IssueReporter } from './section.js';
export {
  duration,
  percent,
  id,
  secret,
  timezone,
  MAX_DURATION_MS,
  MIN_KEY_BYTES,
  type DurationBounds,
  type SecretRules,
} from './primitives.js';
export { parseDuration, tryParseDuration, formatDuration } from './duration.js';
export { Secret, readSecretFile } from './secret.js';
export { loadConfig, type LoadConfigOptions, type LoadedConfigFile } from './load.js';
export { pathString } from './validate-sections.js';
export {
  coreSections,
  checkUniqueIds,
  definedIds,
  listenAddress,
  DEFAULT_TIMEZONE,
} from './core-sections.js';
export { expandEnv, configEnv, withConfigEnv } from './env.js';
export { tlsSchema, checkListenSecurity, type TlsConfig } from './tls-section.js';
export { scalarsAsText } from './yaml-source.js';
export { readBoundedFile, CONFIG_FILE_MAX_BYTES, SECRET_FILE_MAX_BYTES } from './bounded-read.js';

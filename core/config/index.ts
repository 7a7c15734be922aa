export type { ConfigSection, IssueReporter } from './section.js';
export { duration, percent, id, secret, timezone } from './primitives.js';
export { parseDuration, tryParseDuration, formatDuration } from './duration.js';
export { Secret, readSecretFile } from './secret.js';

export type { Probe, ProbeTarget, ProbeType, ProbeDeps, ProbeFactory } from './types.js';
export * from './schemas.js';
export { httpProbe, connSettingsOf } from './http-probe.js';
export { classifyError } from './error-kind.js';
export { jsonPathGet } from './json-path.js';
export { CookieJar } from './cookie-jar.js';

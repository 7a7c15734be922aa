export type { Probe, ProbeTarget, ProbeType, ProbeDeps, ProbeFactory } from './types.js';
export * from './schemas.js';
export {
  probesConfigSections,
  resolveProbes,
  locationsSchema,
  servicesSchema,
  probesSectionSchema,
  type ResolvedProbe,
  type LocationsConfig,
  type ServicesConfig,
  type ProbesSettings,
} from './config.js';
export { probeRegistry, createProbe } from './registry.js';
export { httpProbe, connSettingsOf } from './http-probe.js';
export { tcpProbe } from './tcp-probe.js';
export { dnsProbe } from './dns-probe.js';
export { tlsProbe } from './tls-probe.js';
export { backupProbe, judgeBackups, type BackupFile } from './backup-probe.js';
export { multiStepProbe, expand } from './multi-step-probe.js';
export { classifyError } from './error-kind.js';
export { jsonPathGet } from './json-path.js';
export { CookieJar } from './cookie-jar.js';
export { LoopMonitor } from './loop-monitor.js';
export {
  ProbeScheduler,
  type ScheduledProbe,
  type SchedulerOptions,
  type SchedulerStats,
} from './scheduler.js';
export { DueHeap, staggerOffsets } from './due-heap.js';
export { ProbeMetrics } from './probe-metrics.js';
export { ProbeRunner, type ProbeRunnerOptions } from './probe-runner.js';
export { scheduledProbesFor } from './targets.js';
export { ProbeAlerts, probeAlertOf, type ProbeAlertsOptions } from './probe-alerts.js';
export { AgentBuffer } from './agent-buffer.js';
export { ProbeAgent, checkAgentServerUrl, type AgentOptions } from './agent.js';
export { agentRoutes, type AgentRoutesOptions } from './http.js';
export { encodeAgentConfig, decodeAgentConfig, type AgentConfigDoc } from './agent-wire.js';
export { makeResult } from './result.js';
export { runAdHocProbes, probeJsonLine, probeTextLine, type AdHocOptions } from './ad-hoc.js';
export { runProbeBatch, type BatchOptions } from './probe-batch.js';
export { ProbePool, defaultPoolThreads } from './probe-pool.js';
export { scriptProbe, runScriptProbe, scriptRunParams, scriptSecrets } from './script-probe.js';
export { compileScript, type CompiledScript, type ScriptIssue } from './script/script-source.js';
export { runScript, type ScriptRun, type ScriptRunParams } from './script/script-host.js';
export { scriptResult, summarize, type ScriptSummary } from './script/script-result.js';
export { typeCheckScripts, type TypeIssue, type TypeCheckOutcome } from './script/script-typecheck.js';
export { totpCode } from './script/local-ops.js';

import type { ProbeResult, Logger } from '../core/index.js';

/** The probe kinds a config `type:` can name; each maps to one factory in registry.ts. */
export type ProbeType = 'http' | 'tcp' | 'dns' | 'tls' | 'backup' | 'multi_step' | 'script';

/** One thing to probe, as the scheduler sees it: which target, from where, how often. */
export interface ProbeTarget {
  /** `${service.id}/${probe.id}`. */
  id: string;
  serviceId: string;
  type: ProbeType;
  /** The location this instance (or agent) probes from. */
  location: string;
  intervalMs: number;
  timeoutMs: number;
}

/**
 * One probe kind, built from its config by a factory. `run` never throws for a failing service:
 * the failure is data (`ok: false` with `error.kind`). It throws only for bugs.
 */
export interface Probe {
  run(target: ProbeTarget, signal: AbortSignal): Promise<ProbeResult>;
  /** Releases kept-alive connections, if any. */
  close?(): Promise<void>;
}

export interface ProbeDeps {
  log: Logger;
}

export type ProbeFactory<C = unknown> = (config: C, deps: ProbeDeps) => Probe;

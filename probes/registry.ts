import { backupProbe } from './backup-probe.js';
import { dnsProbe } from './dns-probe.js';
import { httpProbe } from './http-probe.js';
import { multiStepProbe } from './multi-step-probe.js';
import type { ProbeConfig } from './schemas.js';
import { scriptProbe } from './script-probe.js';
import { tcpProbe } from './tcp-probe.js';
import { tlsProbe } from './tls-probe.js';
import type { Probe, ProbeType } from './types.js';

type ConfigOf<T extends ProbeType> = Extract<ProbeConfig, { type: T }>;

/** Config `type:` → factory. The one place a probe kind is plugged in (DESIGN.md §2). */
export const probeRegistry: { [T in ProbeType]: (cfg: ConfigOf<T>) => Probe } = {
  http: httpProbe,
  tcp: tcpProbe,
  dns: dnsProbe,
  tls: tlsProbe,
  backup: backupProbe,
  multi_step: multiStepProbe,
  script: scriptProbe,
};

/** Builds the probe for one parsed probe config. */
export function createProbe(cfg: ProbeConfig): Probe {
  const factory = probeRegistry[cfg.type] as (c: ProbeConfig) => Probe;
  return factory(cfg);
}

import { coreSections, type ConfigSection } from '../core/index.js';
import { probesConfigSections } from '../probes/index.js';
import { slaConfigSections } from '../sla/index.js';
import { alertingSections } from '../alerting/index.js';
import { analyzersSections } from '../analyzers/index.js';
import type { DomainWiring, WireContext, RegisterCommands } from './wire/types.js';
import { demoSection } from './demo-target.js';
import { wireAlerting } from './wire/alerting.js';
import { wireProbes } from './wire/probes.js';
import { wireSla } from './wire/sla.js';
import { registerProbeCommands } from './commands/probes.js';
import { registerSlaCommands } from './commands/sla.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerAnalyzeCommands } from './commands/analyze.js';

/** Every config section vigil knows: core's, the app's and each domain's. */
export const allSections: ConfigSection[] = [
  ...coreSections,
  demoSection,
  ...probesConfigSections,
  ...slaConfigSections,
  ...alertingSections,
  ...analyzersSections,
];

/** The domains `vigil start` wires, in start order (alert routing first, so sinks have a target). */
export const domainWirings: Array<{ name: string; wire: (ctx: WireContext) => Promise<DomainWiring> }> = [
  { name: 'alerting', wire: wireAlerting },
  { name: 'sla', wire: wireSla },
  { name: 'probes', wire: wireProbes },
];

/** The domains' CLI commands. */
export const domainCommands: RegisterCommands[] = [
  registerProbeCommands,
  registerSlaCommands,
  registerAlertCommands,
  registerAnalyzeCommands,
];

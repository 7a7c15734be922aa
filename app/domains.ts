import { coreSections, type ConfigSection } from '../core/index.js';
import { probesConfigSections } from '../probes/index.js';
import { slaConfigSections } from '../sla/index.js';
import { alertingSections } from '../alerting/index.js';
import { analyzersSections, scannersConfigSections } from '../analyzers/index.js';
import type { DomainWiring, WireContext, RegisterCommands } from './wire/types.js';
import { demoSection } from './demo-target.js';
import { serverConfigSections } from '../server/index.js';
import { incidentsSections } from '../incidents/index.js';
import { registerAccountCommands } from './commands/accounts.js';
import { wireAlerting } from './wire/alerting.js';
import { wireProbes } from './wire/probes.js';
import { wireSla } from './wire/sla.js';
import { wireScanners } from './wire/scanners.js';
import { wireAnalyzers } from './wire/analyzers.js';
import { wireIncidents } from './wire/incidents.js';
import { wireEvidence } from './wire/evidence.js';
import { registerProbeCommands } from './commands/probes.js';
import { registerSlaCommands } from './commands/sla.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerAnalyzeCommands } from './commands/analyze.js';
import { registerScanCommands } from './commands/scan.js';
import { registerIncidentCommands } from './commands/incidents.js';
import { registerNoticeCommands } from './commands/notices.js';
import { registerEvidenceCommands } from './commands/evidence.js';

/** Every config section vigil knows: core's, the app's and each domain's. */
export const allSections: ConfigSection[] = [
  ...coreSections,
  demoSection,
  ...probesConfigSections,
  ...slaConfigSections,
  ...alertingSections,
  ...analyzersSections,
  ...scannersConfigSections,
  ...serverConfigSections,
  ...incidentsSections,
];

/** The domains `vigil start` wires, in start order (alert routing first, so sinks have a target). */
export const domainWirings: Array<{ name: string; wire: (ctx: WireContext) => Promise<DomainWiring> }> = [
  { name: 'alerting', wire: wireAlerting },
  { name: 'sla', wire: wireSla },
  { name: 'probes', wire: wireProbes },
  { name: 'analyzers', wire: wireAnalyzers },
  { name: 'scanners', wire: wireScanners },
  { name: 'incidents', wire: wireIncidents },
  { name: 'evidence', wire: wireEvidence },
];

/** The domains' CLI commands. */
export const domainCommands: RegisterCommands[] = [
  registerProbeCommands,
  registerSlaCommands,
  registerAlertCommands,
  registerAnalyzeCommands,
  registerScanCommands,
  registerAccountCommands,
  registerIncidentCommands,
  registerNoticeCommands,
  registerEvidenceCommands,
];

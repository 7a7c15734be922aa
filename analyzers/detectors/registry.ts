import type { DetectorFactory } from '../types.js';
import { signatureAlerts } from './signature-alerts.js';
import { intelMatches } from './intel-matches.js';
import { beaconing } from './beaconing.js';
import { longConnections } from './long-connections.js';
import { bruteForce } from './brute-force.js';
import { scans } from './scans.js';
import { dnsTunnelling } from './dns-tunnelling.js';
import { tlsHygiene } from './tls-hygiene.js';
import { largeTransfers } from './large-transfers.js';
import { sensorHealth } from './sensor-health.js';
import { sigmaRules } from './sigma-rules.js';

/** Config `analyzers.detectors.<type>` → detector factory. The one place a detector is registered. */
export const detectorRegistry: Readonly<Record<string, DetectorFactory>> = {
  'signature-alerts': signatureAlerts,
  intel: intelMatches,
  beaconing,
  'long-connections': longConnections,
  'brute-force': bruteForce,
  scans,
  'dns-tunnelling': dnsTunnelling,
  'tls-hygiene': tlsHygiene,
  'large-transfers': largeTransfers,
  'sensor-health': sensorHealth,
  sigma: sigmaRules,
};

export type DetectorType = keyof typeof detectorRegistry;

export { detectorRegistry, type DetectorType } from './registry.js';
export { beaconScore } from './beaconing.js';

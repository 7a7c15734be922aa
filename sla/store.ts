// The SLA engine's store repositories live in core/store (shared with app/ and dashboards/).
// Until core/store/index.ts re-exports them, this is the one place that reaches in; when it does,
// change these lines to '../core/index.js'.
export { upsertRollups, queryRollups, latencyBucket, bucketValue, type ProbeRollup, type ProbeRollupsDb } from '../core/store/probe-rollups.js';
export { upsertIncident, getIncident, listIncidents, type IncidentsDb } from '../core/store/incidents.js';
export { insertPlannedDowntime, listPlannedDowntimes, type PlannedDowntimesDb } from '../core/store/planned-downtimes.js';

// The SLA engine's store repositories live in core/store (shared with app/ and dashboards/).
// Until core/store/index.ts re-exports them, this is the one place that reaches in; when it does,
// import them from '../core/index.js' here and drop the disables.
/* eslint-disable vigil/layers */
export {
  upsertRollups,
  queryRollups,
  latencyBucket,
  bucketValue,
  type ProbeRollup,
  type ProbeRollupsDb,
  type ProbeRollupsTable,
} from '../core/store/probe-rollups.js';
export {
  upsertIncident,
  getIncident,
  listIncidents,
  type IncidentsDb,
  type IncidentsTable,
} from '../core/store/incidents.js';
export {
  insertPlannedDowntime,
  listPlannedDowntimes,
  type PlannedDowntimesDb,
  type PlannedDowntimesTable,
} from '../core/store/planned-downtimes.js';
/* eslint-enable vigil/layers */

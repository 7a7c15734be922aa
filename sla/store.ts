// The SLA engine's store repositories live in core/store (shared with app/ and dashboards/);
// re-exported here so the SLA code has one place naming what it uses.
export {
  upsertRollups,
  queryRollups,
  latencyBucket,
  bucketValue,
  ROLLUP_MAX_BUCKET,
  upsertIncident,
  getIncident,
  listIncidents,
  insertPlannedDowntime,
  listPlannedDowntimes,
  type ProbeRollup,
  type ProbeRollupsDb,
  type IncidentsDb,
  type PlannedDowntimesDb,
} from '../core/index.js';

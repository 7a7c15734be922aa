export { openStore, maskUrl, type Store, type StoreEngine, type OpenStoreOptions } from './store.js';
export { migrateToLatest } from './migrate.js';
export { engineOf, withAutoId } from './schema-helpers.js';
export {
  insertProbeResults,
  insertNewProbeResults,
  queryProbeResults,
  pruneProbeResults,
  type ProbeResultsDb,
  type ProbeResultsTable,
} from './probe-results.js';
export * from './probe-rollups.js';
export * from './probe-aggregates.js';
export * from './aggregate-queries.js';
export * from './incidents.js';
export * from './planned-downtimes.js';
export * from './analysis-runs.js';
export * from './firing-alerts.js';
export * from './incident-records.js';

export { openStore, maskUrl, type Store, type StoreEngine, type OpenStoreOptions } from './store.js';
export { migrateToLatest } from './migrate.js';
export { engineOf, withAutoId } from './schema-helpers.js';
export {
  insertProbeResults,
  queryProbeResults,
  pruneProbeResults,
  type ProbeResultsDb,
  type ProbeResultsTable,
} from './probe-results.js';

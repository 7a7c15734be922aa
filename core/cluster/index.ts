// core/cluster: leadership with fencing among vigil instances on one PostgreSQL (issue 16).
export { LeaderElection, type LeaderElectionOptions } from './leader-election.js';
export {
  LEADER_LEASE,
  assertLeaseEpoch,
  heartbeat,
  leaseRound,
  releaseLease,
  type ClusterDb,
  type ClusterTables,
  type ClusterLeaseTable,
  type ClusterInstancesTable,
  type LeaseRound,
} from './lease-repo.js';
export { registerClusterMetrics } from './cluster-metrics.js';
